# Common tasks. `make demo` and `make test` work on a fresh machine (they create .venv).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test test-sqlalchemy20 test-unit lint typecheck fmt bench bench-envpy clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[postgresql,mysql]"
	touch $(STAMP)

$(TEST_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install -q -e ".[postgresql,mysql,test]"
	touch $(TEST_STAMP)

demo: $(STAMP)
	@cd fixtures/example_app && ../../$(BIN)/python make_db.py && \
	  ../../$(BIN)/schemadiff diff; status=$$?; \
	  echo; echo "(exit code $$status: 1 means differences were found)"

# one worker per core: the tests wait on databases and processes as much as they compute
PYTEST_WORKERS ?= auto

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# the async bridge, unit and convergence tests on the oldest SQLAlchemy line we support (2.0.x)
test-sqlalchemy20:
	$(PYTHON) -m venv .venv-sa20
	.venv-sa20/bin/pip install -q -e ".[postgresql,mysql,test]" "sqlalchemy~=2.0.0"
	.venv-sa20/bin/python -m pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS) \
	  tests/unit tests/cli/test_async_urls.py tests/db/test_async_urls.py tests/db/test_convergence.py

test-unit: $(TEST_STAMP)
	$(BIN)/python -m pytest -q -m "not db" $(PYTEST_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check schemadiff tests
	$(BIN)/ruff format --check schemadiff tests

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

fmt: $(TEST_STAMP)
	$(BIN)/ruff format schemadiff tests
	$(BIN)/ruff check --fix schemadiff tests

# The full benchmark (every size, PostgreSQL multi-schema, start-up, rendering, chain): about an
# hour; it writes bench/RESULTS.md. `BENCH_ARGS=--keep` keeps its databases for the next run;
# `$(BIN)/python -m bench.run` alone is the quick subset.
bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run --full $(BENCH_ARGS)

# `revision --autogenerate` through an Alembic project's env.py against the fast path (whole
# commands at 1,000 tables, every backend, interleaved; about 10 minutes).
bench-envpy: $(TEST_STAMP)
	$(BIN)/python -m bench.envpy $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
