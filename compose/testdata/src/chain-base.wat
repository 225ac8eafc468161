;; chain-base: exports witc:chain/base@0.1.0 `g() = 20`.
(component
  (core module $m (func (export "g") (result i32) i32.const 20))
  (core instance $i (instantiate $m))
  (func $g (result u32) (canon lift (core func $i "g")))
  (instance $base (export "g" (func $g)))
  (export "witc:chain/base@0.1.0" (instance $base)))
