# Ketenkaart: `make serve` builds the example site and serves it on http://127.0.0.1:8000;
# `make test` runs every test. Both create the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve build check test quick chromium benchmark clean

$(BIN)/ketenkaart: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

serve: $(BIN)/ketenkaart
	$(BIN)/ketenkaart serve

build: $(BIN)/ketenkaart
	$(BIN)/ketenkaart build

check: $(BIN)/ketenkaart
	$(BIN)/ketenkaart check

# Browser tests drive Debian's chromium; install it when it is missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

test: $(BIN)/ketenkaart chromium
	$(BIN)/python -m pytest -n 2 -q

# The edit-test loop: unit and integration tests without the browser, exhaustive and slow ones.
quick: $(BIN)/ketenkaart
	$(BIN)/python -m pytest -n 2 -q -m "not browser and not exhaustive and not slow"

# The national set (342 x 30), then the same municipalities with 100 organisations each.
benchmark: $(BIN)/ketenkaart
	$(BIN)/python benchmarks/national.py
	$(BIN)/python benchmarks/national.py --per-gemeente 100 --zonder-basislijn --zonder-browser

clean:
	rm -rf build site .site.* $(VENV)
