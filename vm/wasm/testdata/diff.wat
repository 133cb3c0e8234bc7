;; Differential fixture: the same results instrumented and not.
;; Each export reads an i64 argument (input), computes, outputs an i64.
(module
  (type $t (func (param i64) (result i64)))
  (type $mv (func (param i32) (result i32 i32)))
  (import "vsys" "input_len" (func $input_len (result i32)))
  (import "vsys" "input_read" (func $input_read (param i32)))
  (import "vsys" "output" (func $output (param i32 i32)))
  (memory (export "memory") 1)
  (table 2 funcref)
  (elem (i32.const 0) $fact $fib)
  (global $calls (mut i32) (i32.const 0))
  (export "calls" (global $calls))
  (data (i32.const 4096) "vsys")

  (func $arg (result i64)
    (if (i32.ne (call $input_len) (i32.const 8)) (then unreachable))
    (call $input_read (i32.const 64))
    (i64.load (i32.const 64)))

  (func $ret (param i64)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (i64.store (i32.const 0) (local.get 0))
    (call $output (i32.const 0) (i32.const 8)))

  (func $fact (type $t)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))

  (func $fib (type $t) (local $a i64) (local $b i64)
    (local.set $b (i64.const 1))
    (block $done
      (loop $l
        (br_if $done (i64.eqz (local.get 0)))
        (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
        (local.set 0 (i64.sub (local.get 0) (i64.const 1)))
        (br $l)))
    (local.get $a))

  (func $mem (type $t) (local $k i32)
    (memory.fill (i32.const 1024) (i32.wrap_i64 (local.get 0)) (i32.const 16))
    (memory.copy (i32.const 2048) (i32.const 1024) (i32.const 16))
    (local.set $k (i32.wrap_i64 (i64.rem_u (local.get 0) (i64.const 5))))
    (block $b3
      (block $b2
        (block $b1
          (block $b0
            (br_table $b0 $b1 $b2 $b3 (local.get $k)))
          (return (i64.load (i32.const 2048))))
        (return (i64.extend8_s (i64.load8_u offset=3 (i32.const 2048)))))
      ;; multi-value block with a parameter
      (i32.const 5)
      (block (type $mv) (param i32) (result i32 i32) (i32.const 3))
      (i32.add)
      (return (i64.extend_i32_u)))
    (i64.add (i64.load32_u (i32.const 4096)) (i64.extend_i32_s (memory.size))))

  (func (export "fact") (call $ret (call_indirect (type $t) (call $arg) (i32.const 0))))
  (func (export "fib") (call $ret (call_indirect (type $t) (call $arg) (i32.const 1))))
  (func (export "mem") (call $ret (call $mem (call $arg))))
)
