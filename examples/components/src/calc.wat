;; calc: a library component exporting witc:examples/calc@0.1.0
;; (add, mul on u32; a bare world-level function `version`).
(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add)
    (func (export "mul") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.mul)
    (func (export "version") (result i32)
      i32.const 1))
  (core instance $i (instantiate $m))

  (type $binop (func (param "a" u32) (param "b" u32) (result u32)))
  (func $add (type $binop) (canon lift (core func $i "add")))
  (func $mul (type $binop) (canon lift (core func $i "mul")))
  (func $version (result u32) (canon lift (core func $i "version")))

  (instance $calc
    (export "add" (func $add))
    (export "mul" (func $mul)))
  (export "witc:examples/calc@0.1.0" (instance $calc))
  (export "version" (func $version)))
