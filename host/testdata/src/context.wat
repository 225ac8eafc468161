;; context: what witc runs of the built-ins beyond lift and lower without
;; the async ABI's machinery (host/context_test.go): context.get and
;; context.set (the storage of the thread running in the instance: each
;; call starts with zeroes, its post-return sees what it set),
;; backpressure.inc and backpressure.dec, and a lowered import lifted again
;; as it is (a core function the host made).
(component
  (import "ping" (func $ping (result u32)))
  (core func $ping-core (canon lower (func $ping)))
  (core func $context.get (canon context.get i32 0))
  (core func $context.set (canon context.set i32 0))
  (core func $bp.inc (canon backpressure.inc))
  (core func $bp.dec (canon backpressure.dec))
  (core module $m
    (import "" "context.get" (func $get (result i32)))
    (import "" "context.set" (func $set (param i32)))
    (import "" "bp.inc" (func $inc))
    (import "" "bp.dec" (func $dec))
    (global $saved (mut i32) (i32.const 0))
    ;; f returns the slot as the call found it, and sets it to 42
    (func (export "f") (result i32)
      (local $was i32)
      (local.set $was (call $get))
      (call $set (i32.const 42))
      (local.get $was))
    (func (export "f-post") (param i32)
      (global.set $saved (call $get)))
    (func (export "saved") (result i32) (global.get $saved))
    (func (export "inc") (call $inc))
    (func (export "dec") (call $dec)))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "context.get" (func $context.get))
      (export "context.set" (func $context.set))
      (export "bp.inc" (func $bp.inc))
      (export "bp.dec" (func $bp.dec))))))
  (func (export "ping-again") (result u32) (canon lift (core func $ping-core)))
  (func (export "f") (result u32)
    (canon lift (core func $i "f") (post-return (core func $i "f-post"))))
  (func (export "saved") (result u32) (canon lift (core func $i "saved")))
  (func (export "inc") (canon lift (core func $i "inc")))
  (func (export "dec") (canon lift (core func $i "dec"))))
