# Every command an editor or maintainer needs. Only Python 3.11+ and make are assumed, plus
# Node.js 20+ with npm for `make lint` and `make test` (Biome, the JavaScript linter).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Biome, pinned exactly in package.json and package-lock.json; `npm ci` installs just that.
NODE_STAMP := node_modules/.installed
BIOME := npx --no-install biome
JS := templates/overrides/assets templates/admin
SITE := site
# Where `make preview` serves the built site: the address `site_url` names by default.
PORT ?= 8000
# Material 9.7+ prints a banner about MkDocs 2.0 on every build; it is not about this site.
export NO_MKDOCS_2_WARNING := 1

.PHONY: install check test test-fast lint lint-js format-js site serve preview bench bench-50k bench-check bench-search bench-parts bench-timeline bench-explore bench-safe bench-embed bench-words bench-import golden schema docs clean fuzz

# pip prints each package as it goes (the first install takes a minute or two).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  (echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))" && exit 1)
	@echo "Installing the generator and its tools into $(VENV)/ (a minute or two the first time)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e '.[dev]'
	@echo "Fetching Pagefind, the search indexer"
	$(BIN)/python -m generator.publish.pagefind_binary  # Pagefind's pinned binary, from the npm registry
	@echo "Fetching Decap CMS, the editing form at /admin/"
	$(BIN)/python -m generator.publish.decap_bundle  # its pinned bundle, from the npm registry
	touch $(STAMP)

install: $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || \
	  (echo "npm (Node.js 20 or newer) is needed to lint the JavaScript" && exit 1)
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

check: $(STAMP)
	$(BIN)/briefing check

lint: $(STAMP) lint-js
	$(BIN)/ruff check generator tests tools
	$(BIN)/ruff format --check generator tests tools
	$(BIN)/mypy
	$(BIN)/zizmor --offline --quiet .github/
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

# The site's own JavaScript (not assets/vendor: see biome.jsonc), linted and format-checked.
lint-js: $(NODE_STAMP)
	$(BIOME) check --error-on-warnings --files-ignore-unknown=true $(JS)

# Format the JavaScript and apply Biome's safe fixes.
format-js: $(NODE_STAMP)
	$(BIOME) check --write --files-ignore-unknown=true $(JS)

test: lint
	$(BIN)/pytest

# The loop while you work, under a minute: the Python linters and the tests that build no full
# site and drive no browser. `make test` (what CI runs) still runs everything.
test-fast: $(STAMP)
	$(BIN)/ruff check generator tests tools
	$(BIN)/ruff format --check generator tests tools
	$(BIN)/mypy
	BRIEFING_HYPOTHESIS=fast $(BIN)/pytest -q -m "not slow and not browser"

site: $(STAMP)
	$(BIN)/mkdocs build --strict
	@echo "The site is in $(SITE)/. To look at it: make preview, then open http://127.0.0.1:$(PORT)/"

# The built site, served as a host serves it. Opened from disk (file://), a browser refuses the
# site's scripts and its shared icons, and folder links open listings: see the README's Quickstart.
preview:
	@test -f $(SITE)/index.html || (echo "No site in $(SITE)/ yet: run make site first" && exit 1)
	@echo "Serving $(SITE)/ at http://127.0.0.1:$(PORT)/ (Ctrl-C stops it)"
	$(PYTHON) -m http.server $(PORT) --bind 127.0.0.1 --directory $(SITE)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty

schema: $(STAMP)
	$(BIN)/briefing schema
	$(BIN)/python -m generator.ingest.mapping mappings/mapping.schema.json

docs: $(STAMP)
	$(BIN)/python -m generator.render.docs

golden: $(STAMP)
	$(BIN)/pytest tests/test_golden.py --update-golden

bench: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_scale
	$(BIN)/python -m tests.benchmarks.bench_safe

# The 50,000-event, 5,000-actor row: one build of each, alternated (20+ minutes on 2 cores).
bench-50k: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_scale --builds 1 50000

bench-safe: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_safe

# What the audit of record text after MkDocs' conversion costs a 10,000-event build.
bench-embed: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_embed

bench-check: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_check

bench-search: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_search

bench-parts: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_parts

bench-timeline: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_timeline

bench-explore: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_explore

bench-words: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_words

# `briefing import`: the CNS missile tests, 100,000 ACLED-shaped rows, a re-import that writes
# nothing, and `make site` before and after the CNS import (needs ../shared for the CNS rows).
bench-import: $(STAMP)
	$(BIN)/python -m tests.benchmarks.bench_import

clean:
	rm -rf site .cache

# The property and mutation fuzz tests, far longer than in `make test` and with fresh random
# seeds each run. A failure prints the example: pin it with @example in the test.
fuzz: $(STAMP)
	BRIEFING_HYPOTHESIS=fuzz $(BIN)/pytest tests/test_property.py -q -p no:cacheprovider
