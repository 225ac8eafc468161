;; memory64: a core module with a 64-bit memory, which wazero cannot run:
;; instantiation fails naming the feature (TestCoreFeatures).
(component
  (core module $m
    (memory i64 1))
  (core instance $i (instantiate $m)))
