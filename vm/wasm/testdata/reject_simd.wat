(module (memory (export "memory") 1)
  (func (export "f") (drop (v128.const i64x2 0 0))))
