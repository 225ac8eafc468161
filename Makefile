# witc — see README.md. `make help` lists the targets.
GO      ?= go
SHARED  ?= ../shared
BIN     ?= bin/witc
PKGS    := ./...

.PHONY: help build install test test-race conformance bench fuzz lint golden fixtures bindings demo check clean jco-test spectest wac-conformance http-fixtures jco-fixtures http-bench proc-bench qjs-async-fixtures

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

# witc is built static (no cgo: Go's own DNS resolver) and without
# urfave/cli's man and markdown generators, which witc does not use and
# whose package initialisation (blackfriday's tables and regexps) every
# start would pay: together about 1 ms of each process's start.
BUILDFLAGS ?= -buildvcs=auto -tags urfave_cli_no_docs
STATIC  ?= CGO_ENABLED=0

build: ## build bin/witc
	$(STATIC) $(GO) build $(BUILDFLAGS) -o $(BIN) ./cmd/witc

install: ## go install witc into $GOBIN
	$(STATIC) $(GO) install $(BUILDFLAGS) ./cmd/witc

demo: build ## build, then run witc on the bundled examples
	./scripts/demo.sh $(BIN)

test: ## run every test (conformance runs when $(SHARED) exists)
	$(GO) vet $(PKGS)
	$(GO) test $(PKGS)

test-race: ## run the tests with the race detector
	$(GO) test -race $(PKGS)

conformance: ## run only the upstream conformance suites, verbosely
	$(GO) test -count=1 -v -run 'WitParserUI|RealWIT|BindgenCompiles' ./internal/conformance/ | grep -E '(passed|resolve|bindgen:|worlds|^--- |^ok|^FAIL)' || true
	$(GO) test -count=1 ./internal/conformance/

bench: ## run the benchmarks
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

FUZZTIME ?= 30s
fuzz: ## run every fuzz target for FUZZTIME each
	@for t in $$($(GO) test -list 'Fuzz.*' $(PKGS) 2>/dev/null | grep '^Fuzz'); do \
	  pkg=$$(grep -rl "func $$t(" --include='*_test.go' . | head -1 | xargs dirname); \
	  echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

# The packages whose tests run on internal/golden, the only ones that read WITC_REFRESH.
GOLDEN_PKGS = $(sort $(dir $(shell grep -rl --include='*_test.go' 'golden\.Corpus' .)))
golden: ## regenerate the golden files of the tests that use internal/golden (WITC_REFRESH=1)
	WITC_REFRESH=1 $(GO) test -count=1 $(GOLDEN_PKGS)

