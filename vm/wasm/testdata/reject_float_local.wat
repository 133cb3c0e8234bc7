(module (memory (export "memory") 1)
  (func (export "f") (local f64)))
