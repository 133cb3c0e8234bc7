(module (memory (export "memory") 513) (func (export "f")))
