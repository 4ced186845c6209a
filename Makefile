# `make` sets everything up in .venv and builds the briefing; `make test` runs the static checks and every test.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: all build test check lint lock bench bench-project clean docs/pdf-pages.png docs/serve.png

all: build

# The Debian packages, the new Docusaurus and Astro sites the publishing tests start from (npm,
# into .cache/sites/), then exactly the versions in requirements.lock (hash-checked), then factsheet itself on top of them.
$(STAMP): pyproject.toml requirements.lock scripts/setup-system scripts/setup-sites
	scripts/setup-system
	scripts/setup-sites
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	$(BIN)/python -m compileall -q factsheet
	touch $(STAMP)

# Regenerates requirements.lock from pyproject.toml (runtime and test extra), every package pinned
# with its hashes, resolved for this machine's python3. It keeps each pin pyproject.toml still
# allows (adding what is new, dropping what is gone); `make lock UPGRADE=1` takes the newest
# releases of everything.
lock:
	tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	python3 -m venv "$$tmp" && "$$tmp/bin/python" -m pip install -q --upgrade pip pip-tools && \
	CUSTOM_COMPILE_COMMAND="make lock" "$$tmp/bin/pip-compile" -q $(if $(UPGRADE),--upgrade) --generate-hashes \
	    --extra test --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	    -o requirements.lock pyproject.toml

build: $(STAMP)
	$(BIN)/factsheet build --content content --out build

check: $(STAMP)
	$(BIN)/factsheet check --content content --strict

# The static checks, which `make test` runs before the tests: ruff on the code and the tests, mypy
# on the package (their settings are in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check factsheet tests bench scripts
	$(BIN)/mypy

# compileall first: an editable install has no bytecode (pip compiles only what it copies), and
# where PYTHONDONTWRITEBYTECODE is set every `factsheet` a test starts would compile the package.
test: $(STAMP) lint
	$(BIN)/python -m compileall -q factsheet
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

# A project of 200 briefings x 50 facts over 500 shared sources (docs/projects.md): longer still.
bench-project: $(STAMP)
	$(BIN)/python bench/project.py --json bench/project-results.json
