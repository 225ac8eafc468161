;; greeter: strings across the boundary. `greet(name) = "Hello, " + name + "!"`
;; lifted with memory, realloc (a bump allocator) and post-return.
(component
  (core module $m
    (memory (export "memory") 64) ;; 4 MiB: room for megabyte strings
    (global $bump (mut i32) (i32.const 1024))
    (global $calls (mut i32) (i32.const 0))
    (data (i32.const 16) "Hello, ")
    ;; realloc(old, old_size, align, new_size): bump allocation, copying the
    ;; old contents when growing an allocation.
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
    (func (export "greet") (param $ptr i32) (param $len i32) (result i32)
      (local $out i32) (local $n i32)
      local.get $len
      i32.const 8
      i32.add
      local.set $n
      i32.const 0
      i32.const 0
      i32.const 1
      local.get $n
      call $realloc
      local.set $out
      ;; "Hello, "
      local.get $out
      i32.const 16
      i32.const 7
      memory.copy
      ;; name
      local.get $out
      i32.const 7
      i32.add
      local.get $ptr
      local.get $len
      memory.copy
      ;; "!"
      local.get $out
      local.get $len
      i32.add
      i32.const 7
      i32.add
      i32.const 33
      i32.store8
      ;; the result (ptr, len) in a return area at 32
      i32.const 32
      local.get $out
      i32.store
      i32.const 36
      local.get $n
      i32.store
      i32.const 32)
    ;; post-return: everything allocated during the call is released.
    (func (export "greet-post-return") (param i32)
      global.get $calls
      i32.const 1
      i32.add
      global.set $calls
      i32.const 1024
      global.set $bump)
    (func (export "calls") (result i32)
      global.get $calls))
  (core instance $i (instantiate $m))

  (func $greet (param "name" string) (result string)
    (canon lift (core func $i "greet")
      (memory (core memory $i "memory"))
      (realloc (core func $i "cabi_realloc"))
      (post-return (core func $i "greet-post-return"))))
  (func $calls (result u32) (canon lift (core func $i "calls")))
  (instance $greeter
    (export "greet" (func $greet))
    (export "calls" (func $calls)))
  (export "witc:examples/greeter@0.1.0" (instance $greeter)))
