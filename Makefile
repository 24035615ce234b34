# The book's Makefile. `make` sets everything up and builds the three editions into dist/;
# `make test` runs the tests. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := all

VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
LOCK    := requirements.lock
# The book's outline: its language decides which TeX hyphenation patterns the PDF needs.
OUTLINE ?= outline.toml
# The Debian package with them (texlive-lang-german for language = "de", ...; none for English),
# as book/editions/hyphenation.py maps the outline's language (standard library only: no venv yet).
LANGUAGE_PACKAGES := $(shell python3 -m book.editions.hyphenation $(OUTLINE) 2>/dev/null)
# Debian packages the editions and the tests need (the tests build German and French books).
APT_PACKAGES := texlive-xetex latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended \
	texlive-lang-cjk texlive-lang-chinese texlive-lang-cyrillic texlive-lang-german texlive-lang-french \
	fonts-noto-core fonts-noto-mono fonts-noto-cjk default-jre-headless poppler-utils \
	chromium chromium-driver nodejs $(LANGUAGE_PACKAGES)

.PHONY: all setup system venv bytecode lock checkers html epub pdf docx test test-fast lint mutation clean serve bib import bench

all: setup ## build the editions into dist/: HTML, EPUB, PDF and the DOCX manuscript
	$(PY) -m book publish html epub pdf docx

html: setup ## the HTML site into dist/html/
	$(PY) -m book publish html

epub: setup ## the EPUB into dist/
	$(PY) -m book publish epub

pdf: setup ## the PDF into dist/
	$(PY) -m book publish pdf

docx: setup ## the DOCX manuscript (for a publisher's copyeditor) into dist/
	$(PY) -m book publish docx

setup: system venv checkers bytecode

# DAISY Ace (the EPUB accessibility checker the tests run) from npm, on the system Chromium.
checkers: node_modules/.installed

node_modules/.installed: package.json
	@echo "==> installing the EPUB checker (DAISY Ace) into node_modules/"
	@ELECTRON_SKIP_BINARY_DOWNLOAD=1 PUPPETEER_SKIP_DOWNLOAD=1 npm install --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

system: ## install missing Debian packages (once)
	@installed=" $$(dpkg-query -W -f='$${db:Status-Abbrev}$${Package} ' $(APT_PACKAGES) 2>/dev/null) "; \
	missing=$$(for p in $(APT_PACKAGES); do case "$$installed" in *" ii $$p "*) ;; *) echo $$p;; esac; done); \
	if [ -n "$$missing" ]; then \
		if ! command -v apt-get >/dev/null; then \
			echo "error: these packages are missing and apt-get is not available:" $$missing; \
			echo "  hint: install them with your system's package manager, then run make again"; exit 1; fi; \
		sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
		echo "==> installing Debian packages:" $$missing; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing \
			|| { echo "error: apt-get could not install:" $$missing; exit 1; }; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml $(LOCK)
	@echo "==> creating $(VENV) with the Python dependencies of $(LOCK)"
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -r $(LOCK)
	@$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	@touch $@

# The package's compiled bytecode, kept current: imports then read it even where
# PYTHONDONTWRITEBYTECODE is set (compiling the package afresh took 0.1 s per build).
bytecode: $(VENV)/.bytecode

$(VENV)/.bytecode: $(STAMP) $(shell find book -name '*.py' 2>/dev/null)
	@$(PY) -m compileall -q book
	@touch $@

lock: ## resolve pyproject.toml's ranges afresh into requirements.lock (after adding a dependency)
	@rm -rf _build/lock-venv && python3 -m venv _build/lock-venv
	@_build/lock-venv/bin/python -m pip install -q --disable-pip-version-check '.[dev]'
	@{ echo "# The exact versions make installs: python -m pip freeze of a fresh install of"; \
	   echo "# '.[dev]' (pyproject.toml's ranges). Regenerate with: make lock"; \
	   _build/lock-venv/bin/python -m pip freeze --disable-pip-version-check --exclude-editable | grep -v '^book[= @]'; } > $(LOCK)
	@rm -rf _build/lock-venv build
	@echo "==> wrote $(LOCK); commit it with pyproject.toml"

# The tests run on two workers (pytest-xdist), which share one build of the flagship's editions.
# TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2

test: setup ## run every test: unit tests, tiny books, then the real editions read back
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal

test-fast: venv ## only the unit tests (no Sphinx, no LaTeX): about 15 seconds
	$(PY) -m pytest -q -n $(TEST_WORKERS) -m "not sphinx and not edition"

lint: venv ## ruff (lint and format) and mypy, as configured in pyproject.toml
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

mutation: venv ## mutation testing ([tool.mutmut] in pyproject.toml; slow, not part of make test)
	rm -rf mutants
	$(VENV)/bin/mutmut run --max-children 2
	$(VENV)/bin/mutmut results | grep -v ': killed' || true

import: venv ## regenerate chapters/ from documents/ and outline.toml
	$(PY) -m book import

bib: venv ## rebuild references-generated.bib from documents/ (references.bib is yours)
	$(PY) -m book bib

PORT ?= 8000
serve: setup ## live preview of the HTML at http://127.0.0.1:$(PORT) (make serve PORT=8001)
	$(PY) -m book serve --port $(PORT)

bench: setup ## time the builds and the parsers; writes BENCHMARKS.md
	$(PY) -m book.commands.bench

clean: ## remove build products (dist/ too)
	rm -rf _build dist
