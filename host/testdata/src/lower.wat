;; lower: a call lowered with the async ABI to an async-typed function
;; lifted without it (it returns at once: RETURNED, its result stored where
;; the caller says), and a component calling a function it lifts itself,
;; which traps (host/context_test.go).
(component
  (component $callee
    (core module $m
      (memory (export "mem") 1)
      (data (i32.const 64) "hello")
      (func (export "get") (result i32)
        (i32.store (i32.const 16) (i32.const 64))
        (i32.store (i32.const 20) (i32.const 5))
        (i32.const 16)))
    (core instance $i (instantiate $m))
    (func (export "get") async (result string)
      (canon lift (core func $i "get") (memory (core memory $i "mem")))))
  (instance $c (instantiate $callee))

  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $get-async (canon lower (func $c "get") async
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $seven (func (export "seven") (result i32) (i32.const 7)))
  (core instance $seven (instantiate $seven))
  (func $seven (result u32) (canon lift (core func $seven "seven")))
  (core func $seven-lowered (canon lower (func $seven)))
  (core module $main
    (import "" "mem" (memory 1))
    (import "" "get" (func $get (param i32) (result i32)))
    (import "" "seven" (func $seven (result i32)))
    ;; run: the result is (ptr, len) at 32; get-status: what get returned
    (func (export "run") (result i32)
      (drop (call $get (i32.const 32)))
      (i32.const 32))
    (func (export "get-status") (result i32) (call $get (i32.const 48)))
    (func (export "call-self") (result i32) (call $seven)))
  (core instance $main (instantiate $main
    (with "" (instance
      (export "mem" (memory $libc "mem"))
      (export "get" (func $get-async))
      (export "seven" (func $seven-lowered))))))
  (func (export "run") (result string)
    (canon lift (core func $main "run") (memory (core memory $libc "mem"))))
  (func (export "get-status") (result u32) (canon lift (core func $main "get-status")))
  (func (export "call-self") (result u32) (canon lift (core func $main "call-self"))))
