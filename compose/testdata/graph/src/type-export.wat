;; A component that exports a type (a function type, which WIT cannot
;; express) besides a function.
(component
  (type (export "f") (func))
  (import "foo" (func))
  (import "i1" (instance))
  (export "bar" (func 0))
)
