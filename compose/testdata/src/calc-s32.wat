;; calc-s32: exports witc:examples/calc@0.1.0 whose `add` takes `b: s32`:
;; a type mismatch for the app example's import.
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" s32) (result u32) (canon lift (core func $i "add")))
  (instance $calc (export "add" (func $add)))
  (export "witc:examples/calc@0.1.0" (instance $calc)))
