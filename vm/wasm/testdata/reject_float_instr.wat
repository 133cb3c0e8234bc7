(module (memory (export "memory") 1)
  (func (export "f") (drop (i64.reinterpret_f64 (f64.add (f64.const 1) (f64.const 2))))))
