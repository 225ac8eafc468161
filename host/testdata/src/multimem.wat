;; multimem: a core module with two memories (multi-memory), which wazero
;; cannot run: instantiation fails naming the feature (TestCoreFeatures).
(component
  (core module $m
    (memory 1)
    (memory 1))
  (core instance $i (instantiate $m)))
