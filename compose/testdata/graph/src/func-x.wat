;; A component importing a function named `x`.
(component
  (import "x" (func))
)
