;; wat-app: a hand-written wasi:cli command that imports two functions of
;; producers:lib/api (a subset: producers trim imports to what they use) and
;; prints what they return: checksum of a 100 000-byte list<u8> (filled with
;; byte i = i * 7 mod 256), then greet("wat"). No WASI adapter: the smallest
;; form of the issue's case 3 (a big list into a C library, then output).
;; Composed with c-lib by witc compose.
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
    (export "checksum" (func (param "data" (list u8)) (result u32)))
    (export "greet" (func (param "name" string) (result string)))))

  (core module $libc
    (memory (export "mem") 4)
    (global $next (mut i32) (i32.const 200000))
    ;; a bump allocator: realloc(old, old-size, align, new-size)
    (func (export "realloc") (param $old i32) (param $old-size i32) (param $align i32) (param $size i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and
        (i32.add (global.get $next) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $next (i32.add (local.get $p) (local.get $size)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))

  (core func $get-stdout (canon lower (func $stdout "get-stdout")))
  (core func $write
    (canon lower (func $streams "[method]output-stream.blocking-write-and-flush")
      (memory (core memory $libc "mem"))))
  (core func $drop-stream (canon resource.drop $output-stream))
  (core func $checksum
    (canon lower (func $api "checksum") (memory (core memory $libc "mem"))))
  (core func $greet
    (canon lower (func $api "greet")
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))

  (core module $main
    (import "libc" "mem" (memory 1))
    (import "wasi" "get-stdout" (func $get-stdout (result i32)))
    (import "wasi" "write" (func $write (param i32 i32 i32 i32)))
    (import "wasi" "drop-stream" (func $drop (param i32)))
    ;; (data ptr, data len) -> u32
    (import "api" "checksum" (func $checksum (param i32 i32) (result i32)))
    ;; (name ptr, name len, return-area ptr)
    (import "api" "greet" (func $greet (param i32 i32 i32)))
    (data (i32.const 256) "wat-app: start\0a")              ;; 256, 15
    (data (i32.const 288) "checksum(100000 bytes) = 0x")    ;; 288, 27
    (data (i32.const 320) "0123456789abcdef")               ;; 320
    (data (i32.const 336) "\0a")                            ;; 336, 1
    (data (i32.const 352) "greet(\22wat\22) = \22")         ;; 352, 16
    (data (i32.const 368) "wat")                            ;; 368, 3
    (data (i32.const 384) "\22\0a")                         ;; 384, 2
    (data (i32.const 400) "wat-app: done\0a")               ;; 400, 14
    (global $out (mut i32) (i32.const 0))

    (func $print (param $p i32) (param $n i32)
      (call $write (global.get $out) (local.get $p) (local.get $n) (i32.const 0))
      (if (i32.load8_u (i32.const 0)) (then unreachable)))

    ;; 8 hex digits of $v
    (func $hex (param $v i32)
      (local $i i32)
      (loop $l
        (i32.store8 (i32.add (i32.const 240) (local.get $i))
          (i32.load8_u (i32.add (i32.const 320)
            (i32.and (i32.shr_u (local.get $v) (i32.sub (i32.const 28) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 15)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 8))))
      (call $print (i32.const 240) (i32.const 8)))

    (func (export "run") (result i32)
      (local $i i32) (local $sum i32)
      (global.set $out (call $get-stdout))
      (call $print (i32.const 256) (i32.const 15))
      ;; 100 000 bytes at 65536
      (loop $l
        (i32.store8 (i32.add (i32.const 65536) (local.get $i)) (i32.mul (local.get $i) (i32.const 7)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const 100000))))
      (local.set $sum (call $checksum (i32.const 65536) (i32.const 100000)))
      (call $print (i32.const 288) (i32.const 27))
      (call $hex (local.get $sum))
      (call $print (i32.const 336) (i32.const 1))
      (call $greet (i32.const 368) (i32.const 3) (i32.const 16))
      (call $print (i32.const 352) (i32.const 16))
      (call $print (i32.load (i32.const 16)) (i32.load (i32.const 20)))
      (call $print (i32.const 384) (i32.const 2))
      (call $print (i32.const 400) (i32.const 14))
      (call $drop (global.get $out))
      (i32.const 0)))
  (core instance $main (instantiate $main
    (with "libc" (instance $libc))
    (with "wasi" (instance
      (export "get-stdout" (func $get-stdout))
      (export "write" (func $write))
      (export "drop-stream" (func $drop-stream))))
    (with "api" (instance
      (export "checksum" (func $checksum))
      (export "greet" (func $greet))))))

  (func $run (result (result)) (canon lift (core func $main "run")))
  (instance $run-instance (export "run" (func $run)))
  (export "wasi:cli/run@0.2.12" (instance $run-instance)))
