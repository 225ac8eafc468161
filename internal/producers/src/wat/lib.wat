;; wat-lib: a hand-written library exporting two functions of
;; producers:lib/api (checksum and greet; an export may be a subset of the
;; WIT interface), with a bump allocator as cabi realloc and no WASI.
;; Composed with wat-app by witc compose.
(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (data (i32.const 16) "hello, ")
    (func $realloc (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow (i32.add (i32.shr_u (local.get $size) (i32.const 16)) (i32.const 1))))))
      (if (local.get $old-size)
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old-size))))
      (local.get $p))
    ;; Adler-32
    (func (export "checksum") (param $p i32) (param $n i32) (result i32)
      (local $a i32) (local $b i32) (local $end i32)
      (local.set $a (i32.const 1))
      (local.set $end (i32.add (local.get $p) (local.get $n)))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
          (local.set $a (i32.rem_u (i32.add (local.get $a) (i32.load8_u (local.get $p))) (i32.const 65521)))
          (local.set $b (i32.rem_u (i32.add (local.get $b) (local.get $a)) (i32.const 65521)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $l)))
      (i32.or (i32.shl (local.get $b) (i32.const 16)) (local.get $a)))
    ;; "hello, " + name + "!"; returns the address of (ptr, len)
    (func (export "greet") (param $p i32) (param $n i32) (result i32)
      (local $s i32) (local $r i32)
      (local.set $s (call $realloc (i32.const 0) (i32.const 0) (i32.const 1) (i32.add (local.get $n) (i32.const 8))))
      (memory.copy (local.get $s) (i32.const 16) (i32.const 7))
      (memory.copy (i32.add (local.get $s) (i32.const 7)) (local.get $p) (local.get $n))
      (i32.store8 (i32.add (local.get $s) (i32.add (local.get $n) (i32.const 7))) (i32.const 33))
      (local.set $r (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 8)))
      (i32.store (local.get $r) (local.get $s))
      (i32.store offset=4 (local.get $r) (i32.add (local.get $n) (i32.const 8)))
      (local.get $r)))
  (core instance $m (instantiate $m))
  (func $checksum (param "data" (list u8)) (result u32)
    (canon lift (core func $m "checksum") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (func $greet (param "name" string) (result string)
    (canon lift (core func $m "greet") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
  (instance $api
    (export "checksum" (func $checksum))
    (export "greet" (func $greet)))
  (export "producers:lib/api@0.1.0" (instance $api)))
