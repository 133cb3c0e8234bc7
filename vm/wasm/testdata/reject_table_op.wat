(module (memory (export "memory") 1) (table 1 funcref)
  (func (export "f") (drop (table.size 0))))
