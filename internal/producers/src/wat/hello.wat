;; wat-hello: a hand-written wasi:cli command (component text, parsed by
;; jco's wasm-tools). It prints its arguments one per line and $GREETING to
;; stdout, writes a line to stderr, and with first argument "fail" calls
;; wasi:cli/exit exit(err); with first argument "err" its run returns err.
;; Lists and strings come in through the core module's own bump allocator.
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
  (import "wasi:cli/stderr@0.2.12" (instance $stderr
    (alias outer 1 $output-stream (type $o))
    (export "output-stream" (type $os (eq $o)))
    (export "get-stderr" (func (result (own $os))))))
  (import "wasi:cli/environment@0.2.12" (instance $environment
    (export "get-environment" (func (result (list (tuple string string)))))
    (export "get-arguments" (func (result (list string))))))
  (import "wasi:cli/exit@0.2.12" (instance $exit
    (export "exit" (func (param "status" (result))))))

  ;; memory and allocator, shared by the lowered imports and the code
  (core module $libc
    (memory (export "mem") 2)
    (global $next (mut i32) (i32.const 4096))
    ;; a bump allocator: realloc(old, old-size, align, new-size)
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (if (i32.gt_u (global.get $next) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow (i32.add (i32.shr_u (local.get $size) (i32.const 16)) (i32.const 1))))))
      (if (local.get $old-size)
        (then (memory.copy (local.get $p) (local.get $old) (local.get $old-size))))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $get-stderr (canon lower (func $stderr "get-stderr")))
  (core func $write
    (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
      (memory (core memory $libc "mem"))))
  (core func $drop-stream (canon resource.drop $output-stream))
  (core func $get-arguments
    (canon lower (func $environment "get-arguments")
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core func $get-environment
    (canon lower (func $environment "get-environment")
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core func $exit (canon lower (func $exit "exit")))

  (core module $main
    (import "libc" "mem" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "get-stderr" (func $get-stderr (result i32)))
    ;; (self, contents.ptr, contents.len, return-area ptr)
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "drop-stream" (func $drop (param i32)))
    ;; (return-area ptr): the list's (ptr, len) is written there
    (import "wasi" "get-arguments" (func $get-arguments (param i32)))
    (import "wasi" "get-environment" (func $get-environment (param i32)))
    (import "wasi" "exit" (func $exit (param i32)))
    (data (i32.const 256) "wat-hello: start\0a")     ;; 256, 17
    (data (i32.const 288) "arg: ")                  ;; 288, 5
    (data (i32.const 304) "\0a")                    ;; 304, 1
    (data (i32.const 320) "GREETING")               ;; 320, 8
    (data (i32.const 336) "GREETING=")              ;; 336, 9
    (data (i32.const 352) "GREETING is not set\0a") ;; 352, 20
    (data (i32.const 384) "wat-hello: a line on stderr\0a") ;; 384, 28
    (data (i32.const 416) "fail")                   ;; 416, 4
    (data (i32.const 424) "err")                    ;; 424, 3
    (data (i32.const 432) "wat-hello: done\0a")     ;; 432, 16
    (data (i32.const 448) "wat-hello: exit(err)\0a") ;; 448, 21
    (data (i32.const 480) "wat-hello: run returns err\0a") ;; 480, 27
    (global $out (mut i32) (i32.const 0))
    (global $err (mut i32) (i32.const 0))

    ;; write (ptr, len) to a stream; the return area is at 0
    (func $print (param $s i32) (param $p i32) (param $n i32)
      (call $write (local.get $s) (local.get $p) (local.get $n) (i32.const 0))
      (if (i32.load8_u (i32.const 0)) (then unreachable)))

    (func $eq (param $p i32) (param $n i32) (param $q i32) (param $m i32) (result i32)
      (if (i32.ne (local.get $n) (local.get $m)) (then (return (i32.const 0))))
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (if (i32.ne (i32.load8_u (local.get $p)) (i32.load8_u (local.get $q)))
            (then (return (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (i32.const 1))

    (func (export "run") (result i32)
      (local $args i32) (local $nargs i32) (local $env i32) (local $nenv i32)
      (local $i i32) (local $e i32) (local $found i32)
      (global.set $out (call $get-stdout))
      (global.set $err (call $get-stderr))
      (call $print (global.get $out) (i32.const 256) (i32.const 17))
      ;; arguments: a list of (ptr, len); the first is the program name
      (call $get-arguments (i32.const 16))
      (local.set $args (i32.load (i32.const 16)))
      (local.set $nargs (i32.load (i32.const 20)))
      (local.set $i (i32.const 1))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $nargs)))
          (local.set $e (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 3))))
          (call $print (global.get $out) (i32.const 288) (i32.const 5))
          (call $print (global.get $out) (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)))
          (call $print (global.get $out) (i32.const 304) (i32.const 1))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      ;; environment: a list of (key ptr, key len, value ptr, value len)
      (call $get-environment (i32.const 16))
      (local.set $env (i32.load (i32.const 16)))
      (local.set $nenv (i32.load (i32.const 20)))
      (local.set $i (i32.const 0))
      (block $done
        (loop $l
          (br_if $done (i32.ge_u (local.get $i) (local.get $nenv)))
          (local.set $e (i32.add (local.get $env) (i32.shl (local.get $i) (i32.const 4))))
          (if (call $eq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)) (i32.const 320) (i32.const 8))
            (then
              (local.set $found (i32.const 1))
              (call $print (global.get $out) (i32.const 336) (i32.const 9))
              (call $print (global.get $out) (i32.load offset=8 (local.get $e)) (i32.load offset=12 (local.get $e)))
              (call $print (global.get $out) (i32.const 304) (i32.const 1))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $l)))
      (if (i32.eqz (local.get $found))
        (then (call $print (global.get $out) (i32.const 352) (i32.const 20))))
      (call $print (global.get $err) (i32.const 384) (i32.const 28))
      (if (i32.gt_u (local.get $nargs) (i32.const 1))
        (then
          (local.set $e (i32.add (local.get $args) (i32.const 8)))
          (if (call $eq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)) (i32.const 416) (i32.const 4))
            (then
              (call $print (global.get $err) (i32.const 448) (i32.const 21))
              (call $exit (i32.const 1))
              unreachable))
          (if (call $eq (i32.load (local.get $e)) (i32.load offset=4 (local.get $e)) (i32.const 424) (i32.const 3))
            (then
              (call $print (global.get $err) (i32.const 480) (i32.const 27))
              (call $drop (global.get $out))
              (call $drop (global.get $err))
              (return (i32.const 1))))))
      (call $print (global.get $out) (i32.const 432) (i32.const 16))
      (call $drop (global.get $out))
      (call $drop (global.get $err))
      (i32.const 0)))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout))
      (export "get-stderr" (func $get-stderr))
      (export "write" (func $write))
      (export "drop-stream" (func $drop-stream))
      (export "get-arguments" (func $get-arguments))
      (export "get-environment" (func $get-environment))
      (export "exit" (func $exit))))))

  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.12" (instance $run-instance)))
