;; A component importing an instance with an instance export (no WIT).
(component
  (import "foo" (instance
    (export "baz" (instance))
  ))
)
