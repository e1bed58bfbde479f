# Everything a fresh machine needs, from the project's own files.
# `make demo` and `make test` are the two entry points; both are idempotent.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Real test models ship in the repository (tests/models/README.md); MODELS=DIR points elsewhere.
MODELS ?= $(abspath tests/models)
export ANIMECELEB_TEST_MODELS ?= $(MODELS)
# Debian packages: lavapipe (Vulkan on the CPU) for rendering without a GPU; chromium for
# the annotation page's browser test (Playwright drives it; never `playwright install`).
SYSTEM_PACKAGES := mesa-vulkan-drivers libvulkan1 chromium
# Go for clients/go (the official tarball installs to /usr/local/go, often not on PATH).
GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
GOFMT := $(dir $(GO))gofmt

.PHONY: demo test sysdeps venv build proto proto-clients lint rust-test py-test clients-test bench fuzz clean

# The demo dataset: 8 sample characters x 2 partitions x 20 poses x 4 styles (1280 images;
# about 2 minutes on 2 cores with lavapipe). Made afresh each time.
DEMO_OUT ?= out/demo
DEMO_ARGS ?= --samples 8 --per-model 20

demo: build
	@if [ -d "$(MODELS)" ]; then $(VENV)/bin/animeceleb models "$(MODELS)"; fi
	rm -rf "$(DEMO_OUT)"
	$(VENV)/bin/animeceleb generate -o "$(DEMO_OUT)" $(DEMO_ARGS)

test: build lint rust-test py-test clients-test

sysdeps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing system packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

$(VENV)/.deps:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip "maturin>=1.7,<2"
	touch $@

venv: $(VENV)/.deps

build: sysdeps venv
	$(VENV)/bin/maturin develop --release -q --extras dev

# Python code generated from proto/ (committed; tests/test_service_proto.py fails when stale).
proto: build
	PYTHON=$(PY) scripts/gen_proto_py.sh

# Go and TypeScript code generated from proto/ (committed; make clients-test fails when stale).
proto-clients: build
	PYTHON=$(abspath $(PY)) GO=$(GO) clients/gen.sh

lint: build
	cargo fmt --all --check
	cargo clippy --all-targets -q -- -D warnings
	$(VENV)/bin/ruff check python tests bench
	$(VENV)/bin/mypy
	$(PY) -m mypy.stubtest animeceleb._core

rust-test:
	cargo test -q

py-test: build
	$(VENV)/bin/pytest -q

# The Go and TypeScript clients: dependencies from their own lock files (go.sum,
# package-lock.json), generated code checked against proto/, then each suite against a live
# `animeceleb serve` it starts. -count=1: those results depend on the server, never cache them.
clients-test: build
	cd clients/go && $(GO) mod download && $(GO) vet ./... && test -z "$$($(GOFMT) -l .)"
	cd clients/ts && npm ci --no-audit --no-fund --loglevel=error
	PYTHON=$(abspath $(PY)) GO=$(GO) clients/gen.sh --check
	cd clients/go && $(GO) test -count=1 ./...
	cd clients/ts && npm test

# The bench extra adds the peer parsers; mmd-parser (npm) installs itself under bench/node.
bench: sysdeps venv
	$(VENV)/bin/maturin develop --release -q --extras dev,bench
	$(PY) bench/run_all.py

fuzz:
	bench/fuzz.sh 1800

clean:
	rm -rf target $(VENV) .pytest_cache .mypy_cache .ruff_cache
