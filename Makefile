# vsys — the two commands a newcomer needs are `make run` and `make test`.
GO        ?= go
BIN       := bin/vsysd
HOME_DIR  ?= $(CURDIR)/.vsys-dev
CHAIN_ID  ?= vsys-dev
PKGS      := ./...
GOLANGCI  := $(CURDIR)/bin/golangci-lint
# Every shell script: the *.sh files and the two without the suffix.
SHELL_SCRIPTS = $(shell git ls-files '*.sh') .ci/run scripts/localnet

.PHONY: generate build run test test-short bench lint fuzz e2e clean contracts contracts-repro contracts-test

build: ## build bin/vsysd
	$(GO) build -o $(BIN) ./cmd/vsysd

run: build ## build, initialise a dev chain in .vsys-dev if none exists, and start it
	@scripts/run-dev.sh $(BIN) $(HOME_DIR) $(CHAIN_ID)

test: contracts-repro contracts-test ## every test: the contracts built from source (twice: byte-identical) and tested natively, then Go (race detector on) against them
	$(GO) vet $(PKGS)
	$(GO) test -race -count=1 -timeout 12m $(PKGS)

test-short: ## quick unit tests
	$(GO) test -short -count=1 $(PKGS)

generate: ## rewrite the files generated from the host API's table (vm/wasm/hostapi.go)
	$(GO) generate ./vm/...

lint: ## golangci-lint (.golangci.yml; version pinned in tools/go.mod) over the Go code, shellcheck over the shell scripts
	@# Built from the pinned tools module into bin/; go build relinks only
	@# when tools/go.mod or the Go toolchain changed (a few seconds if not).
	$(GO) build -C tools -o $(GOLANGCI) github.com/golangci/golangci-lint/v2/cmd/golangci-lint
	$(GOLANGCI) run $(PKGS)
	@scripts/install-shellcheck.sh
	shellcheck $(SHELL_SCRIPTS)

bench: build contracts ## Go benchmarks, then end-to-end transfers (native and WASM token) vs CometBFT's kvstore
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
	$(BIN) bench transfers --app all --accounts 200 --txs 40000

e2e: build ## a loaded 4-validator network of vsysd processes, broken on purpose (kill -9, stop 30 s, cut off, rolling restart); prints the table
	VSYS_E2E=1 $(GO) test -count=1 -run 'TestNetworkPerturbations|TestCrashSoak' -v -timeout 30m ./node/e2e/

fuzz: ## every fuzz target for FUZZTIME each (default 30s)
	@scripts/fuzz.sh $(or $(FUZZTIME),30s)

contracts: ## build the Rust example contracts to contracts/artifacts/*.wasm (installs Debian's rustc/cargo/wasm32 std if missing)
	@scripts/install-rust.sh
	@contracts/build.sh

contracts-repro: ## build the contracts twice from clean and require byte-identical artifacts (leaves them in contracts/artifacts)
	@scripts/install-rust.sh
	@scripts/contracts-sha256.sh

contracts-test: ## native tests of sdk-rust and the example contracts against the SDK's mock host; a template contract made, built and checked outside the repository
	@scripts/install-rust.sh
	cd sdk-rust && RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo test --offline
	cd contracts && RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc /usr/bin/cargo test --offline
	scripts/new-contract-test.sh

clean:
	rm -rf bin .vsys-dev contracts/artifacts contracts/target sdk-rust/target
