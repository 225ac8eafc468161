;; evil: a component whose functions break the canonical ABI on purpose, to
;; check that witc's runtime reports traps as errors (never a Go panic or a
;; huge allocation).
(component
  (core module $m
    (memory (export "memory") 1)
    ;; realloc returns an address far outside memory
    (func (export "bad-realloc") (param i32 i32 i32 i32) (result i32)
      i32.const -16)
    ;; realloc returns an unaligned address
    (func (export "odd-realloc") (param i32 i32 i32 i32) (result i32)
      i32.const 1001)
    (func (export "good-realloc") (param i32 i32 i32 i32) (result i32)
      i32.const 1024)
    ;; string results are (ptr, len) in a return area at 16
    (func (export "oob-string") (result i32)
      i32.const 16
      i32.const 65000
      i32.store
      i32.const 20
      i32.const 1000
      i32.store
      i32.const 16)
    (func (export "huge-string") (result i32)
      i32.const 16
      i32.const 0
      i32.store
      i32.const 20
      i32.const 0x7fffffff
      i32.store
      i32.const 16)
    (func (export "bad-utf8") (result i32)
      i32.const 100
      i32.const 0xff
      i32.store8
      i32.const 16
      i32.const 100
      i32.store
      i32.const 20
      i32.const 1
      i32.store
      i32.const 16)
    (func (export "huge-list") (result i32)
      i32.const 16
      i32.const 0
      i32.store
      i32.const 20
      i32.const 0x40000000
      i32.store
      i32.const 16)
    (func (export "bad-char") (result i32)
      i32.const 0xd800)
    ;; option<u32> is (discriminant, payload)
    (func (export "bad-option") (result i32)
      i32.const 16
      i32.const 7
      i32.store8
      i32.const 16)
    (func (export "unreachable") (result i32)
      unreachable)
    (func (export "take-string") (param i32 i32) (result i32)
      local.get 1))
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))

  (func (export "oob-string") (result string)
    (canon lift (core func $i "oob-string") (memory $mem)))
  (func (export "huge-string") (result string)
    (canon lift (core func $i "huge-string") (memory $mem)))
  (func (export "bad-utf8") (result string)
    (canon lift (core func $i "bad-utf8") (memory $mem)))
  (func (export "huge-list") (result (list u64))
    (canon lift (core func $i "huge-list") (memory $mem)))
  (func (export "bad-char") (result char)
    (canon lift (core func $i "bad-char")))
  (func (export "bad-option") (result (option u32))
    (canon lift (core func $i "bad-option") (memory $mem)))
  (func (export "unreachable") (result u32)
    (canon lift (core func $i "unreachable")))
  (func (export "bad-realloc") (param "s" string) (result u32)
    (canon lift (core func $i "take-string") (memory $mem) (realloc (core func $i "bad-realloc"))))
  (func (export "odd-realloc") (param "s" (list u64)) (result u32)
    (canon lift (core func $i "take-string") (memory $mem) (realloc (core func $i "odd-realloc"))))
  (func (export "good") (param "s" string) (result u32)
    (canon lift (core func $i "take-string") (memory $mem) (realloc (core func $i "good-realloc")))))
