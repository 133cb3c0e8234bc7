;; Bulk memory fixture: memory.copy and memory.fill of a length the host
;; sets in the exported global "len" (32 MiB of memory, copies from the
;; upper half to the lower).
(module
  (memory (export "memory") 512)
  (global $len (export "len") (mut i32) (i32.const 0))

  (func (export "copy")
    (memory.copy (i32.const 0) (i32.const 16777216) (global.get $len)))

  (func (export "fill")
    (memory.fill (i32.const 0) (i32.const 7) (global.get $len)))

  ;; Copies len bytes forever: only gas stops it.
  (func (export "copy_loop")
    (loop $l
      (memory.copy (i32.const 0) (i32.const 16777216) (global.get $len))
      (br $l)))
)
