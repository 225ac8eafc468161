;; fixtures.sh: not validated (wasmparser gates component start functions
;; behind its `cm-values` feature, 🪙, which jco has off).
;; start: a component start function (a lifted function of no parameters
;; and no results), which runs when the component is instantiated
;; (TestStartFunction).
(component
  (core module $m
    (global $g (mut i32) (i32.const 0))
    (func (export "init")
      global.get $g
      i32.const 42
      i32.add
      global.set $g)
    (func (export "get") (result i32) global.get $g))
  (core instance $i (instantiate $m))
  (func $init (canon lift (core func $i "init")))
  (start $init)
  (func (export "get") (result u32) (canon lift (core func $i "get"))))
