;; A component importing an instance `foo` with a function `baz`.
(component
  (import "foo" (instance
    (export "baz" (func))
  ))
)
