;; spin-start: a component whose core module's start function never
;; returns, so that its instantiation never ends; host/limits_test.go
;; stops it at the deadline of the instantiation's context.
(component
  (core module $m
    (func $spin (loop $l (br $l)))
    (start $spin))
  (core instance $i (instantiate $m)))
