;; relay: imports and exports witc:relay/relay@0.1.0; its relay(x) is the
;; imported relay(x) + 1 (TestComposeRootExportsStayOut: composed with a
;; second copy of itself as the plug, the plug's import stays open).
(component
  (import "witc:relay/relay@0.1.0" (instance $in
    (export "relay" (func (param "x" u32) (result u32)))))
  (core func $relay (canon lower (func $in "relay")))
  (core module $m
    (import "" "relay" (func $relay (param i32) (result i32)))
    (func (export "relay") (param i32) (result i32)
      (i32.add (call $relay (local.get 0)) (i32.const 1))))
  (core instance $i (instantiate $m (with "" (instance (export "relay" (func $relay))))))
  (func $f (param "x" u32) (result u32) (canon lift (core func $i "relay")))
  (instance $out (export "relay" (func $f)))
  (export "witc:relay/relay@0.1.0" (instance $out)))
