;; leave: calls between components that return a string, for may_leave and
;; the order of a call (host/leave_test.go). The callee's `get` returns
;; "hello" with a post-return that zeroes the string and the return area;
;; `caller` lowers the result with its realloc; `leaver`'s realloc calls an
;; import (ping), which must trap (CanonicalABI.md: may_leave is clear
;; while a realloc runs), whether the realloc lowers a result from another
;; component (run-leave) or an argument from the host (take); `get-ping`'s
;; post-return calls ping, which must trap too (run-post-ping).
(component
  (import "witc:test/host" (instance $h (export "ping" (func))))
  (alias export $h "ping" (func $ping))

  (component $callee
    (import "ping" (func $ping))
    (core func $ping-core (canon lower (func $ping)))
    (core module $m
      (import "host" "ping" (func $ping))
      (memory (export "mem") 1)
      (data (i32.const 64) "hello")
      (func (export "get") (result i32)
        (i32.store (i32.const 16) (i32.const 64))
        (i32.store (i32.const 20) (i32.const 5))
        (i32.const 16))
      (func (export "get-post") (param i32)
        (i32.store (i32.const 64) (i32.const 0))
        (i32.store (i32.const 16) (i32.const 0))
        (i32.store (i32.const 20) (i32.const 0)))
      (func (export "get-post-ping") (param i32)
        (call $ping)))
    (core instance $i (instantiate $m
      (with "host" (instance (export "ping" (func $ping-core))))))
    (func (export "get") (result string)
      (canon lift (core func $i "get") (memory (core memory $i "mem"))
        (post-return (core func $i "get-post"))))
    (func (export "get-ping") (result string)
      (canon lift (core func $i "get") (memory (core memory $i "mem"))
        (post-return (core func $i "get-post-ping")))))

  (component $caller
    (import "get" (func $get (result string)))
    (core module $libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (local.set $p (global.get $next))
        (global.set $next (i32.add (global.get $next) (local.get 3)))
        (local.get $p)))
    (core instance $libc (instantiate $libc))
    (core func $get-core (canon lower (func $get)
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core module $main
      (import "api" "get" (func $get (param i32)))
      (func (export "run") (result i32)
        (call $get (i32.const 32))
        (i32.const 32)))
    (core instance $main (instantiate $main
      (with "api" (instance (export "get" (func $get-core))))))
    (func (export "run") (result string)
      (canon lift (core func $main "run") (memory (core memory $libc "mem")))))

  (component $leaver
    (import "get" (func $get (result string)))
    (import "ping" (func $ping))
    (core func $ping-core (canon lower (func $ping)))
    (core module $libc
      (import "host" "ping" (func $ping))
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 1024))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $p i32)
        (call $ping)
        (local.set $p (global.get $next))
        (global.set $next (i32.add (global.get $next) (local.get 3)))
        (local.get $p)))
    (core instance $libc (instantiate $libc
      (with "host" (instance (export "ping" (func $ping-core))))))
    (core func $get-core (canon lower (func $get)
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
    (core module $main
      (import "api" "get" (func $get (param i32)))
      (func (export "run") (result i32)
        (call $get (i32.const 32))
        (i32.const 32))
      (func (export "take") (param i32 i32)))
    (core instance $main (instantiate $main
      (with "api" (instance (export "get" (func $get-core))))))
    (func (export "run") (result string)
      (canon lift (core func $main "run") (memory (core memory $libc "mem"))))
    (func (export "take") (param "s" string)
      (canon lift (core func $main "take")
        (memory (core memory $libc "mem")) (realloc (core func $libc "realloc")))))

  (instance $callee (instantiate $callee (with "ping" (func $ping))))
  (instance $caller (instantiate $caller (with "get" (func $callee "get"))))
  (instance $leaver (instantiate $leaver
    (with "get" (func $callee "get")) (with "ping" (func $ping))))
  (instance $caller-ping (instantiate $caller (with "get" (func $callee "get-ping"))))
  (export "run" (func $caller "run"))
  (export "run-leave" (func $leaver "run"))
  (export "take" (func $leaver "take"))
  (export "run-post-ping" (func $caller-ping "run")))
