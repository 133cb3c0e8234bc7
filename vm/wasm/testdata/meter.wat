;; Metering fixture: gas exhaustion, stack depth and exact gas figures.
(module
  (memory (export "memory") 1)

  ;; Never terminates: the loop body block costs 5 per iteration.
  (func (export "spin") (local i32)
    (loop $l
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br $l)))

  ;; Unbounded recursion.
  (func $rec (export "rec") (call $rec))

  ;; Entry block 3 (i32.const, local.set, loop) + 10 iterations of 5
  ;; + loop end 1 + function end 1 = 55 with instr = 1.
  (func (export "count") (local i32)
    i32.const 10
    local.set 0
    (loop $l
      local.get 0
      i32.const 1
      i32.sub
      local.tee 0
      br_if $l))

  (func $id (param i32) (result i32) local.get 0)

  ;; One block of 7 instructions + grow + call, then $id's 2:
  ;; 7 + 10000 + 20 + 2 = 10029 with the default schedule.
  (func (export "grow_call")
    i32.const 1 memory.grow drop
    i32.const 5 call $id drop)
)
