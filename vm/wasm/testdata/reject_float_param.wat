(module (memory (export "memory") 1)
  (func $g (param f32))
  (func (export "f")))
