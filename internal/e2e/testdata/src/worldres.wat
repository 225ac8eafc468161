;; worldres: a resource the world imports by itself (not through an
;; interface), implemented by the host: `roundtrip(n)` constructs one,
;; calls its method and drops it (testdata/worldres.wit).
(component
  (import "r" (type $r (sub resource)))
  (import "[constructor]r" (func $new (param "n" u32) (result (own $r))))
  (import "[method]r.get" (func $get (param "self" (borrow $r)) (result u32)))
  (core func $new-core (canon lower (func $new)))
  (core func $get-core (canon lower (func $get)))
  (core func $drop (canon resource.drop $r))
  (core module $m
    (import "h" "new" (func $new (param i32) (result i32)))
    (import "h" "get" (func $get (param i32) (result i32)))
    (import "h" "drop" (func $drop (param i32)))
    (func (export "roundtrip") (param i32) (result i32)
      (local $h i32) (local $v i32)
      local.get 0
      call $new
      local.tee $h
      call $get
      local.set $v
      local.get $h
      call $drop
      local.get $v))
  (core instance $hi (export "new" (func $new-core)) (export "get" (func $get-core)) (export "drop" (func $drop)))
  (core instance $i (instantiate $m (with "h" (instance $hi))))
  (func (export "roundtrip") (param "n" u32) (result u32) (canon lift (core func $i "roundtrip"))))
