;; borrow: an export that keeps a borrowed host resource past its return
;; (a trap: the canonical ABI requires borrows to be dropped) and one that
;; drops it, for host/flat_test.go.
(component
  (import "witc:test/res" (instance $h (export "r" (type (sub resource)))))
  (alias export $h "r" (type $r))
  (core func $drop (canon resource.drop $r))
  (core module $m
    (import "host" "drop" (func $drop (param i32)))
    (func (export "keep") (param i32))
    (func (export "drop") (param i32)
      local.get 0
      call $drop))
  (core instance $hi (export "drop" (func $drop)))
  (core instance $i (instantiate $m (with "host" (instance $hi))))
  (func (export "keep") (param "x" (borrow $r)) (canon lift (core func $i "keep")))
  (func (export "drop") (param "x" (borrow $r)) (canon lift (core func $i "drop"))))
