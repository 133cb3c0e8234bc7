(module (import "vsys" "g" (global i32))
  (memory (export "memory") 1)
  (func (export "f")))
