;; caller: a component written in WAT that imports the componentize-qjs
;; component's witc:qjsasync/api (add and greet, async functions) and is
;; composed with it by witc compose (TestComposeWithQjs): sum and hello
;; call them with a synchronous lower (the caller waits while the callee's
;; task runs), async-sum with an async lower from a callback-lifted task
;; that waits for its subtask.
(component
  (import "witc:qjsasync/api@0.1.0" (instance $api
    (export "add" (func async (param "a" u32) (param "b" u32) (result u32)))
    (export "greet" (func async (param "name" string) (result string)))))
  (core module $mem
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    ;; a bump allocator
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $p) (local.get 3)))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "mem" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))
  (core func $add.sync (canon lower (func $api "add")))
  (core func $add.async (canon lower (func $api "add") async (memory $memory)))
  (core func $greet.sync (canon lower (func $api "greet") (memory $memory) (realloc $realloc) string-encoding=utf8))
  (core func $task.return (canon task.return (result u32)))
  (core func $ws.new (canon waitable-set.new))
  (core func $w.join (canon waitable.join))
  (core func $sub.drop (canon subtask.drop))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "add.sync" (func $add.sync (param i32 i32) (result i32)))
    (import "" "add.async" (func $add.async (param i32 i32 i32) (result i32)))
    (import "" "greet.sync" (func $greet.sync (param i32 i32 i32)))
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "w.join" (func $w.join (param i32 i32)))
    (import "" "sub.drop" (func $sub.drop (param i32)))
    (data (i32.const 16) "wasm")
    (global $set (mut i32) (i32.const 0))
    (func $wait (result i32)
      (i32.or (i32.const 2) (i32.shl (global.get $set) (i32.const 4))))
    (func (export "sum") (result i32)
      (call $add.sync (i32.const 2) (i32.const 3)))
    (func (export "hello") (result i32)
      (call $greet.sync (i32.const 16) (i32.const 4) (i32.const 32))
      (i32.const 32))
    (func (export "async-sum") (result i32)
      (local $st i32)
      (local.set $st (call $add.async (i32.const 20) (i32.const 22) (i32.const 48)))
      (if (i32.eq (i32.and (local.get $st) (i32.const 0xf)) (i32.const 2))
        (then
          (call $task.return (i32.load (i32.const 48)))
          (return (i32.const 0))))
      (global.set $set (call $ws.new))
      (call $w.join (i32.shr_u (local.get $st) (i32.const 4)) (global.get $set))
      (call $wait))
    (func (export "cb") (param $ev i32) (param $p1 i32) (param $p2 i32) (result i32)
      (if (i32.ne (local.get $ev) (i32.const 1)) (then unreachable))
      ;; STARTED before RETURNED: wait on
      (if (i32.ne (local.get $p2) (i32.const 2)) (then (return (call $wait))))
      (call $sub.drop (local.get $p1))
      (call $task.return (i32.load (i32.const 48)))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $memory))
      (export "add.sync" (func $add.sync))
      (export "add.async" (func $add.async))
      (export "greet.sync" (func $greet.sync))
      (export "task.return" (func $task.return))
      (export "ws.new" (func $ws.new))
      (export "w.join" (func $w.join))
      (export "sub.drop" (func $sub.drop))))))
  (func (export "sum") (result u32) (canon lift (core func $i "sum")))
  (func (export "hello") (result string)
    (canon lift (core func $i "hello") (memory $memory) string-encoding=utf8))
  (func (export "async-sum") async (result u32)
    (canon lift (core func $i "async-sum") async (callback (core func $i "cb")))))
