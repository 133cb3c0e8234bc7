(module (memory (export "memory") 1)
  (func $g) (func (export "f") (return_call $g)))
