;; grow-command: a wasi:cli command that grows its memory a page at a time
;; until memory.grow returns -1, then exits (wasi:cli/exit exit-with-code)
;; with the number of pages reached as its status: `witc run --max-memory
;; 256KiB` gives 4. Without a limit it would take 4 GiB (and exit with 0,
;; 65536 mod 256).
(component
  (import "wasi:cli/exit@0.2.0" (instance $exit
    (export "exit-with-code" (func (param "status-code" u8)))))
  (core func $exit (canon lower (func $exit "exit-with-code")))
  (core module $m
    (import "wasi" "exit-with-code" (func $exit (param i32)))
    (memory 1)
    (func (export "run") (result i32)
      (block $refused
        (loop $l
          (br_if $refused (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
          (br $l)))
      (call $exit (memory.size))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "wasi" (instance (export "exit-with-code" (func $exit))))))
  (func $run (result (result)) (canon lift (core func $i "run")))
  (instance $run (export "run" (func $run)))
  (export "wasi:cli/run@0.2.0" (instance $run)))
