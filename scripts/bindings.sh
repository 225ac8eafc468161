#!/usr/bin/env bash
# Regenerates the committed example bindings (examples/bindings) from the
# corpus WIT in ../shared/corpus/src/wit, and the benchmark bindings
# (internal/bench/benchbind). TestBindingsFresh and TestBenchBindingsFresh
# check them.
set -euo pipefail
cd "$(dirname "$0")/.."
WITC=${WITC:-bin/witc}
WIT=${SHARED:-../shared}/corpus/src/wit
$WITC bindgen --world lib --package kitchenlib -o examples/bindings/kitchenlib $WIT/kitchen
$WITC bindgen --world app --package kitchenapp -o examples/bindings/kitchenapp $WIT/kitchen
$WITC bindgen --world calculator --package calc -o examples/bindings/calc $WIT/calc
$WITC bindgen --package benchbind -o internal/bench/benchbind internal/bench/bench.wit
$WITC bindgen --package calc -o examples/quickstart/calc examples/components/calc.wasm
$WITC bindgen --package evilbind -o internal/e2e/evilbind host/testdata/evil.wasm
$WITC bindgen --package mapsbind -o internal/e2e/mapsbind internal/e2e/testdata/maps.wit
$WITC bindgen --package liftsbind -o internal/e2e/liftsbind internal/e2e/testdata/lifts.wit
$WITC bindgen --world calc-app --package calcapp -o examples/bindings/calcapp $WIT/calc
$WITC bindgen --package worldresbind -o internal/e2e/worldresbind internal/e2e/testdata/worldres.wit
