(module (memory (export "memory") 1) (func (export "__vsys_gas")))
