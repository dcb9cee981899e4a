# 議事録アナリティクス — one command to run the dashboard, one to pass the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DB ?= data/corpus.sqlite
PORT ?= 8501
ADDRESS ?= 127.0.0.1

.PHONY: setup corpus run test lint bench bench-scale parse-report clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $(STAMP)

# Streamlit hard-codes a few English strings ("Select all", "Upload" …); put them in Japanese
# (idempotent, tied to the pinned version: see dashboard/localize.py).
setup: $(STAMP)
	@$(PY) -m dashboard.localize

# Ingest is idempotent (documents are deduplicated by sha256) and re-derives tokens and topics
# when the parser, dictionary or rules changed, so running it every time keeps the corpus fresh.
corpus: setup
	$(PY) -m analysis ingest data/minutes --db $(DB)

run: corpus
	$(VENV)/bin/streamlit run dashboard/app.py --server.address $(ADDRESS) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false -- --db $(DB)

test: setup
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .

bench: corpus
	$(PY) benchmarks/bench_ingest.py --meetings 300
	$(PY) benchmarks/bench_metrics.py
	$(PY) benchmarks/bench_dashboard.py

# Parse fidelity: facts held / facts total over every minutes fixture (tests/fixtures/minutes/).
parse-report: setup
	$(PY) benchmarks/bench_parse.py --verbose

bench-scale: setup
	$(PY) benchmarks/bench_scale.py --meetings 1000

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm artifacts
