;; wat-leave: a hand-written wasi:cli command whose realloc calls an import.
;; The canonical ABI clears the instance's may_leave flag while it runs a
;; realloc (CanonicalABI.md, LiftLowerContext.reallocate) and canon lower
;; traps on a call with may_leave clear, so lowering the result of greet
;; (producers:lib/api, from wat-lib), which calls this realloc, must trap:
;; jco does ("cannot leave component instance"; it does not check when the
;; callee is a host function, e.g. get-arguments). The command prints a line
;; before and, if nothing stopped it, a line after. Composed with wat-lib.
(component
  (import "wasi:io/error@0.2.12" (instance $error
    (export "error" (type (sub resource)))))
  (alias export $error "error" (type $error-ty))
  (import "wasi:io/streams@0.2.12" (instance $streams
    (alias outer 1 $error-ty (type $e))
    (export "error" (type $err (eq $e)))
    (type $se (variant
      (case "last-operation-failed" (own $err))
      (case "closed")))
    (export "stream-error" (type $stream-error (eq $se)))
    (export "output-stream" (type $os (sub resource)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8))
            (result (result (error $stream-error)))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.12" (instance $stdout
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stdout" (func (result (own $os))))))
  (import "producers:lib/api@0.1.0" (instance $api
    (export "greet" (func (param "name" string) (result string)))))

  (core module $libc
    (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))

  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $drop-stream (canon resource.drop $output-stream))
  (core func $write
    (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
      (memory (core memory $libc "mem"))))

  ;; the realloc: calls get-stdout (an import) and drops the stream, then
  ;; bump-allocates
  (core module $alloc
    (import "libc" "mem" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "drop-stream" (func $drop (param i32)))
    (global $next (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (call $drop (call $get-stdout))
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.get $p)))
  (core instance $alloc (instantiate $alloc
    (with "libc" (instance $libc))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout))
      (export "drop-stream" (func $drop-stream))))))

  (core func $greet
    (canon lower (func $api "greet")
      (memory (core memory $libc "mem")) (realloc (core func $alloc "realloc"))))

  (core module $main
    (import "libc" "mem" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "drop-stream" (func $drop (param i32)))
    ;; (name ptr, name len, return-area ptr)
    (import "api" "greet" (func $greet (param i32 i32 i32)))
    (data (i32.const 256) "wat-leave: start\0a")                                   ;; 17
    (data (i32.const 352) "leave")
    (data (i32.const 288) "wat-leave: realloc called an import and nothing trapped\0a") ;; 56
    (func (export "run") (result i32)
      (local $out i32)
      (local.set $out (call $get-stdout))
      (call $write (local.get $out) (i32.const 256) (i32.const 17) (i32.const 0))
      (call $greet (i32.const 352) (i32.const 5) (i32.const 16))
      (call $write (local.get $out) (i32.const 288) (i32.const 56) (i32.const 0))
      (call $drop (local.get $out))
      (i32.const 0)))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout))
      (export "write" (func $write))
      (export "drop-stream" (func $drop-stream))))
    (with "api" (instance
      (export "greet" (func $greet))))))

  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.12" (instance $run-instance)))
