;; sleep: `sleep(ns)` waits on a wasi:clocks pollable (subscribe-duration,
;; then pollable.block), for wasi/limits_test.go: a wait in the host ends
;; when the context of the call is done, even on a runtime that does not
;; stop running guests (host.Options.StopOnContextDone).
(component
  (import "wasi:io/poll@0.2.0" (instance $poll
    (export "pollable" (type $p (sub resource)))
    (export "[method]pollable.block" (func (param "self" (borrow $p))))))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:clocks/monotonic-clock@0.2.0" (instance $clock
    (alias outer 1 $pollable (type $p0))
    (export "pollable" (type $p (eq $p0)))
    (export "subscribe-duration" (func (param "when" u64) (result (own $p))))))
  (core func $subscribe (canon lower (func $clock "subscribe-duration")))
  (core func $block (canon lower (func $poll "[method]pollable.block")))
  (core func $drop (canon resource.drop $pollable))
  (core module $m
    (import "wasi" "subscribe-duration" (func $subscribe (param i64) (result i32)))
    (import "wasi" "block" (func $block (param i32)))
    (import "wasi" "drop" (func $drop (param i32)))
    (func (export "sleep") (param $ns i64)
      (local $p i32)
      (local.set $p (call $subscribe (local.get $ns)))
      (call $block (local.get $p))
      (call $drop (local.get $p))))
  (core instance $i (instantiate $m
    (with "wasi" (instance
      (export "subscribe-duration" (func $subscribe))
      (export "block" (func $block))
      (export "drop" (func $drop))))))
  (func (export "sleep") (param "ns" u64) (canon lift (core func $i "sleep"))))
