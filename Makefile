# Every command an editor or maintainer needs. Only Python 3.11+ and make are assumed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Material 9.7+ prints a banner about MkDocs 2.0 on every build; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install check test lint site serve bench bench-check bench-search bench-safe golden schema docs clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  (echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))" && exit 1)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

check: $(STAMP)
	$(BIN)/briefing check

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy
	$(BIN)/zizmor --offline --quiet .github/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

test: lint
	$(BIN)/pytest

site: $(STAMP)
	$(BIN)/mkdocs build --strict

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

schema: $(STAMP)
	$(BIN)/briefing schema

docs: $(STAMP)
	$(BIN)/python -m generator.docs
	$(BIN)/python -m generator.editorial

golden: $(STAMP)
	$(BIN)/pytest tests/test_golden.py --update-golden

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_scale
	$(BIN)/python -m tests.benchmarks.bench_safe

bench-safe: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_safe

bench-check: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_check

bench-search: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_search

clean:
	rm -rf site .cache

# The property and mutation fuzz tests, far longer than in `make test` and with fresh random
# seeds each run. A failure prints the example: pin it with @example in the test.
fuzz: $(STAMP)
	BRIEFING_HYPOTHESIS=fuzz $(BIN)/pytest tests/test_property.py -q -p no:cacheprovider
