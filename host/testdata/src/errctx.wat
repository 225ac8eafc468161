;; errctx: error-context.new, error-context.debug-message and
;; error-context.drop (TestErrorContext). "msg" makes an error-context from
;; the UTF-8 bytes at 0x100, reads its debug message back (the pointer and
;; length stored at 0x20, the bytes allocated by realloc at 0x400) and
;; returns the handle, the length and the first 4 bytes read back. The
;; others trap: a drop of a dropped error-context, a debug-message of a
;; handle that is a waitable set.
(component
  (core module $mem
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0x400))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "mem" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))
  (core func $new (canon error-context.new (memory $memory)))
  (core func $debug (canon error-context.debug-message (memory $memory) (realloc $realloc)))
  (core func $drop (canon error-context.drop))
  (core func $waitable-set.new (canon waitable-set.new))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "new" (func $new (param i32 i32) (result i32)))
    (import "" "debug" (func $debug (param i32 i32)))
    (import "" "drop" (func $drop (param i32)))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (data (i32.const 0x100) "disk on fire")
    (func (export "msg") (result i64) (local $e i32)
      (local.set $e (call $new (i32.const 0x100) (i32.const 12)))
      (call $debug (local.get $e) (i32.const 0x20))
      (if (i32.ne (i32.load (i32.const 0x20)) (i32.const 0x400)) (then unreachable))
      (call $drop (local.get $e))
      (i64.or
        (i64.or
          (i64.extend_i32_u (local.get $e))
          (i64.shl (i64.extend_i32_u (i32.load (i32.const 0x24))) (i64.const 8)))
        (i64.shl (i64.extend_i32_u (i32.load (i32.const 0x400))) (i64.const 32))))
    (func (export "drop-twice") (local $e i32)
      (local.set $e (call $new (i32.const 0x100) (i32.const 4)))
      (call $drop (local.get $e))
      (call $drop (local.get $e)))
    (func (export "not-ec")
      (call $debug (call $waitable-set.new) (i32.const 0x20)))
    (func (export "out-of-bounds") (drop (call $new (i32.const 0xfffff) (i32.const 4)))))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $memory))
      (export "new" (func $new))
      (export "debug" (func $debug))
      (export "drop" (func $drop))
      (export "waitable-set.new" (func $waitable-set.new))))))
  (func (export "msg") (result u64) (canon lift (core func $i "msg")))
  (func (export "drop-twice") (canon lift (core func $i "drop-twice")))
  (func (export "not-ec") (canon lift (core func $i "not-ec")))
  (func (export "out-of-bounds") (canon lift (core func $i "out-of-bounds"))))
