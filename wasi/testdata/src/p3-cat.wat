;; p3-cat: a WASI 0.3 command (TestP3Command). Its run, an async function
;; lifted with a callback, writes "hello from WASI 0.3\n" to a stream it
;; gives stdout's write-via-stream, then copies the stream of stdin's
;; read-via-stream to it chunk by chunk until stdin ends, closes it and
;; waits for write-via-stream's future, sleeps 1 ms (monotonic-clock's
;; wait-for, an async import lowered with the async ABI: a subtask), and
;; returns ok. Phases: 1 writing the greeting, 2 reading stdin, 3 writing
;; a chunk, 4 reading the future, 5 sleeping, 6 done.
(component
  (type $su8 (stream u8))
  (import "wasi:cli/types@0.3.0" (instance $types
    (type $e (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type (eq $e)))))
  (alias export $types "error-code" (type $error-code))
  (type $res (result (error $error-code)))
  (type $fut (future $res))
  (import "wasi:cli/stdout@0.3.0" (instance $stdout
    (alias outer 1 $error-code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (export "write-via-stream" (func (param "data" (stream u8)) (result (future (result (error $ec))))))))
  (import "wasi:cli/stdin@0.3.0" (instance $stdin
    (alias outer 1 $error-code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (export "read-via-stream" (func (result (tuple (stream u8) (future (result (error $ec)))))))))
  (import "wasi:clocks/monotonic-clock@0.3.0" (instance $clock
    (export "wait-for" (func async (param "how-long" u64)))))
  (core module $mem
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "mem" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))
  (core func $write-via-stream (canon lower (func $stdout "write-via-stream")))
  (core func $read-via-stream (canon lower (func $stdin "read-via-stream") (memory $memory)))
  (core func $wait-for (canon lower (func $clock "wait-for") async))
  (core func $task.return (canon task.return (result (result))))
  (core func $ws.new (canon waitable-set.new))
  (core func $w.join (canon waitable.join))
  (core func $sub.drop (canon subtask.drop))
  (core func $stream.new (canon stream.new $su8))
  (core func $stream.read (canon stream.read $su8 async (memory $memory)))
  (core func $stream.write (canon stream.write $su8 async (memory $memory)))
  (core func $stream.drop-readable (canon stream.drop-readable $su8))
  (core func $stream.drop-writable (canon stream.drop-writable $su8))
  (core func $future.read (canon future.read $fut async (memory $memory)))
  (core func $future.drop-readable (canon future.drop-readable $fut))
  (core module $m
    (import "" "mem" (memory 1))
    (import "" "write-via-stream" (func $write-via-stream (param i32) (result i32)))
    (import "" "read-via-stream" (func $read-via-stream (param i32)))
    (import "" "wait-for" (func $wait-for (param i64) (result i32)))
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "w.join" (func $w.join (param i32 i32)))
    (import "" "sub.drop" (func $sub.drop (param i32)))
    (import "" "stream.new" (func $stream.new (result i64)))
    (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
    (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
    (import "" "stream.drop-readable" (func $stream.drop-readable (param i32)))
    (import "" "stream.drop-writable" (func $stream.drop-writable (param i32)))
    (import "" "future.read" (func $future.read (param i32 i32) (result i32)))
    (import "" "future.drop-readable" (func $future.drop-readable (param i32)))
    (data (i32.const 256) "hello from WASI 0.3\n")
    (global $set (mut i32) (i32.const 0))
    (global $out (mut i32) (i32.const 0))  ;; writable end given to stdout
    (global $fut (mut i32) (i32.const 0))  ;; stdout's future
    (global $in (mut i32) (i32.const 0))   ;; readable end of stdin
    (global $phase (mut i32) (i32.const 1))
    (global $wptr (mut i32) (i32.const 0))
    (global $wleft (mut i32) (i32.const 0))
    (global $eof (mut i32) (i32.const 0))

    (func $wait (result i32)
      (i32.or (i32.const 2) (i32.shl (global.get $set) (i32.const 4))))
    ;; a write of r's count done (or the reader gone: nothing more to write)
    (func $wrote (param $r i32)
      (local $n i32)
      (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
      (global.set $wptr (i32.add (global.get $wptr) (local.get $n)))
      (global.set $wleft (i32.sub (global.get $wleft) (local.get $n)))
      (if (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1))
        (then (global.set $wleft (i32.const 0)))))
    ;; a read of r's count into 4096
    (func $got (param $r i32)
      (local $n i32)
      (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
      (if (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1))
        (then (global.set $eof (i32.const 1))))
      (if (local.get $n)
        (then
          (global.set $wptr (i32.const 4096))
          (global.set $wleft (local.get $n))
          (global.set $phase (i32.const 3)))
        (else
          (global.set $phase (select (i32.const 4) (i32.const 2) (global.get $eof))))))
    ;; runs the phases until one blocks (WAIT) or the task is done (EXIT)
    (func $step (result i32)
      (local $r i32)
      (loop $l
        ;; 1, 3: write wleft bytes at wptr
        (if (i32.or (i32.eq (global.get $phase) (i32.const 1)) (i32.eq (global.get $phase) (i32.const 3)))
          (then
            (block $written
              (loop $w
                (br_if $written (i32.eqz (global.get $wleft)))
                (local.set $r (call $stream.write (global.get $out) (global.get $wptr) (global.get $wleft)))
                (if (i32.eq (local.get $r) (i32.const -1)) (then (return (call $wait))))
                (call $wrote (local.get $r))
                (br $w)))
            (global.set $phase (select (i32.const 4) (i32.const 2)
              (i32.and (i32.eq (global.get $phase) (i32.const 3)) (global.get $eof))))
            (br $l)))
        ;; 2: read a chunk of stdin
        (if (i32.eq (global.get $phase) (i32.const 2))
          (then
            (local.set $r (call $stream.read (global.get $in) (i32.const 4096) (i32.const 4096)))
            (if (i32.eq (local.get $r) (i32.const -1)) (then (return (call $wait))))
            (call $got (local.get $r))
            (br $l)))
        ;; 4: stdin ended: close both streams, read stdout's future
        (if (i32.eq (global.get $phase) (i32.const 4))
          (then
            (call $stream.drop-readable (global.get $in))
            (call $stream.drop-writable (global.get $out))
            (call $w.join (global.get $fut) (global.get $set))
            (global.set $phase (i32.const 5))
            (local.set $r (call $future.read (global.get $fut) (i32.const 128)))
            (if (i32.eq (local.get $r) (i32.const -1)) (then (return (call $wait))))
            (br $l)))
        ;; 5: the future is read: sleep 1 ms
        (if (i32.eq (global.get $phase) (i32.const 5))
          (then
            (call $w.join (global.get $fut) (i32.const 0))
            (call $future.drop-readable (global.get $fut))
            (if (i32.load8_u (i32.const 128)) (then unreachable)) ;; stdout failed
            (global.set $phase (i32.const 6))
            (local.set $r (call $wait-for (i64.const 1000000)))
            (if (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 2))
              (then (br $l)))
            (call $w.join (i32.shr_u (local.get $r) (i32.const 4)) (global.get $set))
            (return (call $wait)))))
      ;; 6: done
      (call $task.return (i32.const 0))
      (i32.const 0))

    (func (export "run") (result i32)
      (local $rw i64)
      (local.set $rw (call $stream.new))
      (global.set $out (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (global.set $fut (call $write-via-stream (i32.wrap_i64 (local.get $rw))))
      (call $read-via-stream (i32.const 64))
      (global.set $in (i32.load (i32.const 64)))
      (global.set $set (call $ws.new))
      (call $w.join (global.get $out) (global.get $set))
      (call $w.join (global.get $in) (global.get $set))
      (global.set $wptr (i32.const 256))
      (global.set $wleft (i32.const 20))
      (call $step))
    (func (export "run-cb") (param $ev i32) (param $p1 i32) (param $p2 i32) (result i32)
      (if (i32.eq (local.get $ev) (i32.const 3)) (then (call $wrote (local.get $p2))))
      (if (i32.eq (local.get $ev) (i32.const 2)) (then (call $got (local.get $p2))))
      (if (i32.eq (local.get $ev) (i32.const 1))
        (then
          (if (i32.ne (local.get $p2) (i32.const 2)) (then unreachable))
          (call $sub.drop (local.get $p1))))
      (call $step)))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $memory))
      (export "write-via-stream" (func $write-via-stream))
      (export "read-via-stream" (func $read-via-stream))
      (export "wait-for" (func $wait-for))
      (export "task.return" (func $task.return))
      (export "ws.new" (func $ws.new))
      (export "w.join" (func $w.join))
      (export "sub.drop" (func $sub.drop))
      (export "stream.new" (func $stream.new))
      (export "stream.read" (func $stream.read))
      (export "stream.write" (func $stream.write))
      (export "stream.drop-readable" (func $stream.drop-readable))
      (export "stream.drop-writable" (func $stream.drop-writable))
      (export "future.read" (func $future.read))
      (export "future.drop-readable" (func $future.drop-readable))))))
  (func $run async (result (result))
    (canon lift (core func $i "run") async (callback (core func $i "run-cb"))))
  (instance $run-inst (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $run-inst)))
