# `make` sets everything up in .venv and builds the briefing; `make test` runs every test.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build test check bench clean docs/pdf-pages.png docs/serve.png

all: build

$(STAMP): pyproject.toml scripts/setup-system
	scripts/setup-system
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/factsheet build --content content --out build

check: $(STAMP)
	$(BIN)/factsheet check --content content --strict

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto

# The strip of first PDF pages shown in docs/pdf.md (and the README).
docs/pdf-pages.png: build
	$(BIN)/python scripts/pdf-thumbnail build/briefing.pdf $@ 3

# The app as the README shows it: a source of content/ with words selected for a new fact.
docs/serve.png: $(STAMP)
	$(BIN)/python scripts/serve-screenshot content $@ hothardware 'it was a security breach per se, but a "major breach of trust."'

clean:
	rm -rf build

# The benchmark (minutes, not part of `make test`): writes bench/results.md.
bench: $(STAMP)
	$(BIN)/python bench/run.py
