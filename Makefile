# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test real-corpus lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml setup.py src/lagebild/_compiled.py
	$(BIN)/python -m pip install -q -e '.[dev,embed]'
	touch $(STAMP)

# the tests also run the Spark runner on a local Spark (pyspark, ~500 MB; Java 17+)
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[dev,embed,spark]'
	touch $(TEST_STAMP)

demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/lagebild --db demo.db run examples/demo --out report
	$(BIN)/lagebild --db demo.db articles
	$(BIN)/lagebild --db demo.db stories

test: $(TEST_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest -q -n auto --dist loadfile

# the main job over every real text in ../shared in one run (~10 min CPU; CI runs a slice)
real-corpus: $(STAMP)
	LAGEBILD_REQUIRE_SHARED=1 LAGEBILD_REAL_CORPUS=full $(BIN)/python -m pytest -q -s \
		tests/test_real_corpus.py

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info demo.db* report
