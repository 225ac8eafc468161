;; emptyname: a core module that imports from the module name "" (as
;; wit-component's fixup modules do) and from "witc:empty", the name witc
;; renames "" to, which then becomes "witc:empty-1" (TestEmptyImportName).
(component
  (core module $one
    (func (export "f") (param i32) (result i32)
      local.get 0
      i32.const 1
      i32.add))
  (core module $ten
    (func (export "f") (param i32) (result i32)
      local.get 0
      i32.const 10
      i32.add))
  (core module $m
    (import "" "f" (func $one (param i32) (result i32)))
    (import "witc:empty" "f" (func $ten (param i32) (result i32)))
    (import "" "" (func $two (param i32) (result i32)))
    (func (export "g") (param i32) (result i32)
      local.get 0
      call $one
      call $ten
      call $two))
  (core instance $1 (instantiate $one))
  (core instance $10 (instantiate $ten))
  (core instance $dup (export "f" (func $1 "f")) (export "" (func $1 "f")))
  (core instance $i (instantiate $m
    (with "" (instance $dup))
    (with "witc:empty" (instance $10))))
  (func (export "add12") (param "x" u32) (result u32) (canon lift (core func $i "g"))))
