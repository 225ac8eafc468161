;; http-wat: a hand-written wasi:http proxy for the ABI edge cases. A core
;; module that speaks the canonical ABI of wasi:http@0.2.12 itself; the
;; script embeds the world wasi:http/proxy@0.2.12 (jco's wasm-tools) and
;; makes it a component with `jco new` (no adapter: it imports no
;; preview1).
;;
;; Routes (see ../NOTES.md):
;;   GET  /            200 text/plain "hello from http-wat\n" in three
;;                     blocking-write-and-flush calls, the outparam set
;;                     before the body is written
;;   POST /echo        200, the request body back (read whole, then written
;;                     in 4 KiB calls), x-echo-len: <bytes>
;;   GET  /status/418  418, x-teapot: yes
;;   GET  /big         200, 300 KiB: 4800 lines "NNNNNN <56 bytes>\n", 75
;;                     writes of 4096 bytes
;;   POST /count       200, "<bytes of the request body>\n", 64 KiB reads
;;   GET  /trap        unreachable
;;   GET  /loop        loops forever
;;   GET  /noresponse  returns, the outparam neither set nor dropped
;;   GET  /dropresponse  returns after dropping the outparam unset
;;   anything else     404 "not found\n"
;; (no /headers: listing fields is not an ABI edge case worth the WAT)
(module
  (import "wasi:http/types@0.2.12" "[method]incoming-request.method"
    (func $req_method (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]incoming-request.path-with-query"
    (func $req_path (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]incoming-request.consume"
    (func $req_consume (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]incoming-body.stream"
    (func $inbody_stream (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[resource-drop]incoming-body"
    (func $drop_inbody (param i32)))
  (import "wasi:http/types@0.2.12" "[constructor]fields"
    (func $fields_new (result i32)))
  (import "wasi:http/types@0.2.12" "[method]fields.append"
    (func $fields_append (param i32 i32 i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.12" "[constructor]outgoing-response"
    (func $resp_new (param i32) (result i32)))
  (import "wasi:http/types@0.2.12" "[method]outgoing-response.set-status-code"
    (func $resp_status (param i32 i32) (result i32)))
  (import "wasi:http/types@0.2.12" "[method]outgoing-response.body"
    (func $resp_body (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[method]outgoing-body.write"
    (func $outbody_write (param i32 i32)))
  (import "wasi:http/types@0.2.12" "[static]outgoing-body.finish"
    (func $outbody_finish (param i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.12" "[static]response-outparam.set"
    (func $outparam_set (param i32 i32 i32 i32 i64 i32 i32 i32 i32)))
  (import "wasi:http/types@0.2.12" "[resource-drop]response-outparam"
    (func $drop_outparam (param i32)))
  (import "wasi:io/streams@0.2.12" "[method]output-stream.blocking-write-and-flush"
    (func $write_flush (param i32 i32 i32 i32)))
  (import "wasi:io/streams@0.2.12" "[method]input-stream.blocking-read"
    (func $read (param i32 i64 i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]output-stream"
    (func $drop_out (param i32)))
  (import "wasi:io/streams@0.2.12" "[resource-drop]input-stream"
    (func $drop_in (param i32)))

  (memory (export "memory") 2)
  ;; Static data below 1024; RET (1024) is the return area of every import;
  ;; NUM (2048) formats numbers; BUF (4096..8192) is one chunk of /big; the
  ;; bump heap of cabi_realloc starts at 65536 and is reset per request.
  (global $RET i32 (i32.const 1024))
  (global $NUM i32 (i32.const 2048))
  (global $BUF i32 (i32.const 4096))
  (global $heap (mut i32) (i32.const 65536))

  (data (i32.const 0) "/")                          ;; 0, 1
  (data (i32.const 16) "/echo")                     ;; 16, 5
  (data (i32.const 32) "/status/418")               ;; 32, 11
  (data (i32.const 48) "/big")                      ;; 48, 4
  (data (i32.const 64) "/count")                    ;; 64, 6
  (data (i32.const 80) "/trap")                     ;; 80, 5
  (data (i32.const 96) "/loop")                     ;; 96, 5
  (data (i32.const 112) "/noresponse")              ;; 112, 11
  (data (i32.const 128) "/dropresponse")            ;; 128, 13
  (data (i32.const 160) "content-type")             ;; 160, 12
  (data (i32.const 176) "text/plain")               ;; 176, 10
  (data (i32.const 192) "application/octet-stream") ;; 192, 24
  (data (i32.const 224) "x-teapot")                 ;; 224, 8
  (data (i32.const 240) "yes")                      ;; 240, 3
  (data (i32.const 256) "x-echo-len")               ;; 256, 10
  (data (i32.const 288) "hello from http-wat\n")    ;; 288, 20
  (data (i32.const 320) "I'm a teapot\n")           ;; 320, 13
  (data (i32.const 336) "not found\n")              ;; 336, 10
  (data (i32.const 352) " abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRST\n") ;; 352, 58

  ;; cabi_realloc: a bump allocator that grows memory; a reallocation
  ;; copies the old bytes (the host only allocates fresh lists here).
  (func $realloc (export "cabi_realloc")
    (param $old i32) (param $oldsize i32) (param $align i32) (param $size i32)
    (result i32)
    (local $p i32) (local $end i32)
    (local.set $p
      (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $p) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.shl (memory.size) (i32.const 16)))
      (then
        (if (i32.lt_s
              (memory.grow
                (i32.shr_u
                  (i32.add
                    (i32.sub (local.get $end) (i32.shl (memory.size) (i32.const 16)))
                    (i32.const 65535))
                  (i32.const 16)))
              (i32.const 0))
          (then unreachable))))
    (if (local.get $oldsize)
      (then (memory.copy (local.get $p) (local.get $old) (local.get $oldsize))))
    (global.set $heap (local.get $end))
    (local.get $p))

  (func $eq (param $p i32) (param $n i32) (param $q i32) (param $m i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $n) (local.get $m)) (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $p) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $q) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  (func $append (param $f i32) (param $n i32) (param $nl i32) (param $v i32) (param $vl i32)
    (call $fields_append (local.get $f) (local.get $n) (local.get $nl)
      (local.get $v) (local.get $vl) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable)))

  ;; $start builds the response, sets the outparam to it (before any of the
  ;; body exists) and returns the body's output stream; the outgoing-body
  ;; goes to $body for $finish.
  (global $body (mut i32) (i32.const 0))
  (func $start (param $out i32) (param $status i32) (param $fields i32) (result i32)
    (local $resp i32)
    (local.set $resp (call $resp_new (local.get $fields)))
    (if (call $resp_status (local.get $resp) (local.get $status)) (then unreachable))
    (call $resp_body (local.get $resp) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (global.set $body (i32.load offset=4 (global.get $RET)))
    (call $outparam_set (local.get $out) (i32.const 0) (local.get $resp)
      (i32.const 0) (i64.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $outbody_write (global.get $body) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (i32.load offset=4 (global.get $RET)))

  ;; $write writes [p, p+n) in blocking-write-and-flush calls of at most
  ;; 4096 bytes.
  (func $write (param $s i32) (param $p i32) (param $n i32)
    (local $k i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $k (select (i32.const 4096) (local.get $n)
                        (i32.gt_u (local.get $n) (i32.const 4096))))
        (call $write_flush (local.get $s) (local.get $p) (local.get $k) (global.get $RET))
        (if (i32.load8_u (global.get $RET)) (then unreachable))
        (local.set $p (i32.add (local.get $p) (local.get $k)))
        (local.set $n (i32.sub (local.get $n) (local.get $k)))
        (br $next))))

  (func $finish (param $s i32)
    (call $drop_out (local.get $s))
    (call $outbody_finish (global.get $body) (i32.const 0) (i32.const 0) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable)))

  (func $text (result i32)
    (local $f i32)
    (local.set $f (call $fields_new))
    (call $append (local.get $f) (i32.const 160) (i32.const 12) (i32.const 176) (i32.const 10))
    (local.get $f))

  ;; $decimal writes n in decimal at NUM and returns its length.
  (func $decimal (param $n i32) (result i32)
    (local $i i32) (local $len i32) (local $m i32)
    (local.set $m (local.get $n))
    (loop $digits
      (local.set $len (i32.add (local.get $len) (i32.const 1)))
      (local.set $m (i32.div_u (local.get $m) (i32.const 10)))
      (br_if $digits (local.get $m)))
    (local.set $i (local.get $len))
    (loop $put
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store8 (i32.add (global.get $NUM) (local.get $i))
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $put (local.get $i)))
    (local.get $len))

  ;; $body_read reads the whole request body into the heap in 64 KiB
  ;; blocking reads (cabi_realloc lays the chunks end to end) and returns
  ;; its length; it starts at $bodystart.
  (global $bodystart (mut i32) (i32.const 0))
  (func $body_read (param $req i32) (result i32)
    (local $inbody i32) (local $in i32) (local $n i32)
    (call $req_consume (local.get $req) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (local.set $inbody (i32.load offset=4 (global.get $RET)))
    (call $inbody_stream (local.get $inbody) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (local.set $in (i32.load offset=4 (global.get $RET)))
    (global.set $bodystart (global.get $heap))
    (block $eof
      (loop $next
        (call $read (local.get $in) (i64.const 65536) (global.get $RET))
        (if (i32.load8_u (global.get $RET))
          (then
            ;; err: stream-error, closed (1) is the end of the body
            (br_if $eof (i32.eq (i32.load8_u offset=4 (global.get $RET)) (i32.const 1)))
            unreachable))
        (local.set $n (i32.add (local.get $n) (i32.load offset=8 (global.get $RET))))
        (br $next)))
    (call $drop_in (local.get $in))
    (call $drop_inbody (local.get $inbody))
    (local.get $n))

  (func $line (param $i i32) (param $p i32)
    (local $k i32)
    ;; six digits of i, then the 58 bytes at 352
    (local.set $k (i32.const 6))
    (loop $put
      (local.set $k (i32.sub (local.get $k) (i32.const 1)))
      (i32.store8 (i32.add (local.get $p) (local.get $k))
        (i32.add (i32.const 48) (i32.rem_u (local.get $i) (i32.const 10))))
      (local.set $i (i32.div_u (local.get $i) (i32.const 10)))
      (br_if $put (local.get $k)))
    (memory.copy (i32.add (local.get $p) (i32.const 6)) (i32.const 352) (i32.const 58)))

  (func (export "wasi:http/incoming-handler@0.2.12#handle") (param $req i32) (param $out i32)
    (local $m i32) (local $p i32) (local $pl i32) (local $s i32) (local $n i32)
    (local $f i32) (local $i i32) (local $j i32)
    (global.set $heap (i32.const 65536))
    (call $req_method (local.get $req) (global.get $RET))
    (local.set $m (i32.load8_u (global.get $RET)))
    (call $req_path (local.get $req) (global.get $RET))
    (if (i32.load8_u (global.get $RET))
      (then
        (local.set $p (i32.load offset=4 (global.get $RET)))
        (local.set $pl (i32.load offset=8 (global.get $RET)))))
    ;; the path without its query
    (block $q
      (loop $scan
        (br_if $q (i32.ge_u (local.get $i) (local.get $pl)))
        (if (i32.eq (i32.load8_u (i32.add (local.get $p) (local.get $i))) (i32.const 63))
          (then (local.set $pl (local.get $i)) (br $q)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))

    ;; method discriminants: get 0, post 2
    (if (i32.eqz (local.get $m))
      (then
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 0) (i32.const 1))
          (then
            (local.set $s (call $start (local.get $out) (i32.const 200) (call $text)))
            (call $write (local.get $s) (i32.const 288) (i32.const 6))   ;; "hello "
            (call $write (local.get $s) (i32.const 294) (i32.const 5))   ;; "from "
            (call $write (local.get $s) (i32.const 299) (i32.const 9))   ;; "http-wat\n"
            (call $finish (local.get $s))
            (return)))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 32) (i32.const 11))
          (then
            (local.set $f (call $text))
            (call $append (local.get $f) (i32.const 224) (i32.const 8) (i32.const 240) (i32.const 3))
            (local.set $s (call $start (local.get $out) (i32.const 418) (local.get $f)))
            (call $write (local.get $s) (i32.const 320) (i32.const 13))
            (call $finish (local.get $s))
            (return)))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 48) (i32.const 4))
          (then
            (local.set $s (call $start (local.get $out) (i32.const 200) (call $text)))
            (local.set $i (i32.const 0))
            (loop $chunk
              (local.set $j (i32.const 0))
              (loop $lines
                (call $line (i32.add (local.get $i) (local.get $j))
                  (i32.add (global.get $BUF) (i32.shl (local.get $j) (i32.const 6))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br_if $lines (i32.lt_u (local.get $j) (i32.const 64))))
              (call $write (local.get $s) (global.get $BUF) (i32.const 4096))
              (local.set $i (i32.add (local.get $i) (i32.const 64)))
              (br_if $chunk (i32.lt_u (local.get $i) (i32.const 4800))))
            (call $finish (local.get $s))
            (return)))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 80) (i32.const 5))
          (then unreachable))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 96) (i32.const 5))
          (then (loop $forever (br $forever))))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 112) (i32.const 11))
          (then (return)))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 128) (i32.const 13))
          (then (call $drop_outparam (local.get $out)) (return)))))
    (if (i32.eq (local.get $m) (i32.const 2))
      (then
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 16) (i32.const 5))
          (then
            (local.set $n (call $body_read (local.get $req)))
            (local.set $f (call $fields_new))
            (call $append (local.get $f) (i32.const 160) (i32.const 12) (i32.const 192) (i32.const 24))
            (call $append (local.get $f) (i32.const 256) (i32.const 10)
              (global.get $NUM) (call $decimal (local.get $n)))
            (local.set $s (call $start (local.get $out) (i32.const 200) (local.get $f)))
            (call $write (local.get $s) (global.get $bodystart) (local.get $n))
            (call $finish (local.get $s))
            (return)))
        (if (call $eq (local.get $p) (local.get $pl) (i32.const 64) (i32.const 6))
          (then
            ;; count without keeping the body: reset the heap after each read
            (local.set $n (call $count (local.get $req)))
            (local.set $i (call $decimal (local.get $n)))
            (i32.store8 (i32.add (global.get $NUM) (local.get $i)) (i32.const 10))
            (local.set $s (call $start (local.get $out) (i32.const 200) (call $text)))
            (call $write (local.get $s) (global.get $NUM) (i32.add (local.get $i) (i32.const 1)))
            (call $finish (local.get $s))
            (return)))))
    (local.set $s (call $start (local.get $out) (i32.const 404) (call $text)))
    (call $write (local.get $s) (i32.const 336) (i32.const 10))
    (call $finish (local.get $s)))

  ;; $count is $body_read that forgets every chunk (the heap is reset
  ;; before each read), so a multi-MB body needs no memory.
  (func $count (param $req i32) (result i32)
    (local $inbody i32) (local $in i32) (local $n i32)
    (call $req_consume (local.get $req) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (local.set $inbody (i32.load offset=4 (global.get $RET)))
    (call $inbody_stream (local.get $inbody) (global.get $RET))
    (if (i32.load8_u (global.get $RET)) (then unreachable))
    (local.set $in (i32.load offset=4 (global.get $RET)))
    (block $eof
      (loop $next
        (global.set $heap (i32.const 65536))
        (call $read (local.get $in) (i64.const 65536) (global.get $RET))
        (if (i32.load8_u (global.get $RET))
          (then
            (br_if $eof (i32.eq (i32.load8_u offset=4 (global.get $RET)) (i32.const 1)))
            unreachable))
        (local.set $n (i32.add (local.get $n) (i32.load offset=8 (global.get $RET))))
        (br $next)))
    (call $drop_in (local.get $in))
    (call $drop_inbody (local.get $inbody))
    (local.get $n))
)
