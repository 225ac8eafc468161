;; limits: a component that tries to take more than a host should give, for
;; host/limits_test.go and `witc run`'s --timeout and --max-memory tests: a
;; loop without end, a memory grown until memory.grow fails, a recursion
;; without end, and a table grown on request. Two core instances have a
;; memory each (one page at first), so a limit on the component's memory
;; counts both.
(component
  (core module $a
    (memory (export "memory") 1)
    (table $t 0 funcref)
    (func (export "spin")
      (loop $l (br $l)))
    ;; grows the memory a page at a time until memory.grow returns -1, and
    ;; returns the size reached, in pages
    (func (export "grow") (result i32)
      (block $refused
        (loop $l
          (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (br $l)))
      (memory.size))
    (func $recurse (export "recurse") (param i32) (result i32)
      (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
    ;; table.grow by n: the previous size, or -1 when refused
    (func (export "table-grow") (param i32) (result i32)
      (table.grow $t (ref.null func) (local.get 0))))
  (core instance $a (instantiate $a))
  (core module $b
    (memory (export "memory") 1)
    (func (export "size") (result i32) (memory.size)))
  (core instance $b (instantiate $b))
  (func (export "spin") (canon lift (core func $a "spin")))
  (func (export "grow") (result u32) (canon lift (core func $a "grow")))
  (func (export "recurse") (param "n" u32) (result u32) (canon lift (core func $a "recurse")))
  (func (export "table-grow") (param "n" u32) (result s32) (canon lift (core func $a "table-grow")))
  (func (export "size-b") (result u32) (canon lift (core func $b "size"))))
