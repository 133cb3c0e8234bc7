(module (memory (export "memory") 1)
  (global f64 (f64.const 0))
  (func (export "f")))
