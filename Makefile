# Two commands: `make run` (set up, build the index if needed, start the app) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# models come inside PyPI packages: never let a library reach for a model hub
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install test-deps index run test bench clean-index

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# torch first and pinned: 2.13.0 is the local CPU build; anything else pulls GBs of CUDA wheels
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

install: $(VENV)/.installed

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

test-deps: $(VENV)/.test-installed
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "browser tests need Debian's chromium: run as root: apt-get update && apt-get install -y chromium"; fi; \
	fi
	@if [ -f tests/web/package.json ]; then (cd tests/web && npm ci --no-audit --no-fund --silent); fi

index: install
	$(BIN)/hcb index build

run: index
	$(BIN)/python app.py

test: test-deps
	$(BIN)/python -m pytest

bench: install
	$(BIN)/hcb bench

clean-index:
	rm -rf index/CURRENT index/builds
