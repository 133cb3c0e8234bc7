(module (memory (export "memory") 1) (func (export "f") (param i32)))
