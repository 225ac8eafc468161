;; bigmem: a component whose core module asks for 2 MiB of memory (32 pages)
;; at instantiation, more than the memory limit of host/limits_test.go and
;; `witc run --max-memory 1MiB` allow.
(component
  (core module $m
    (memory (export "memory") 32)
    (func (export "pages") (result i32) (memory.size)))
  (core instance $i (instantiate $m))
  (func (export "pages") (result u32) (canon lift (core func $i "pages"))))
