;; log-old: the root of the semver test. Imports witc:log/sink@0.2.0 (`log`)
;; and witc:chain/base@0.1.0 (provided by log-new), exports
;; witc:chain/top@0.1.0 `run() = g()` after logging.
(component
  (import "witc:log/sink@0.2.0" (instance $sink
    (export "log" (func (param "v" u32)))))
  (import "witc:chain/base@0.1.0" (instance $base
    (export "g" (func (result u32)))))
  (core func $log (canon lower (func $sink "log")))
  (core func $g (canon lower (func $base "g")))
  (core module $m
    (import "host" "log" (func $log (param i32)))
    (import "host" "g" (func $g (result i32)))
    (func (export "run") (result i32)
      i32.const 1
      call $log
      call $g))
  (core instance $i (instantiate $m (with "host" (instance
    (export "log" (func $log))
    (export "g" (func $g))))))
  (func $run (result u32) (canon lift (core func $i "run")))
  (instance $top (export "run" (func $run)))
  (export "witc:chain/top@0.1.0" (instance $top)))
