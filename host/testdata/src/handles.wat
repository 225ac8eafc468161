;; handles: an export that creates resource handles and drops none of
;; them, for the bound on the table of handles (host/budget_test.go).
(component
  (type $r (resource (rep i32)))
  (core func $new (canon resource.new $r))
  (core module $m
    (import "" "new" (func $new (param i32) (result i32)))
    ;; make(n): n handles; returns the last one
    (func (export "make") (param $n i32) (result i32)
      (local $h i32)
      (block $done
        (loop $more
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $h (call $new (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $more)))
      (local.get $h)))
  (core instance $i (instantiate $m (with "" (instance (export "new" (func $new))))))
  (func (export "make") (param "n" u32) (result u32) (canon lift (core func $i "make"))))
