(module (memory (export "memory") 2)
  (data (i32.const 0) "placeholder, the test schedule lowers max_data_segment_bytes")
  (func (export "f")))
