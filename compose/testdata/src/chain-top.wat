;; chain-top: imports witc:chain/mid@0.1.0 `f`, exports witc:chain/top@0.1.0
;; `run() = f() * 2`.
(component
  (import "witc:chain/mid@0.1.0" (instance $mid
    (export "f" (func (result u32)))))
  (core func $f (canon lower (func $mid "f")))
  (core module $m
    (import "mid" "f" (func $f (result i32)))
    (func (export "run") (result i32)
      call $f
      i32.const 2
      i32.mul))
  (core instance $i (instantiate $m (with "mid" (instance (export "f" (func $f))))))
  (func $run (result u32) (canon lift (core func $i "run")))
  (instance $top (export "run" (func $run)))
  (export "witc:chain/top@0.1.0" (instance $top)))
