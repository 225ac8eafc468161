;; app: imports witc:examples/calc@0.1.0 (only `add`, as producers trim
;; imports to what they call) and exports witc:examples/app@0.1.0 with
;; `double-sum(x, y) = (x + y) + (x + y)`.
(component
  (import "witc:examples/calc@0.1.0" (instance $calc
    (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
  (core func $add (canon lower (func $calc "add")))
  (core module $m
    (import "calc" "add" (func $add (param i32 i32) (result i32)))
    (func (export "double-sum") (param i32 i32) (result i32)
      (local $s i32)
      local.get 0
      local.get 1
      call $add
      local.tee $s
      local.get $s
      call $add))
  (core instance $i (instantiate $m
    (with "calc" (instance (export "add" (func $add))))))

  (func $double-sum (param "x" u32) (param "y" u32) (result u32)
    (canon lift (core func $i "double-sum")))
  (instance $app (export "double-sum" (func $double-sum)))
  (export "witc:examples/app@0.1.0" (instance $app)))
