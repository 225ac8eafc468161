;; async: exports lifted with the async ABI and a callback (TestAsyncCallback).
;; "run" stores its argument with context.set, yields twice, then calls the
;; host's "double" through an async lower (which returns RETURNED, its result
;; in memory) and returns double(x) + context.get() with task.return. "poll"
;; makes a waitable set, polls it (NONE) and drops it. The others trap:
;; task.return twice, a task.return of another type, an exit without
;; task.return, a wait on a handle that is not a waitable set.
(component
  (import "double" (func $double async (param "x" u32) (result u32)))
  (core module $mem (memory (export "mem") 1))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "mem" (core memory $memory))
  (core func $task.return (canon task.return (result u32)))
  (core func $task.return.none (canon task.return))
  (core func $context.get (canon context.get i32 0))
  (core func $context.set (canon context.set i32 0))
  (core func $waitable-set.new (canon waitable-set.new))
  (core func $waitable-set.poll (canon waitable-set.poll (memory $memory)))
  (core func $waitable-set.drop (canon waitable-set.drop))
  (core func $double.async (canon lower (func $double) async (memory $memory)))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "task.return.none" (func $task.return.none))
    (import "" "context.get" (func $context.get (result i32)))
    (import "" "context.set" (func $context.set (param i32)))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (import "" "waitable-set.poll" (func $waitable-set.poll (param i32 i32) (result i32)))
    (import "" "waitable-set.drop" (func $waitable-set.drop (param i32)))
    (import "" "double" (func $double (param i32 i32) (result i32)))
    (global $steps (mut i32) (i32.const 0))
    (func (export "run") (param $x i32) (result i32)
      (call $context.set (local.get $x))
      (global.set $steps (i32.const 0))
      i32.const 1) ;; YIELD
    (func (export "run-cb") (param $ev i32) (param $p1 i32) (param $p2 i32) (result i32)
      (if (local.get $ev) (then unreachable)) ;; the NONE event
      (global.set $steps (i32.add (global.get $steps) (i32.const 1)))
      (if (i32.lt_u (global.get $steps) (i32.const 2)) (then (return (i32.const 1))))
      ;; RETURNED (2), the result at 16
      (if (i32.ne (call $double (call $context.get) (i32.const 16)) (i32.const 2)) (then unreachable))
      (call $task.return (i32.add (i32.load (i32.const 16)) (call $context.get)))
      i32.const 0) ;; EXIT
    (func (export "steps") (result i32) (global.get $steps))
    (func (export "poll") (result i32)
      (local $s i32) (local $ev i32)
      (local.set $s (call $waitable-set.new))
      (local.set $ev (call $waitable-set.poll (local.get $s) (i32.const 32)))
      (call $waitable-set.drop (local.get $s))
      (i32.add (i32.mul (local.get $s) (i32.const 100)) (local.get $ev)))
    (func (export "twice") (result i32)
      (call $task.return (i32.const 1))
      (call $task.return (i32.const 2))
      i32.const 0)
    (func (export "wrong") (result i32)
      (call $task.return.none)
      i32.const 0)
    (func (export "no-return") (result i32) i32.const 0)
    (func (export "bad-wait") (result i32) i32.const 0x72) ;; WAIT on handle 7
    (func (export "exit-cb") (param i32 i32 i32) (result i32) i32.const 0))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $memory))
      (export "task.return" (func $task.return))
      (export "task.return.none" (func $task.return.none))
      (export "context.get" (func $context.get))
      (export "context.set" (func $context.set))
      (export "waitable-set.new" (func $waitable-set.new))
      (export "waitable-set.poll" (func $waitable-set.poll))
      (export "waitable-set.drop" (func $waitable-set.drop))
      (export "double" (func $double.async))))))
  (func (export "run") async (param "x" u32) (result u32)
    (canon lift (core func $i "run") async (callback (core func $i "run-cb"))))
  (func (export "steps") (result u32) (canon lift (core func $i "steps")))
  (func (export "poll") (result u32) (canon lift (core func $i "poll")))
  (func (export "twice") async (result u32)
    (canon lift (core func $i "twice") async (callback (core func $i "exit-cb"))))
  (func (export "wrong") async (result u32)
    (canon lift (core func $i "wrong") async (callback (core func $i "exit-cb"))))
  (func (export "no-return") async (result u32)
    (canon lift (core func $i "no-return") async (callback (core func $i "exit-cb"))))
  (func (export "bad-wait") async (result u32)
    (canon lift (core func $i "bad-wait") async (callback (core func $i "exit-cb")))))