JCO_DIR ?= /tmp/witc-corpus-tools
jco-test: ## run compositions under jco (installs ../shared/corpus/tools with npm into JCO_DIR)
	@command -v npm >/dev/null || { echo "jco-test needs node and npm"; exit 1; }
	@if [ ! -f $(JCO_DIR)/node_modules/@bytecodealliance/jco/dist/jco.js ]; then \
	  mkdir -p $(JCO_DIR) && cp $(SHARED)/corpus/tools/* $(JCO_DIR)/ && \
	  (cd $(JCO_DIR) && npm install --no-audit --no-fund >/dev/null); fi
	WITC_JCO_DIR=$(JCO_DIR) $(GO) test -count=1 -v -run Jco ./compose/ ./internal/producers/

# The modules of the spec scripts are converted outside git (nothing made
# from ../shared is committed): extract writes their texts, convert.mjs
# parses them with jco in one node process, TestSpec runs the scripts.
# CORE_TESTSUITE=dir (a checkout of github.com/WebAssembly/testsuite) adds
# the core scripts' modules, which TestCoreValidate validates.
WITC_SPEC_CACHE ?= /tmp/witc-spec-cache
CORE_TESTSUITE ?=
spectest: ## run the component .wast scripts of $(SHARED)/conformance on the host, and validate their components (jco converts their modules)
	@command -v node >/dev/null || { echo "spectest needs node and npm"; exit 1; }
	@test -f $(JCO_DIR)/node_modules/@bytecodealliance/jco/dist/jco.js || { mkdir -p $(JCO_DIR) && \
	  cp $(SHARED)/corpus/tools/* $(JCO_DIR)/ && cd $(JCO_DIR) && npm install --no-audit --no-fund >/dev/null; }
	WITC_CORE_SCRIPTS=$(CORE_TESTSUITE) WITC_SPEC_EXTRACT=$(WITC_SPEC_CACHE) $(GO) test -count=1 -run '^TestExtract$$' ./internal/spectest
	node internal/spectest/convert.mjs $(JCO_DIR) $(WITC_SPEC_CACHE)
	WITC_CORE_SCRIPTS=$(CORE_TESTSUITE) WITC_SPEC_CACHE=$(WITC_SPEC_CACHE) $(GO) test -count=1 -v -run '^Test(Spec|SpecValidate|CoreValidate)$$' ./internal/spectest

WITC_WAC_CACHE ?= /tmp/witc-wac-cache
wac-conformance: ## run wac's conformance cases (jco converts their WAT and WIT packages into WITC_WAC_CACHE)
	@command -v node >/dev/null || { echo "wac-conformance needs node and npm"; exit 1; }
	@test -f $(JCO_DIR)/node_modules/@bytecodealliance/jco/dist/jco.js || { mkdir -p $(JCO_DIR) && \
	  cp $(SHARED)/corpus/tools/* $(JCO_DIR)/ && cd $(JCO_DIR) && npm install --no-audit --no-fund >/dev/null; }
	node internal/wacconf/convert.mjs $(JCO_DIR) $(SHARED)/conformance/wac $(WITC_WAC_CACHE)
	WITC_WAC_CACHE=$(WITC_WAC_CACHE) $(GO) test -count=1 -v -run Wac ./compose ./wac ./cmd/witc

# jco's prebuilt test components, copied outside git by
# scripts/jco-fixtures.sh from the jco repository (the `fetch` tool's
# snapshot); never committed, so not part of CI.
JCO_FIXTURES ?= /tmp/jco-fixtures
jco-fixtures: ## instantiate jco's prebuilt test components and run its commands (JCO_FIXTURES=dir from scripts/jco-fixtures.sh)
	@test -d $(JCO_FIXTURES) || { echo "jco-fixtures: $(JCO_FIXTURES) does not exist: copy jco's fixtures with scripts/jco-fixtures.sh GIT_DIR $(JCO_FIXTURES) (GIT_DIR: a git directory of github.com/bytecodealliance/jco)"; exit 1; }
	WITC_JCO_FIXTURES=$(JCO_FIXTURES) $(GO) test -count=1 -v -run '^TestJcoFixtures$$' ./internal/jcofixtures

fixtures: wasi-wit ## rebuild committed wasm fixtures under testdata/ (needs node + npm)
	./scripts/fixtures.sh

producers: ## rebuild internal/producers' fixtures from their sources and record jco run's output (needs node, npm, clang, lld, wasi-libc, rustup's wasm-component-ld)
	./scripts/producers.sh

http-fixtures: ## rebuild wasihttp's wasi:http fixtures (componentize-js, WAT) and record jco serve's answers in wasihttp/testdata/expected (needs node, npm, curl)
	JCO_DIR=$(JCO_DIR) SHARED=$(SHARED) ./scripts/http-fixtures.sh

qjs-async-fixtures: ## rebuild internal/qjsasync's componentize-qjs async fixture from its JS and WIT (needs node + npm)
	JCO_DIR=$(JCO_DIR) SHARED=$(SHARED) ./scripts/qjs-async-fixtures.sh

proc-bench: build ## whole witc processes against their baselines, side by side: start-up, compose, WIT peak memory (COLD=1 adds cold start against jco run)
	$(GO) run ./internal/procbench -witc $(BIN) -shared $(SHARED) $(if $(COLD),-cold)

http-bench: ## witc serve against jco serve on the componentize-js proxy, side by side on loopback (needs node + npm)
	JCO_DIR=$(JCO_DIR) ./scripts/http-bench.sh

wasi-wit: ## rebuild wasi/wit/wasi-0.2.12.wasm and wasi-0.3.0.wasm (the types of WASI's WIT, no docs) from $(SHARED)/conformance
	$(GO) run ./cmd/witc wit --wasm --no-docs -o wasi/wit/wasi-0.2.12.wasm $(SHARED)/conformance/wasi-wit/0.2.12/cli
	$(GO) run ./cmd/witc wit --wasm --no-docs -o wasi/wit/wasi-0.3.0.wasm $(SHARED)/conformance/wasi-wit/0.3.0/cli

bindings: build ## regenerate the committed example bindings (examples/bindings) from $(SHARED)/corpus WIT
	WITC=$(BIN) SHARED=$(SHARED) ./scripts/bindings.sh
	$(BIN) bindgen --world fixtures --package bindings -o internal/qjsasync/bindings internal/qjsasync/testdata/src/wit

# staticcheck is pinned here rather than in go.mod: it is a tool of the
# build, not a dependency of witc; `go run` fetches it from the module proxy.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

lint: ## gofmt, go vet, staticcheck, module tidiness
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)
	$(GO) mod tidy -diff

check: lint test ## everything CI runs

clean:
	rm -rf bin
