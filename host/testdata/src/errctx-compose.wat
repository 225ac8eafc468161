;; errctx-compose: error-context values passed between two component
;; instances (TestErrorContextCompose). $D's "run" makes an error-context
;; with the message "disk on fire" and passes it to $C's "msg", which reads
;; its debug message through its own new handle and returns it as a
;; string; $D still has its handle (it reads the message again and drops
;; it). $C's "make" returns an error-context it made ("from C"), whose
;; message $D reads. "run" returns both strings. "bad" and "not-ec" pass
;; an unknown handle and a waitable set as an error-context: both trap.
(component
  (component $C
    (core module $mem
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (global.get $next)
        (global.set $next (i32.add (global.get $next) (local.get 3)))))
    (core instance $mi (instantiate $mem))
    (alias core export $mi "mem" (core memory $memory))
    (alias core export $mi "realloc" (core func $realloc))
    (core func $new (canon error-context.new (memory $memory)))
    (core func $debug (canon error-context.debug-message (memory $memory) (realloc $realloc)))
    (core func $drop (canon error-context.drop))
    (core module $m
      (import "" "mem" (memory 1))
      (import "" "new" (func $new (param i32 i32) (result i32)))
      (import "" "debug" (func $debug (param i32 i32)))
      (import "" "drop" (func $drop (param i32)))
      (data (i32.const 0x100) "from C")
      (func (export "msg") (param $e i32) (result i32)
        (call $debug (local.get $e) (i32.const 0x20))
        (call $drop (local.get $e))
        (i32.const 0x20))
      (func (export "make") (result i32)
        (call $new (i32.const 0x100) (i32.const 6))))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "mem" (memory $memory))
        (export "new" (func $new))
        (export "debug" (func $debug))
        (export "drop" (func $drop))))))
    (func (export "msg") (param "e" error-context) (result string)
      (canon lift (core func $i "msg") (memory $memory) (realloc $realloc)))
    (func (export "make") (result error-context)
      (canon lift (core func $i "make"))))
  (component $D
    (import "msg" (func $msg (param "e" error-context) (result string)))
    (import "make" (func $make (result error-context)))
    (type $T (tuple string string))
    (core module $mem
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (global.get $next)
        (global.set $next (i32.add (global.get $next) (local.get 3)))))
    (core instance $mi (instantiate $mem))
    (alias core export $mi "mem" (core memory $memory))
    (alias core export $mi "realloc" (core func $realloc))
    (core func $new (canon error-context.new (memory $memory)))
    (core func $debug (canon error-context.debug-message (memory $memory) (realloc $realloc)))
    (core func $drop (canon error-context.drop))
    (core func $waitable-set.new (canon waitable-set.new))
    (core func $msg (canon lower (func $msg) (memory $memory) (realloc $realloc)))
    (core func $make (canon lower (func $make)))
    (core module $m
      (import "" "mem" (memory 1))
      (import "" "new" (func $new (param i32 i32) (result i32)))
      (import "" "debug" (func $debug (param i32 i32)))
      (import "" "drop" (func $drop (param i32)))
      (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
      (import "" "msg" (func $msg (param i32 i32)))
      (import "" "make" (func $make (result i32)))
      (data (i32.const 0x100) "disk on fire")
      (func (export "run") (result i32) (local $e i32) (local $f i32)
        (local.set $e (call $new (i32.const 0x100) (i32.const 12)))
        (call $msg (local.get $e) (i32.const 0x30))
        ;; the handle is still $D's
        (call $debug (local.get $e) (i32.const 0x40))
        (if (i32.ne (i32.load (i32.const 0x44)) (i32.const 12)) (then unreachable))
        (call $drop (local.get $e))
        (local.set $f (call $make))
        (call $debug (local.get $f) (i32.const 0x38))
        (call $drop (local.get $f))
        (i32.const 0x30))
      (func (export "bad") (call $msg (i32.const 7) (i32.const 0x30)))
      (func (export "not-ec") (call $msg (call $waitable-set.new) (i32.const 0x30))))
    (core instance $i (instantiate $m
      (with "" (instance
        (export "mem" (memory $memory))
        (export "new" (func $new))
        (export "debug" (func $debug))
        (export "drop" (func $drop))
        (export "waitable-set.new" (func $waitable-set.new))
        (export "msg" (func $msg))
        (export "make" (func $make))))))
    (func (export "run") (result $T)
      (canon lift (core func $i "run") (memory $memory) (realloc $realloc)))
    (func (export "bad") (canon lift (core func $i "bad")))
    (func (export "not-ec") (canon lift (core func $i "not-ec"))))
  (instance $c (instantiate $C))
  (instance $d (instantiate $D (with "msg" (func $c "msg")) (with "make" (func $c "make"))))
  (export "run" (func $d "run"))
  (export "bad" (func $d "bad"))
  (export "not-ec" (func $d "not-ec")))
