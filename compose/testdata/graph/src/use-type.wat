;; A component whose world `use`s a record of an interface it imports and
;; defines one of its own on it (`region`), used by its import `area`.
(component
  (type
    (instance
      (type (record (field "x" s32)))
      (export "point" (type (eq 0)))
    )
  )
  (import "witc:lib/shapes" (instance (type 0)))
  (alias export 0 "point" (type))
  (import "point" (type (eq 1)))
  (type (record (field "origin" 2)))
  (import "region" (type (eq 3)))
  (type (func (param "r" 4) (result u32)))
  (import "area" (func (type 5)))
)
