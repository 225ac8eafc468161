;; bench: the component of the bindgen benchmarks (internal/bench/bench.wit):
;; a scalar function, a string function and a list-of-records function.
(component
  (core module $m
    (memory (export "memory") 64)
    (global $bump (mut i32) (i32.const 1024))
    ;; realloc: a bump allocator, reset by post-return.
    (func $realloc (export "cabi_realloc")
        (param $old i32) (param $old-size i32) (param $align i32) (param $new-size i32) (result i32)
      (local $p i32)
      global.get $bump
      local.get $align
      i32.add
      i32.const 1
      i32.sub
      i32.const 0
      local.get $align
      i32.sub
      i32.and
      local.tee $p
      local.get $new-size
      i32.add
      global.set $bump
      local.get $p
      local.get $old
      local.get $old-size
      memory.copy
      local.get $p)
    (func (export "add") (param i32 i32) (result i32)
      local.get 0
      local.get 1
      i32.add)
    ;; echo returns the argument's own bytes, valid until post-return.
    (func (export "echo") (param $ptr i32) (param $len i32) (result i32)
      i32.const 32
      local.get $ptr
      i32.store
      i32.const 36
      local.get $len
      i32.store
      i32.const 32)
    (func (export "sum") (param $ptr i32) (param $len i32) (result i32)
      (local $x i32) (local $y i32) (local $end i32)
      local.get $ptr
      local.get $len
      i32.const 8
      i32.mul
      i32.add
      local.set $end
      block $done
        loop $next
          local.get $ptr
          local.get $end
          i32.ge_u
          br_if $done
          local.get $x
          local.get $ptr
          i32.load
          i32.add
          local.set $x
          local.get $y
          local.get $ptr
          i32.load offset=4
          i32.add
          local.set $y
          local.get $ptr
          i32.const 8
          i32.add
          local.set $ptr
          br $next
        end
      end
      i32.const 32
      local.get $x
      i32.store
      i32.const 36
      local.get $y
      i32.store
      i32.const 32)
    (func (export "post-return") (param i32)
      i32.const 1024
      global.set $bump))
  (core instance $i (instantiate $m))

  (type $point (record (field "x" s32) (field "y" s32)))
  (func $add (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func $echo (param "s" string) (result string)
    (canon lift (core func $i "echo")
      (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc"))
      (post-return (core func $i "post-return"))))
  (func $sum (param "ps" (list $point)) (result $point)
    (canon lift (core func $i "sum")
      (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc"))
      (post-return (core func $i "post-return"))))
  (instance $api
    (export "point" (type $point))
    (export "add" (func $add))
    (export "echo" (func $echo))
    (export "sum" (func $sum)))
  (export "witc:bench/api@0.1.0" (instance $api)))
