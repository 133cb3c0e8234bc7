(module (memory (export "memory") 1)
  (func (export "f") (drop (i32.atomic.load (i32.const 0)))))
