;; A component whose world imports types: a resource `x`, `y` = `x`, and a
;; function using both (the shape of `resource x; type y = x;` in a world).
(component
  (import "x" (type (sub resource)))
  (import "y" (type (eq 0)))
  (type (own 0))
  (type (own 1))
  (type (func (param "x" 2) (result 3)))
  (import "f" (func (type 4)))
)
