;; chain-add: a middleware, a plug with an import of the interface it
;; exports: imports witc:chain/base@0.1.0 `g`, exports witc:chain/base@0.1.0
;; `g() = inner g() + 10`. Instantiated twice in a row, it adds 20.
(component
  (import "witc:chain/base@0.1.0" (instance $inner
    (export "g" (func (result u32)))))
  (core func $g (canon lower (func $inner "g")))
  (core module $m
    (import "inner" "g" (func $g (result i32)))
    (func (export "g") (result i32)
      call $g
      i32.const 10
      i32.add))
  (core instance $i (instantiate $m (with "inner" (instance (export "g" (func $g))))))
  (func $outer (result u32) (canon lift (core func $i "g")))
  (instance $base (export "g" (func $outer)))
  (export "witc:chain/base@0.1.0" (instance $base)))
