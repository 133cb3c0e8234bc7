(module (import "vsys" "steal_funds" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "f")))
