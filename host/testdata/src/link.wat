;; link: a component that imports a non-WASI interface (corpus:calc/math),
;; a WASI interface witc's WASI host lacks (wasi:sockets), a function by
;; itself (log), an interface of types only and wasi:random, which a core
;; module's start function calls when it is instantiated
;; (TestLinkBeforeRun).
(component
  (import "wasi:random/random@0.2.0" (instance $random
    (export "get-random-u64" (func (result u64)))))
  (import "corpus:calc/math@0.1.0" (instance $math
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))
    (export "mul" (func (param "a" u32) (param "b" u32) (result u32)))))
  (import "wasi:sockets/instance-network@0.2.0" (instance $net
    (export "network" (type $network (sub resource)))
    (export "instance-network" (func (result (own $network))))))
  (import "corpus:kitchen/types@0.1.0" (instance
    (type $point (record (field "x" u32) (field "y" u32)))
    (export "point" (type (eq $point)))))
  (import "log" (func $log (param "x" u32)))
  (alias export $random "get-random-u64" (func $rand))
  (alias export $math "add" (func $add))
  (alias export $net "instance-network" (func $instance-network))
  (core func $rand (canon lower (func $rand)))
  (core func $add (canon lower (func $add)))
  (core func $instance-network (canon lower (func $instance-network)))
  (core func $log (canon lower (func $log)))
  (core module $m
    (import "host" "rand" (func $rand (result i64)))
    (import "host" "add" (func $add (param i32 i32) (result i32)))
    (import "host" "instance-network" (func $instance-network (result i32)))
    (import "host" "log" (func $log (param i32)))
    (func $start (drop (call $rand)))
    (start $start)
    (func (export "add") (param i32 i32) (result i32)
      (call $add (local.get 0) (local.get 1)))
    (func (export "net") (result i32) (call $instance-network))
    (func (export "log") (call $log (i32.const 1))))
  (core instance $i (instantiate $m
    (with "host" (instance
      (export "rand" (func $rand))
      (export "add" (func $add))
      (export "instance-network" (func $instance-network))
      (export "log" (func $log))))))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (func (export "net") (result u32) (canon lift (core func $i "net")))
  (func (export "log") (canon lift (core func $i "log"))))
