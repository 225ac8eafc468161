;; maps: map<K, V> across the boundary, for the bindings tests
;; (internal/e2e/testdata/maps.wit). An entry of map<string, u32> is 12
;; bytes: the key's pointer and length, then the value.
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
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
    ;; sum-values(entries, n): the sum of the values.
    (func (export "sum-values") (param $ptr i32) (param $n i32) (result i32)
      (local $sum i32)
      block $done
        loop $next
          local.get $n
          i32.eqz
          br_if $done
          local.get $sum
          local.get $ptr
          i32.load offset=8
          i32.add
          local.set $sum
          local.get $ptr
          i32.const 12
          i32.add
          local.set $ptr
          local.get $n
          i32.const 1
          i32.sub
          local.set $n
          br $next
        end
      end
      local.get $sum)
    ;; echo(entries, n): the same map back, from the argument's memory.
    (func (export "echo") (param $ptr i32) (param $n i32) (result i32)
      i32.const 32
      local.get $ptr
      i32.store
      i32.const 36
      local.get $n
      i32.store
      i32.const 32)
    (func (export "post-return") (param i32)
      i32.const 1024
      global.set $bump)
    (func (export "post-return-u32") (param i32)
      i32.const 1024
      global.set $bump))
  (core instance $i (instantiate $m))
  (func $sum (param "m" (map string u32)) (result u32)
    (canon lift (core func $i "sum-values")
      (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc"))
      (post-return (core func $i "post-return-u32"))))
  (func $echo (param "m" (map string u32)) (result (map string u32))
    (canon lift (core func $i "echo")
      (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc"))
      (post-return (core func $i "post-return"))))
  (instance $api
    (export "sum-values" (func $sum))
    (export "echo" (func $echo)))
  (export "witc:maps/api@0.1.0" (instance $api)))
