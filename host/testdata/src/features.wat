;; features: a core module with an extended constant expression (a global
;; initialized with i32.add, as componentize-qjs (QuickJS) builds have)
;; and a tail call, which NewRuntime turns on in wazero (TestCoreFeatures).
(component
  (core module $m
    (global $g i32 (i32.add (i32.mul (i32.const 8) (i32.const 5)) (i32.const 2)))
    (func $get (result i32) global.get $g)
    (func (export "answer") (result i32) return_call $get))
  (core instance $i (instantiate $m))
  (func (export "answer") (result u32) (canon lift (core func $i "answer"))))
