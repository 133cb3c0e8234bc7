(module (import "vsys" "memory" (memory 1))
  (export "memory" (memory 0))
  (func (export "f")))
