;; log-new: imports witc:log/sink@0.2.5 (`log` and `flush`: a newer,
;; compatible version with one more function), exports witc:chain/base@0.1.0.
(component
  (import "witc:log/sink@0.2.5" (instance $sink
    (export "log" (func (param "v" u32)))
    (export "flush" (func))))
  (core func $log (canon lower (func $sink "log")))
  (core func $flush (canon lower (func $sink "flush")))
  (core module $m
    (import "host" "log" (func $log (param i32)))
    (import "host" "flush" (func $flush))
    (func (export "g") (result i32)
      i32.const 2
      call $log
      call $flush
      i32.const 20))
  (core instance $i (instantiate $m (with "host" (instance
    (export "log" (func $log))
    (export "flush" (func $flush))))))
  (func $g (result u32) (canon lift (core func $i "g")))
  (instance $base (export "g" (func $g)))
  (export "witc:chain/base@0.1.0" (instance $base)))
