;; p3-fs: a WASI 0.3 command using wasi:filesystem 0.3 (TestP3Filesystem).
;; Its run is lifted async with a callback but never returns to it to
;; wait: every import is lowered sync (the async funcs of wasi:filesystem
;; block the task until they return, which an async task may do), and
;; each stream or future copy that blocks is waited for at once with
;; waitable-set.wait (only the copy's end in the set), so run is a
;; straight line that prints to stdout (one stream given to stdout's
;; write-via-stream at the start):
;;
;;   1. open a.txt (read-only descriptor), write "x" to it through
;;      write-via-stream: its future's error (bad-descriptor, 2), then read
;;      it back through read-via-stream, dropping the descriptor as soon
;;      as it has the stream: "read a.txt: " and its bytes;
;;   2. open f.txt with create, truncate, read and write: ok, or the error
;;      (read-only, 32, in a directory granted read-only; then 3 is
;;      skipped);
;;   3. write "hello, p3 fs\n" through write-via-stream (from offset 0),
;;      "more\n" through append-via-stream, set its modification time to
;;      2001-02-03T04:05:06Z (set-times: an instant), read it back through
;;      read-via-stream, stat it: its type (5, regular-file), size and
;;      modification time (the seconds);
;;   4. list the directory through read-directory: "entry: NAME TYPE";
;;   5. open ../a.txt: not-permitted (30), no access outside the grant.
;;
;; then closes stdout's stream, waits for its future and returns ok.
;; Numbers printed are error-code and descriptor-type cases of 0.3.
(component
  (type $su8 (stream u8))
  (import "wasi:cli/types@0.3.0" (instance $clitypes
    (type $e (enum "io" "illegal-byte-sequence" "pipe"))
    (export "error-code" (type (eq $e)))))
  (alias export $clitypes "error-code" (type $cli-error-code))
  (type $cli-fut (future (result (error $cli-error-code))))
  (import "wasi:cli/stdout@0.3.0" (instance $stdout
    (alias outer 1 $cli-error-code (type $ec0))
    (export "error-code" (type $ec (eq $ec0)))
    (export "write-via-stream" (func (param "data" (stream u8)) (result (future (result (error $ec))))))))
  (import "wasi:clocks/system-clock@0.3.0" (instance $clock
    (type $i (record (field "seconds" s64) (field "nanoseconds" u32)))
    (export "instant" (type (eq $i)))))
  (alias export $clock "instant" (type $instant))
  (import "wasi:filesystem/types@0.3.0" (instance $types
    (alias outer 1 $instant (type $i0))
    (export "instant" (type $instant (eq $i0)))
    (export "descriptor" (type $d (sub resource)))
    (type $ec (variant
      (case "access") (case "already") (case "bad-descriptor") (case "busy") (case "deadlock")
      (case "quota") (case "exist") (case "file-too-large") (case "illegal-byte-sequence")
      (case "in-progress") (case "interrupted") (case "invalid") (case "io") (case "is-directory")
      (case "loop") (case "too-many-links") (case "message-size") (case "name-too-long")
      (case "no-device") (case "no-entry") (case "no-lock") (case "insufficient-memory")
      (case "insufficient-space") (case "not-directory") (case "not-empty") (case "not-recoverable")
      (case "unsupported") (case "no-tty") (case "no-such-device") (case "overflow")
      (case "not-permitted") (case "pipe") (case "read-only") (case "invalid-seek")
      (case "text-file-busy") (case "cross-device") (case "other" (option string))))
    (export "error-code" (type $error-code (eq $ec)))
    (type $dt (variant
      (case "block-device") (case "character-device") (case "directory") (case "fifo")
      (case "symbolic-link") (case "regular-file") (case "socket") (case "other" (option string))))
    (export "descriptor-type" (type $descriptor-type (eq $dt)))
    (type $df (flags "read" "write" "file-integrity-sync" "data-integrity-sync" "requested-write-sync" "mutate-directory"))
    (export "descriptor-flags" (type $descriptor-flags (eq $df)))
    (type $pf (flags "symlink-follow"))
    (export "path-flags" (type $path-flags (eq $pf)))
    (type $of (flags "create" "directory" "exclusive" "truncate"))
    (export "open-flags" (type $open-flags (eq $of)))
    (type $st (record
      (field "type" $descriptor-type) (field "link-count" u64) (field "size" u64)
      (field "data-access-timestamp" (option $instant))
      (field "data-modification-timestamp" (option $instant))
      (field "status-change-timestamp" (option $instant))))
    (export "descriptor-stat" (type $descriptor-stat (eq $st)))
    (type $de (record (field "type" $descriptor-type) (field "name" string)))
    (export "directory-entry" (type $directory-entry (eq $de)))
    (export "[method]descriptor.read-via-stream" (func
      (param "self" (borrow $d)) (param "offset" u64)
      (result (tuple (stream u8) (future (result (error $error-code)))))))
    (export "[method]descriptor.write-via-stream" (func
      (param "self" (borrow $d)) (param "data" (stream u8)) (param "offset" u64)
      (result (future (result (error $error-code))))))
    (type $nt (variant (case "no-change") (case "now") (case "timestamp" $instant)))
    (export "new-timestamp" (type $new-timestamp (eq $nt)))
    (export "[method]descriptor.append-via-stream" (func
      (param "self" (borrow $d)) (param "data" (stream u8))
      (result (future (result (error $error-code))))))
    (export "[method]descriptor.set-times" (func async
      (param "self" (borrow $d)) (param "data-access-timestamp" $new-timestamp)
      (param "data-modification-timestamp" $new-timestamp)
      (result (result (error $error-code)))))
    (export "[method]descriptor.read-directory" (func
      (param "self" (borrow $d))
      (result (tuple (stream $directory-entry) (future (result (error $error-code)))))))
    (export "[method]descriptor.stat" (func async
      (param "self" (borrow $d)) (result (result $descriptor-stat (error $error-code)))))
    (export "[method]descriptor.open-at" (func async
      (param "self" (borrow $d)) (param "path-flags" $path-flags) (param "path" string)
      (param "open-flags" $open-flags) (param "flags" $descriptor-flags)
      (result (result (own $d) (error $error-code)))))))
  (alias export $types "descriptor" (type $descriptor))
  (alias export $types "error-code" (type $error-code))
  (alias export $types "directory-entry" (type $directory-entry))
  (type $fs-fut (future (result (error $error-code))))
  (type $sde (stream $directory-entry))
  (import "wasi:filesystem/preopens@0.3.0" (instance $preopens
    (alias outer 1 $descriptor (type $d0))
    (export "descriptor" (type $d (eq $d0)))
    (export "get-directories" (func (result (list (tuple (own $d) string)))))))

  (core module $mem
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 32768))
    ;; a bump allocator: nothing is freed
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $p) (local.get 3)))
      (if (i32.gt_u (global.get $heap) (i32.const 65536)) (then unreachable))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (alias core export $mi "mem" (core memory $memory))
  (alias core export $mi "realloc" (core func $realloc))

  (core func $stdout-write (canon lower (func $stdout "write-via-stream")))
  (core func $get-directories (canon lower (func $preopens "get-directories") (memory $memory) (realloc $realloc)))
  (core func $open-at (canon lower (func $types "[method]descriptor.open-at") (memory $memory) (realloc $realloc)))
  (core func $stat (canon lower (func $types "[method]descriptor.stat") (memory $memory) (realloc $realloc)))
  (core func $read-via (canon lower (func $types "[method]descriptor.read-via-stream") (memory $memory)))
  (core func $write-via (canon lower (func $types "[method]descriptor.write-via-stream")))
  (core func $append-via (canon lower (func $types "[method]descriptor.append-via-stream")))
  (core func $set-times (canon lower (func $types "[method]descriptor.set-times") (memory $memory) (realloc $realloc)))
  (core func $read-dir (canon lower (func $types "[method]descriptor.read-directory") (memory $memory)))
  (core func $task.return (canon task.return (result (result))))
  (core func $stream.new (canon stream.new $su8))
  (core func $stream.read (canon stream.read $su8 async (memory $memory)))
  (core func $stream.write (canon stream.write $su8 async (memory $memory)))
  (core func $stream.drop-readable (canon stream.drop-readable $su8))
  (core func $stream.drop-writable (canon stream.drop-writable $su8))
  (core func $entries.read (canon stream.read $sde async (memory $memory) (realloc $realloc)))
  (core func $entries.drop (canon stream.drop-readable $sde))
  (core func $fs-fut.read (canon future.read $fs-fut async (memory $memory) (realloc $realloc)))
  (core func $fs-fut.drop (canon future.drop-readable $fs-fut))
  (core func $cli-fut.read (canon future.read $cli-fut async (memory $memory)))
  (core func $cli-fut.drop (canon future.drop-readable $cli-fut))
  (core func $drop-descriptor (canon resource.drop $descriptor))
  (core func $ws.new (canon waitable-set.new))
  (core func $ws.wait (canon waitable-set.wait (memory $memory)))
  (core func $w.join (canon waitable.join))

  (core module $m
    (import "" "mem" (memory 1))
    (import "" "stdout-write" (func $stdout-write (param i32) (result i32)))
    (import "" "get-directories" (func $get-directories (param i32)))
    (import "" "open-at" (func $open-at (param i32 i32 i32 i32 i32 i32 i32)))
    (import "" "stat" (func $stat (param i32 i32)))
    (import "" "read-via" (func $read-via (param i32 i64 i32)))
    (import "" "write-via" (func $write-via (param i32 i32 i64) (result i32)))
    (import "" "read-dir" (func $read-dir (param i32 i32)))
    (import "" "append-via" (func $append-via (param i32 i32) (result i32)))
    (import "" "set-times" (func $set-times (param i32 i32 i64 i32 i32 i64 i32 i32)))
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "stream.new" (func $stream.new (result i64)))
    (import "" "stream.read" (func $stream.read (param i32 i32 i32) (result i32)))
    (import "" "stream.write" (func $stream.write (param i32 i32 i32) (result i32)))
    (import "" "stream.drop-readable" (func $stream.drop-readable (param i32)))
    (import "" "stream.drop-writable" (func $stream.drop-writable (param i32)))
    (import "" "entries.read" (func $entries.read (param i32 i32 i32) (result i32)))
    (import "" "entries.drop" (func $entries.drop (param i32)))
    (import "" "fs-fut.read" (func $fs-fut.read (param i32 i32) (result i32)))
    (import "" "fs-fut.drop" (func $fs-fut.drop (param i32)))
    (import "" "cli-fut.read" (func $cli-fut.read (param i32 i32) (result i32)))
    (import "" "cli-fut.drop" (func $cli-fut.drop (param i32)))
    (import "" "drop-descriptor" (func $drop-descriptor (param i32)))
    (import "" "ws.new" (func $ws.new (result i32)))
    (import "" "ws.wait" (func $ws.wait (param i32 i32) (result i32)))
    (import "" "w.join" (func $w.join (param i32 i32)))

    ;; strings (offset, length)
    (data (i32.const 256) "a.txt")                 ;; 256, 5
    (data (i32.const 264) "f.txt")                 ;; 264, 5
    (data (i32.const 272) "../a.txt")              ;; 272, 8
    (data (i32.const 288) "hello, p3 fs\n")        ;; 288, 13
    (data (i32.const 304) "x")                     ;; 304, 1
    (data (i32.const 320) "write a.txt: ")         ;; 320, 13
    (data (i32.const 336) "read a.txt: ")          ;; 336, 12
    (data (i32.const 352) "open f.txt: ")          ;; 352, 12
    (data (i32.const 368) "write f.txt: ")         ;; 368, 13
    (data (i32.const 384) "read f.txt: ")          ;; 384, 12
    (data (i32.const 400) "stat f.txt: type ")     ;; 400, 17
    (data (i32.const 420) " size ")                ;; 420, 6
    (data (i32.const 428) " mtime ")               ;; 428, 7
    (data (i32.const 436) "entry: ")               ;; 436, 7
    (data (i32.const 444) "open ../a.txt: ")       ;; 444, 15
    (data (i32.const 460) "ok")                    ;; 460, 2
    (data (i32.const 464) "error ")                ;; 464, 6
    (data (i32.const 472) "\n")                    ;; 472, 1
    (data (i32.const 476) " ")                     ;; 476, 1
    (data (i32.const 480) "read end: ")            ;; 480, 10
    (data (i32.const 492) "entries end: ")         ;; 492, 13
    (data (i32.const 508) "done\n")                ;; 508, 5
    (data (i32.const 516) "more\n")                ;; 516, 5
    (data (i32.const 524) "append f.txt: ")        ;; 524, 14
    (data (i32.const 540) "set-times f.txt: ")     ;; 540, 17

    ;; 1024: results of the calls; 1536: future values; 1600: events;
    ;; 2048: number digits; 4096: a read buffer (4096 bytes); 8192:
    ;; directory entries.
    (global $out (mut i32) (i32.const 0)) ;; the stream given to stdout
    (global $dir (mut i32) (i32.const 0))
    (global $set (mut i32) (i32.const 0))

    ;; the outcome r of an async copy on end h: r itself, or when the copy
    ;; blocked, the outcome of its event (h alone waits in the set)
    (func $done (param $h i32) (param $r i32) (result i32)
      (if (i32.ne (local.get $r) (i32.const -1)) (then (return (local.get $r))))
      (call $w.join (local.get $h) (global.get $set))
      (drop (call $ws.wait (global.get $set) (i32.const 1600)))
      (call $w.join (local.get $h) (i32.const 0))
      (i32.load (i32.const 1604)))

    ;; writes len bytes at ptr to stream w (sync copies until all is
    ;; written; a stream whose reader is gone takes nothing more)
    (func $write (param $w i32) (param $ptr i32) (param $len i32)
      (local $r i32) (local $n i32)
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $len)))
          (local.set $r (call $done (local.get $w)
            (call $stream.write (local.get $w) (local.get $ptr) (local.get $len))))
          (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
          (local.set $ptr (i32.add (local.get $ptr) (local.get $n)))
          (local.set $len (i32.sub (local.get $len) (local.get $n)))
          (br_if $done (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1)))
          (br $l))))
    (func $print (param $ptr i32) (param $len i32)
      (call $write (global.get $out) (local.get $ptr) (local.get $len)))
    (func $nl (call $print (i32.const 472) (i32.const 1)))
    ;; prints n in decimal
    (func $num (param $n i64)
      (local $p i32)
      (local.set $p (i32.const 2080))
      (loop $l
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.wrap_i64 (i64.rem_u (local.get $n) (i64.const 10)))))
        (local.set $n (i64.div_u (local.get $n) (i64.const 10)))
        (br_if $l (i64.ne (local.get $n) (i64.const 0))))
      (call $print (local.get $p) (i32.sub (i32.const 2080) (local.get $p))))
    ;; prints "ok" or "error N" for a result<_, error-code> at p (its case
    ;; at p+4 when it is an error); returns whether it was ok
    (func $result (param $p i32) (result i32)
      (if (i32.eqz (i32.load8_u (local.get $p)))
        (then (call $print (i32.const 460) (i32.const 2)) (return (i32.const 1))))
      (call $print (i32.const 464) (i32.const 6))
      (call $num (i64.load8_u offset=4 (local.get $p)))
      (i32.const 0))
    ;; reads the future<result<_, error-code>> f, prints its value
    (func $await (param $f i32) (result i32)
      (local $ok i32)
      (drop (call $done (local.get $f) (call $fs-fut.read (local.get $f) (i32.const 1536))))
      (call $fs-fut.drop (local.get $f))
      (local.set $ok (call $result (i32.const 1536)))
      (call $nl)
      (local.get $ok))
    ;; opens path (ptr, len) in the directory with open-flags of and
    ;; descriptor-flags df: the descriptor, or -1 after printing the error
    (func $open (param $ptr i32) (param $len i32) (param $of i32) (param $df i32) (result i32)
      (call $open-at (global.get $dir) (i32.const 0) (local.get $ptr) (local.get $len)
        (local.get $of) (local.get $df) (i32.const 1024))
      (if (i32.eqz (i32.load8_u (i32.const 1024)))
        (then (return (i32.load offset=4 (i32.const 1024)))))
      (drop (call $result (i32.const 1024)))
      (call $nl)
      (i32.const -1))
    ;; writes (ptr, len) to file d from offset 0 through write-via-stream
    ;; and prints its future's value
    (func $write-file (param $d i32) (param $ptr i32) (param $len i32) (result i32)
      (local $rw i64) (local $f i32)
      (local.set $rw (call $stream.new))
      (local.set $f (call $write-via (local.get $d) (i32.wrap_i64 (local.get $rw)) (i64.const 0)))
      (call $write (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))) (local.get $ptr) (local.get $len))
      (call $stream.drop-writable (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (call $await (local.get $f)))
    ;; appends (ptr, len) to file d through append-via-stream and prints
    ;; its future's value
    (func $append-file (param $d i32) (param $ptr i32) (param $len i32) (result i32)
      (local $rw i64) (local $f i32)
      (local.set $rw (call $stream.new))
      (local.set $f (call $append-via (local.get $d) (i32.wrap_i64 (local.get $rw))))
      (call $write (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))) (local.get $ptr) (local.get $len))
      (call $stream.drop-writable (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (call $await (local.get $f)))
    ;; prints file d from offset 0 read through read-via-stream, then
    ;; "read end: " and its future's value; drops d once it has the
    ;; stream when drop is set
    (func $read-file (param $d i32) (param $drop i32)
      (local $s i32) (local $r i32)
      (call $read-via (local.get $d) (i64.const 0) (i32.const 1024))
      (if (local.get $drop) (then (call $drop-descriptor (local.get $d))))
      (local.set $s (i32.load (i32.const 1024)))
      (block $done
        (loop $l
          (local.set $r (call $done (local.get $s) (call $stream.read (local.get $s) (i32.const 4096) (i32.const 4096))))
          (call $print (i32.const 4096) (i32.shr_u (local.get $r) (i32.const 4)))
          (br_if $done (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1)))
          (br $l)))
      (call $stream.drop-readable (local.get $s))
      (call $print (i32.const 480) (i32.const 10))
      (drop (call $await (i32.load offset=4 (i32.const 1024)))))

    (func (export "run") (result i32)
      (local $rw i64) (local $outf i32) (local $a i32) (local $f i32)
      (local $s i32) (local $r i32) (local $n i32) (local $e i32)
      (global.set $set (call $ws.new))
      ;; stdout
      (local.set $rw (call $stream.new))
      (global.set $out (i32.wrap_i64 (i64.shr_u (local.get $rw) (i64.const 32))))
      (local.set $outf (call $stdout-write (i32.wrap_i64 (local.get $rw))))
      ;; the first granted directory
      (call $get-directories (i32.const 1024))
      (if (i32.eqz (i32.load offset=4 (i32.const 1024))) (then unreachable))
      (global.set $dir (i32.load (i32.load (i32.const 1024))))

      ;; 1. a.txt, opened for reading only: writing it is refused
      (local.set $a (call $open (i32.const 256) (i32.const 5) (i32.const 0) (i32.const 1)))
      (if (i32.lt_s (local.get $a) (i32.const 0)) (then unreachable))
      (call $print (i32.const 320) (i32.const 13))
      (drop (call $write-file (local.get $a) (i32.const 304) (i32.const 1)))
      (call $print (i32.const 336) (i32.const 12))
      (call $read-file (local.get $a) (i32.const 1))

      ;; 2. f.txt: create, truncate; read, write
      (call $print (i32.const 352) (i32.const 12))
      (local.set $f (call $open (i32.const 264) (i32.const 5) (i32.const 9) (i32.const 3)))
      (if (i32.ge_s (local.get $f) (i32.const 0))
        (then
          (call $print (i32.const 460) (i32.const 2))
          (call $nl)
          ;; 3. write, read back, stat
          (call $print (i32.const 368) (i32.const 13))
          (drop (call $write-file (local.get $f) (i32.const 288) (i32.const 13)))
          (call $print (i32.const 524) (i32.const 14))
          (drop (call $append-file (local.get $f) (i32.const 516) (i32.const 5)))
          ;; data-access: no-change; data-modification: 2001-02-03T04:05:06Z
          (call $set-times (local.get $f) (i32.const 0) (i64.const 0) (i32.const 0)
            (i32.const 2) (i64.const 981173106) (i32.const 0) (i32.const 1024))
          (call $print (i32.const 540) (i32.const 17))
          (drop (call $result (i32.const 1024)))
          (call $nl)
          (call $print (i32.const 384) (i32.const 12))
          (call $read-file (local.get $f) (i32.const 0))
          (call $stat (local.get $f) (i32.const 1024))
          (if (i32.load8_u (i32.const 1024)) (then unreachable))
          (call $print (i32.const 400) (i32.const 17))
          (call $num (i64.load8_u offset=8 (i32.const 1024)))
          (call $print (i32.const 420) (i32.const 6))
          (call $num (i64.load offset=32 (i32.const 1024)))
          (if (i32.load8_u offset=64 (i32.const 1024))
            (then
              (call $print (i32.const 428) (i32.const 7))
              (call $num (i64.load offset=72 (i32.const 1024)))))
          (call $nl)
          (call $drop-descriptor (local.get $f))))

      ;; 4. the directory's entries
      (call $read-dir (global.get $dir) (i32.const 1024))
      (local.set $s (i32.load (i32.const 1024)))
      (block $done
        (loop $l
          (local.set $r (call $done (local.get $s) (call $entries.read (local.get $s) (i32.const 8192) (i32.const 16))))
          (local.set $n (i32.shr_u (local.get $r) (i32.const 4)))
          (local.set $e (i32.const 8192))
          (block $printed
            (loop $each
              (br_if $printed (i32.eqz (local.get $n)))
              (call $print (i32.const 436) (i32.const 7))
              (call $print (i32.load offset=16 (local.get $e)) (i32.load offset=20 (local.get $e)))
              (call $print (i32.const 476) (i32.const 1))
              (call $num (i64.load8_u (local.get $e)))
              (call $nl)
              (local.set $e (i32.add (local.get $e) (i32.const 24)))
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br $each)))
          (br_if $done (i32.eq (i32.and (local.get $r) (i32.const 0xf)) (i32.const 1)))
          (br $l)))
      (call $entries.drop (local.get $s))
      (call $print (i32.const 492) (i32.const 13))
      (drop (call $await (i32.load offset=4 (i32.const 1024))))

      ;; 5. outside the directory
      (call $print (i32.const 444) (i32.const 15))
      (local.set $f (call $open (i32.const 272) (i32.const 8) (i32.const 0) (i32.const 1)))
      (if (i32.ge_s (local.get $f) (i32.const 0)) (then unreachable))

      (call $print (i32.const 508) (i32.const 5))
      (call $stream.drop-writable (global.get $out))
      (drop (call $done (local.get $outf) (call $cli-fut.read (local.get $outf) (i32.const 1536))))
      (call $cli-fut.drop (local.get $outf))
      (if (i32.load8_u (i32.const 1536)) (then unreachable)) ;; stdout failed
      (call $task.return (i32.const 0))
      (i32.const 0)) ;; EXIT
    (func (export "run-cb") (param i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m
    (with "" (instance
      (export "mem" (memory $memory))
      (export "stdout-write" (func $stdout-write))
      (export "get-directories" (func $get-directories))
      (export "open-at" (func $open-at))
      (export "stat" (func $stat))
      (export "read-via" (func $read-via))
      (export "write-via" (func $write-via))
      (export "read-dir" (func $read-dir))
      (export "append-via" (func $append-via))
      (export "set-times" (func $set-times))
      (export "task.return" (func $task.return))
      (export "stream.new" (func $stream.new))
      (export "stream.read" (func $stream.read))
      (export "stream.write" (func $stream.write))
      (export "stream.drop-readable" (func $stream.drop-readable))
      (export "stream.drop-writable" (func $stream.drop-writable))
      (export "entries.read" (func $entries.read))
      (export "entries.drop" (func $entries.drop))
      (export "fs-fut.read" (func $fs-fut.read))
      (export "fs-fut.drop" (func $fs-fut.drop))
      (export "cli-fut.read" (func $cli-fut.read))
      (export "cli-fut.drop" (func $cli-fut.drop))
      (export "drop-descriptor" (func $drop-descriptor))
      (export "ws.new" (func $ws.new))
      (export "ws.wait" (func $ws.wait))
      (export "w.join" (func $w.join))))))
  (func $run async (result (result))
    (canon lift (core func $i "run") async (callback (core func $i "run-cb"))))
  (instance $run-inst (export "run" (func $run)))
  (export "wasi:cli/run@0.3.0" (instance $run-inst)))
