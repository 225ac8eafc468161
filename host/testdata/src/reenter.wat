;; reenter: an export that calls the host (outer, through the import cb)
;; and one that counts its calls (count), for calls into one instance from
;; several goroutines and from a host function (host/lock_test.go).
(component
  (import "witc:test/cb" (instance $cb (export "cb" (func (result u32)))))
  (alias export $cb "cb" (func $cb-f))
  (core func $cb-core (canon lower (func $cb-f)))
  (core module $m
    (import "" "cb" (func $cb (result i32)))
    (global $n (mut i32) (i32.const 0))
    (func (export "outer") (result i32) (call $cb))
    (func (export "count") (result i32)
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (global.get $n)))
  (core instance $i (instantiate $m (with "" (instance (export "cb" (func $cb-core))))))
  (func (export "outer") (result u32) (canon lift (core func $i "outer")))
  (func (export "count") (result u32) (canon lift (core func $i "count"))))
