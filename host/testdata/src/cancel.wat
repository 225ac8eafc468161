;; cancel: backpressure and cancellation between two component instances
;; and with the host (TestBackpressureCancel, TestHostCancel).
;;
;; $C's "slow" (async, callback-lifted) counts its starts, then waits on an
;; empty waitable set; told of its cancellation (TASK_CANCELLED) it calls,
;; as its argument says, task.cancel (0), task.return(42) (1), or nothing
;; and waits again (2). In mode 3 it calls the Go function "hang" first
;; and waits for it; told of its cancellation, it cancels hang's subtask
;; (the Go function's context is cancelled) and calls task.cancel. "bp" sets or clears backpressure (backpressure.inc
;; and .dec); "stats" returns 1000*starts + cancels.
;;
;; $D's "run" (async, callback-lifted) logs, in order: the codes of two
;; async calls of "slow" made under backpressure (STARTING), the sync
;; subtask.cancel of the first (CANCELLED_BEFORE_STARTED), the SUBTASK
;; event of the second once backpressure is off and the store started it
;; (STARTED), its async subtask.cancel (CANCELLED_BEFORE_RETURNED: the
;; callee cancels at once), a third call (STARTED), its async cancel
;; (RETURNED: the callee returns instead) and the value it returned, a
;; call of the Go function "hang" (STARTED), its sync cancel
;; (CANCELLED_BEFORE_RETURNED: the Go function's context is cancelled),
;; and "stats". The other exports of $D trap: "twice" cancels a subtask
;; whose cancellation is pending again, "delivered" one whose resolution
;; was delivered, "in-set" cancels a subtask in a waitable set
;; synchronously, "self" calls task.cancel without a cancellation.
(component
  (import "hang" (func $hang async (result u32)))
  (component $C
    (import "hang" (func $hang async (result u32)))
    (core module $mem (memory (export "mem") 1))
    (core instance $mi (instantiate $mem))
    (alias core export $mi "mem" (core memory $memory))
    (core func $task.return (canon task.return (result u32)))
    (core func $task.cancel (canon task.cancel))
    (core func $waitable-set.new (canon waitable-set.new))
    (core func $bp.inc (canon backpressure.inc))
    (core func $bp.dec (canon backpressure.dec))
    (core func $waitable.join (canon waitable.join))
    (core func $subtask.cancel (canon subtask.cancel))
    (core func $subtask.drop (canon subtask.drop))
    (core func $hang.async (canon lower (func $hang) async (memory $memory)))
    (core module $m
      (import "" "waitable.join" (func $waitable.join (param i32 i32)))
      (import "" "subtask.cancel" (func $subtask.cancel (param i32) (result i32)))
      (import "" "subtask.drop" (func $subtask.drop (param i32)))
      (import "" "hang" (func $hang (param i32) (result i32)))
      (import "" "task.return" (func $task.return (param i32)))
      (import "" "task.cancel" (func $task.cancel))
      (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
      (import "" "bp.inc" (func $bp.inc))
      (import "" "bp.dec" (func $bp.dec))
      (global $starts (mut i32) (i32.const 0))
      (global $cancels (mut i32) (i32.const 0))
      (global $ws (mut i32) (i32.const 0))
      ;; the mode of each task, by the order it started: one task at a
      ;; time waits in the tests, so the last one is the one told.
      (global $mode (mut i32) (i32.const 0))
      (global $sub (mut i32) (i32.const 0))
      (func $wait (result i32)
        (if (i32.eqz (global.get $ws)) (then (global.set $ws (call $waitable-set.new))))
        (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
      (func (export "slow") (param $mode i32) (result i32)
        (global.set $starts (i32.add (global.get $starts) (i32.const 1)))
        (global.set $mode (local.get $mode))
        (if (i32.eq (local.get $mode) (i32.const 3))
          (then
            (global.set $sub (i32.shr_u (call $hang (i32.const 0x10)) (i32.const 4)))
            (drop (call $wait))
            (call $waitable.join (global.get $sub) (global.get $ws))))
        (call $wait))
      (func (export "slow-cb") (param $ev i32) (param $i i32) (param $p i32) (result i32)
        (if (i32.ne (local.get $ev) (i32.const 6)) (then unreachable)) ;; TASK_CANCELLED
        (global.set $cancels (i32.add (global.get $cancels) (i32.const 1)))
        (if (i32.eqz (global.get $mode))
          (then (call $task.cancel) (return (i32.const 0))))
        (if (i32.eq (global.get $mode) (i32.const 3))
          (then
            (call $waitable.join (global.get $sub) (i32.const 0))
            (if (i32.ne (call $subtask.cancel (global.get $sub)) (i32.const 4)) (then unreachable))
            (call $subtask.drop (global.get $sub))
            (call $task.cancel)
            (return (i32.const 0))))
        (if (i32.eq (global.get $mode) (i32.const 1))
          (then (call $task.return (i32.const 42)) (return (i32.const 0))))
        (call $wait))
      (func (export "bp") (param $on i32)
        (if (local.get $on) (then (call $bp.inc)) (else (call $bp.dec))))
      (func (export "stats") (result i32)
        (i32.add (i32.mul (global.get $starts) (i32.const 1000)) (global.get $cancels))))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "waitable.join" (func $waitable.join))
        (export "subtask.cancel" (func $subtask.cancel))
        (export "subtask.drop" (func $subtask.drop))
        (export "hang" (func $hang.async))
        (export "task.return" (func $task.return))
        (export "task.cancel" (func $task.cancel))
        (export "waitable-set.new" (func $waitable-set.new))
        (export "bp.inc" (func $bp.inc))
        (export "bp.dec" (func $bp.dec))))))
    (func (export "slow") async (param "mode" u32) (result u32)
      (canon lift (core func $i "slow") async (callback (core func $i "slow-cb"))))
    (func (export "bp") (param "on" bool)
      (canon lift (core func $i "bp")))
    (func (export "stats") (result u32)
      (canon lift (core func $i "stats"))))
  (component $D
    (import "slow" (func $slow async (param "mode" u32) (result u32)))
    (import "bp" (func $bp (param "on" bool)))
    (import "stats" (func $stats (result u32)))
    (import "hang" (func $hang async (result u32)))
    (type $L (list u32))
    (core module $mem (memory (export "mem") 1))
    (core instance $mi (instantiate $mem))
    (alias core export $mi "mem" (core memory $memory))
    (core func $task.return (canon task.return (result $L) (memory $memory)))
    (core func $task.cancel (canon task.cancel))
    (core func $waitable-set.new (canon waitable-set.new))
    (core func $waitable.join (canon waitable.join))
    (core func $subtask.drop (canon subtask.drop))
    (core func $subtask.cancel (canon subtask.cancel))
    (core func $subtask.cancel-async (canon subtask.cancel async))
    (core func $slow.async (canon lower (func $slow) async (memory $memory)))
    (core func $hang.async (canon lower (func $hang) async (memory $memory)))
    (core func $bp.sync (canon lower (func $bp)))
    (core func $stats.sync (canon lower (func $stats)))
    (core module $m
      (import "" "mem" (memory 1))
      (import "" "task.return" (func $task.return (param i32 i32)))
      (import "" "task.cancel" (func $task.cancel))
      (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
      (import "" "waitable.join" (func $waitable.join (param i32 i32)))
      (import "" "subtask.drop" (func $subtask.drop (param i32)))
      (import "" "subtask.cancel" (func $subtask.cancel (param i32) (result i32)))
      (import "" "subtask.cancel-async" (func $subtask.cancel-async (param i32) (result i32)))
      (import "" "slow" (func $slow (param i32 i32) (result i32)))
      (import "" "hang" (func $hang (param i32) (result i32)))
      (import "" "bp" (func $bp (param i32)))
      (import "" "stats" (func $stats (result i32)))
      (global $n (mut i32) (i32.const 0))
      (global $ws (mut i32) (i32.const 0))
      (global $b (mut i32) (i32.const 0))
      (func $rec (param i32)
        (i32.store (i32.add (i32.const 0x1000) (i32.shl (global.get $n) (i32.const 2))) (local.get 0))
        (global.set $n (i32.add (global.get $n) (i32.const 1))))
      ;; call records the state of an async call and returns its subtask.
      (func $call (param $res i32) (result i32)
        (call $rec (i32.and (local.get $res) (i32.const 0xf)))
        (i32.shr_u (local.get $res) (i32.const 4)))
      (func (export "run") (result i32) (local $a i32)
        (global.set $n (i32.const 0))
        (call $bp (i32.const 1))
        (local.set $a (call $call (call $slow (i32.const 0) (i32.const 0x20))))
        (global.set $b (call $call (call $slow (i32.const 0) (i32.const 0x24))))
        (call $rec (call $subtask.cancel (local.get $a)))
        (call $subtask.drop (local.get $a))
        (call $bp (i32.const 0))
        (global.set $ws (call $waitable-set.new))
        (call $waitable.join (global.get $b) (global.get $ws))
        (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
      (func (export "run-cb") (param $ev i32) (param $i i32) (param $p i32) (result i32) (local $c i32)
        (if (i32.ne (local.get $ev) (i32.const 1)) (then unreachable)) ;; SUBTASK
        (if (i32.ne (local.get $i) (global.get $b)) (then unreachable))
        (call $rec (local.get $p)) ;; STARTED
        (call $rec (call $subtask.cancel-async (global.get $b)))
        (call $waitable.join (global.get $b) (i32.const 0))
        (call $subtask.drop (global.get $b))
        (local.set $c (call $call (call $slow (i32.const 1) (i32.const 0x28))))
        (call $rec (call $subtask.cancel-async (local.get $c)))
        (call $rec (i32.load (i32.const 0x28)))
        (call $subtask.drop (local.get $c))
        (local.set $c (call $call (call $hang (i32.const 0x2c))))
        (call $rec (call $subtask.cancel (local.get $c)))
        (call $subtask.drop (local.get $c))
        (call $rec (call $stats))
        (call $task.return (i32.const 0x1000) (global.get $n))
        (i32.const 0))
      (func (export "twice") (result i32) (local $c i32)
        (local.set $c (i32.shr_u (call $slow (i32.const 2) (i32.const 0x20)) (i32.const 4)))
        (drop (call $subtask.cancel-async (local.get $c)))
        (drop (call $subtask.cancel-async (local.get $c)))
        (i32.const 0))
      (func (export "delivered") (result i32) (local $c i32)
        (local.set $c (i32.shr_u (call $slow (i32.const 0) (i32.const 0x20)) (i32.const 4)))
        (drop (call $subtask.cancel (local.get $c)))
        (drop (call $subtask.cancel (local.get $c)))
        (i32.const 0))
      (func (export "in-set") (result i32) (local $c i32)
        (local.set $c (i32.shr_u (call $slow (i32.const 0) (i32.const 0x20)) (i32.const 4)))
        (call $waitable.join (local.get $c) (call $waitable-set.new))
        (drop (call $subtask.cancel (local.get $c)))
        (i32.const 0))
      (func (export "self") (result i32)
        (call $task.cancel)
        (i32.const 0))
      (func (export "cb") (param i32 i32 i32) (result i32) (i32.const 0)))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "mem" (memory $memory))
        (export "task.return" (func $task.return))
        (export "task.cancel" (func $task.cancel))
        (export "waitable-set.new" (func $waitable-set.new))
        (export "waitable.join" (func $waitable.join))
        (export "subtask.drop" (func $subtask.drop))
        (export "subtask.cancel" (func $subtask.cancel))
        (export "subtask.cancel-async" (func $subtask.cancel-async))
        (export "slow" (func $slow.async))
        (export "hang" (func $hang.async))
        (export "bp" (func $bp.sync))
        (export "stats" (func $stats.sync))))))
    (func (export "run") async (result $L)
      (canon lift (core func $i "run") async (memory $memory) (callback (core func $i "run-cb"))))
    (func (export "twice") async
      (canon lift (core func $i "twice") async (callback (core func $i "cb"))))
    (func (export "delivered") async
      (canon lift (core func $i "delivered") async (callback (core func $i "cb"))))
    (func (export "in-set") async
      (canon lift (core func $i "in-set") async (callback (core func $i "cb"))))
    (func (export "self") async
      (canon lift (core func $i "self") async (callback (core func $i "cb")))))
  (instance $c (instantiate $C (with "hang" (func $hang))))
  (instance $d (instantiate $D
    (with "slow" (func $c "slow"))
    (with "bp" (func $c "bp"))
    (with "stats" (func $c "stats"))
    (with "hang" (func $hang))))
  (export "run" (func $d "run"))
  (export "twice" (func $d "twice"))
  (export "delivered" (func $d "delivered"))
  (export "in-set" (func $d "in-set"))
  (export "self" (func $d "self"))
  (export "slow" (func $c "slow"))
  (export "stats" (func $c "stats")))
