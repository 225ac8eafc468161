;; chain-mid: a plug that itself has an import: imports witc:chain/base@0.1.0
;; `g`, exports witc:chain/mid@0.1.0 `f() = g() + 1`.
(component
  (import "witc:chain/base@0.1.0" (instance $base
    (export "g" (func (result u32)))))
  (core func $g (canon lower (func $base "g")))
  (core module $m
    (import "base" "g" (func $g (result i32)))
    (func (export "f") (result i32)
      call $g
      i32.const 1
      i32.add))
  (core instance $i (instantiate $m (with "base" (instance (export "g" (func $g))))))
  (func $f (result u32) (canon lift (core func $i "f")))
  (instance $mid (export "f" (func $f)))
  (export "witc:chain/mid@0.1.0" (instance $mid)))
