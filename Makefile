# Two commands do all the set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Database tests run on SQLite always, and on PostgreSQL at this URL when it answers.
CREDO_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export CREDO_TEST_POSTGRES_URL

.PHONY: install browser run test test-sqlite bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "credo needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	@# uv installs the same packages from PyPI some ten times faster than pip (7 s against 90 s
	@# here); pip does it should uv be unavailable.
	$(BIN)/pip install --quiet uv && $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test,bench]' \
	  || { $(BIN)/pip install --quiet --upgrade pip && $(BIN)/pip install --quiet -e '.[test,bench]'; }
	touch $(STAMP)

install: $(STAMP)

run: install  ## install, prepare the SQLite database with demo data and users, show the portfolio, serve
	@# `credo demo` creates or upgrades the schema itself (a bare `credo init` would add company MAIN first)
	@# Every command acts as a user of credo (--as): the demo's administrator, once the demo made it
	$(BIN)/credo --as admin demo --if-empty
	$(BIN)/credo --as admin summary
	@echo "credo: sign in at http://127.0.0.1:8000 as admin, password credo-demo-2026 (every demo user: credo user list)"
	$(BIN)/credo serve --host 127.0.0.1 --port 8000

# The browser tests drive Debian's chromium (never a downloaded browser); Chinese pages need CJK fonts.
browser:  ## chromium and fonts-noto-cjk from apt-get when missing (as root; else the browser tests skip)
	@if [ ! -x /usr/bin/chromium ] || ! fc-list :lang=zh 2>/dev/null | grep -q .; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "make: installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "make: no chromium or CJK fonts; as root: apt-get install chromium fonts-noto-cjk"; \
	  fi; \
	fi

# Tests run in one process per core (pytest-xdist; a process that runs out of tests takes some from
# another, so no core idles at the end): each has its own SQLite file and PostgreSQL schema.
TEST_WORKERS ?= auto

test: install browser  ## lint, then every test, on SQLite and PostgreSQL
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

test-sqlite: install browser  ## every test, database tests on SQLite only
	CREDO_TEST_POSTGRES_URL= $(BIN)/python -m pytest -n $(TEST_WORKERS)

bench: install  ## benchmarks (see docs/performance.md); BENCH_SIZES=1000000 to choose sizes
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis build *.egg-info src/*.egg-info
