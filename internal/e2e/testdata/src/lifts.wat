;; lifts: every export returns a pointer to its argument's bytes, so that the
;; host lifts its result from memory the caller chose (the fuzz target
;; FuzzLiftThroughBindings in internal/e2e). Types: testdata/lifts.wit.
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    ;; realloc: 8-aligned bump allocation (the argument doubles as a return
    ;; area), wrapping around inside the one page.
    (func $realloc (export "cabi_realloc")
        (param $old i32) (param $old-size i32) (param $align i32) (param $new-size i32) (result i32)
      (local $p i32)
      global.get $bump
      i32.const 7
      i32.add
      i32.const -8
      i32.and
      local.tee $p
      local.get $new-size
      i32.add
      i32.const 65536
      i32.gt_u
      if
        i32.const 1024
        local.set $p
      end
      local.get $p
      local.get $new-size
      i32.add
      global.set $bump
      local.get $p)
    (func (export "as") (param $ptr i32) (param $len i32) (result i32)
      local.get $ptr)
    (func (export "post-return") (param i32)
      i32.const 1024
      global.set $bump))
  (core instance $i (instantiate $m))
  (type $point (record (field "x" s32) (field "y" s32)))
  (type $color (enum "red" "green" "blue"))
  (type $perms (flags "read" "write" "exec"))
  (type $shape (variant (case "circle" f64) (case "rect" (tuple f32 f32)) (case "polygon" (list $point)) (case "dot")))
  (type $person (record (field "name" string) (field "age" u8) (field "tags" (list string))
    (field "home" (option $point)) (field "favourite" $color) (field "access" $perms) (field "initial" char)))
  (func $as-person (param "b" (list u8)) (result $person)
    (canon lift (core func $i "as") (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc")) (post-return (core func $i "post-return"))))
  (func $as-shapes (param "b" (list u8)) (result (list $shape))
    (canon lift (core func $i "as") (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc")) (post-return (core func $i "post-return"))))
  (func $as-nested (param "b" (list u8)) (result (option (option (result (tuple string char) (error (list u64))))))
    (canon lift (core func $i "as") (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc")) (post-return (core func $i "post-return"))))
  (func $as-map (param "b" (list u8)) (result (map string (list bool)))
    (canon lift (core func $i "as") (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc")) (post-return (core func $i "post-return"))))
  (instance $api
    (export "point" (type $point))
    (export "color" (type $color))
    (export "perms" (type $perms))
    (export "shape" (type $shape))
    (export "person" (type $person))
    (export "as-person" (func $as-person))
    (export "as-shapes" (func $as-shapes))
    (export "as-nested" (func $as-nested))
    (export "as-map" (func $as-map)))
  (export "witc:lifts/api@0.1.0" (instance $api)))
