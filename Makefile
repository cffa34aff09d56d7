# The README's two commands are `make run` and `make test`; everything they need is installed
# by the targets below, idempotently, so a fresh clone needs nothing else.
SWIFT ?= swift
PREFIX ?= /usr/local
BIN := .build/debug/glmwb
RELEASE_BIN := .build/release/glmwb

.PHONY: run test bench bench-peers local-model deps build release install clean

deps:
	@scripts/bootstrap.sh

build: deps
	$(SWIFT) build

# The Swift runtime and Foundation are linked in: resolving their symbols across 55 shared
# libraries was a third of every start (issue 15: 20 → 12 ms for `glmwb --version`).
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Starts the workbench on its embedded default: Z.AI when ZAI_API_KEY is set, else the local model.
run: build
	@$(BIN) $(ARGS)

# Installs the virtualenv with llama.cpp's server and SmolLM2-135M and starts it (reused if running).
local-model:
	@python3 scripts/local_model.py ensure

# The format check comes first (seconds, and it names the lines to fix): scripts/format_lint.py
# says which change it judges and why.
test: deps local-model
	@python3 scripts/format_lint.py
	$(SWIFT) build --build-tests
	$(SWIFT) test

# One table (bench/report.py): every figure of issue 15 as min / median / max over 5 runs, beside
# its target. Each bench script still runs alone (its own output is logged; the path is printed).
bench: deps release local-model bench-peers
	@python3 bench/report.py --glmwb $(RELEASE_BIN) --uibench .build/release/UIBench \
	  --python .venv/bin/python --eval-python .venv-bench/bin/python

# inspect-ai (the evaluation peer) lives in its own virtualenv: it pins packages the local
# model's .venv must not get. Made once; `make bench` reuses it.
bench-peers:
	@test -x .venv-bench/bin/python && .venv-bench/bin/python -c 'import inspect_ai' 2>/dev/null || \
	  (python3 -m venv .venv-bench && .venv-bench/bin/pip install --progress-bar off -q inspect-ai openai)

install: release
	install -d $(PREFIX)/bin $(PREFIX)/share/glmwb
	install -m 755 $(RELEASE_BIN) $(PREFIX)/bin/glmwb
	cp -R scripts prompts themes $(PREFIX)/share/glmwb/

clean:
	$(SWIFT) package clean
