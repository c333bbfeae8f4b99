# Two commands on a fresh machine: `make book` builds the site, `make test` runs
# the tests. Both create the virtual environment .venv on first use.
# While editing, `make test-fast` runs the unit tests alone (no build, no browser,
# no fresh environment) in well under a minute.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HTML   := _build/html
PORT   ?= 8000

LIGHTHOUSE_VERSION := 12.8.2

# The tiers are pytest markers (pyproject.toml); the unit tier has none of them.
FAST_TIER := not build and not browser and not print and not venv
# `make test` fails when either package's line coverage is below this.
COVERAGE_MIN := 90
# Extra pytest arguments, e.g. make test-fast PYTEST_ARGS="-k users -x"
PYTEST_ARGS ?=

.PHONY: book test test-fast serve clean lock check-data help tools browser epubcheck print bench pack readability stale

help:
	@echo "make book   build the website into $(HTML) (strict: any warning fails)"
	@echo "make test-fast  the unit tests alone: no build, no browser, no fresh venv (run it while editing)"
	@echo "make test   run the whole test suite, with coverage (each package at least $(COVERAGE_MIN)%)"
	@echo "make serve  preview the built site on http://127.0.0.1:$(PORT)"
	@echo "make clean  remove the build and its execution cache"
	@echo "make lock   regenerate the exact pins in requirements.txt"
	@echo "make bench  time the build, weigh the pages, run Lighthouse (a benchmark, not a test)"
	@echo "make print  the printable files into _build/print/ (handouts, slides, the book as PDF and EPUB), linked from the site"
	@echo "make pack   build the student pack dist/durov-student-pack.zip (notebooks without solutions)"
	@echo "make readability  print the Flesch-Kincaid grade of each chapter's prose"
	@echo "make stale  list the data rows and 'as of' statements over six months older than the book's as-of date"

$(STAMP): requirements.txt pyproject.toml
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

# Both editions (bookbuild/editions.py): `jupyter-book build . -W -n --keep-going`
# for the English one and, at the same time on the second core, the same for
# fr/ into _build/fr/ (its own execution cache); then the French site is copied
# into $(HTML)/fr/ and its pages join the site's sitemap.
book: $(STAMP)
	@echo "Building the book, English and French (cells whose source has not changed come from the cache)..."
	$(BIN)/python -m bookbuild.editions
	@test -f $(HTML)/index.html || { echo "ERROR: $(HTML)/index.html was not built"; exit 1; }
	@test -f $(HTML)/fr/index.html || { echo "ERROR: $(HTML)/fr/index.html was not built"; exit 1; }
	@echo "The site is in $(HTML)/ (the French edition in $(HTML)/fr/) - open $(HTML)/index.html, or run 'make serve'."

# The browser and print tests use four of Debian's packages: chromium and
# chromium-headless-shell (built from the same source: the tests, the PDFs and
# Lighthouse run in the headless shell, the same engine with about 40 % less
# CPU, and fall back on chromium when only that is installed; chromium brings
# the fonts and libraries the pages have always been drawn with), epubcheck
# (the EPUB's check) and poppler-utils (pdftotext: the PDFs' text, read in
# seconds). Nothing is downloaded at run time. As root (CI, a fresh machine)
# the missing ones are installed with one apt call; otherwise the tests that
# need them skip with a message (under CI=true they fail). `make browser` and
# `make epubcheck` are the same target.
TOOLS := chromium:/usr/bin/chromium chromium-headless-shell:/usr/bin/chromium-headless-shell \
         epubcheck:/usr/share/java/epubcheck.jar poppler-utils:/usr/bin/pdftotext

tools:
	@missing=""; for t in $(TOOLS); do [ -e "$${t#*:}" ] || missing="$$missing $${t%%:*}"; done; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing Debian's$$missing for the browser and print tests..."; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } \
	  || { echo "WARNING: could not install$$missing with apt"; [ "$$CI" != true ]; }; \
	else echo "NOTE:$$missing missing and this is not root: the tests that need them will skip (apt-get install$$missing)."; fi

browser epubcheck: tools

# The printable files, from the built site (bookbuild/printkit.py): each PDF is
# printed by Debian's Chromium, the EPUB is Sphinx's epub builder on the same
# configuration and execution cache. Then the site is built once more (nothing
# is executed again), so that the landing page and the teacher guide list the
# files and the site's downloads/ folder holds them (bookbuild/downloads_ext.py).
print: book tools
	$(BIN)/python -m bookbuild.printkit
	@$(BIN)/python -m bookbuild.editions > _build/print/rebuild.log 2>&1 \
	  || { tail -30 _build/print/rebuild.log; echo "ERROR: the rebuild that links the files failed"; exit 1; }
	@echo "The files are in _build/print/ and linked from $(HTML)/index.html (downloads/)."

# pytest's exit code 5 (no test collected) is a failure, in both tiers.
# The unit tests share no state, so pytest-xdist spreads them over every core
# (-n auto: two workers on two cores), each test file (or class) kept in one
# worker so that its module fixtures are made once. FAST_WORKERS=0: one process.
FAST_WORKERS ?= auto
test-fast: $(STAMP)
	@$(BIN)/python -m pytest -q -n $(FAST_WORKERS) --dist loadscope -m "$(FAST_TIER)" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests"; exit 1; fi; exit $$rc

# The whole suite: unit, build, browser, print and fresh-venv tiers (tests/conftest.py
# starts the build and the fresh environment in the background and runs the
# tiers in that order), then the coverage of each package, reported apart.
test: $(STAMP) tools
	@rm -f .coverage .coverage.*; \
	$(BIN)/python -m pytest --cov --cov-report= --durations=10 $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "ERROR: pytest collected no tests"; exit 1; fi; \
	for package in durovbook bookbuild; do \
	  echo "== Coverage of $$package/ (at least $(COVERAGE_MIN)%)"; \
	  $(BIN)/python -m coverage report --include="$$package/*" --fail-under=$(COVERAGE_MIN) || rc=1; \
	done; exit $$rc

check-data: $(STAMP)
	$(BIN)/python -c "from durovbook import validate_all; print(validate_all())"

# Lighthouse goes into .bench/ (git-ignored), never globally, and only here.
bench: $(STAMP) tools
	@if command -v npm >/dev/null && [ ! -f .bench/.lighthouse-$(LIGHTHOUSE_VERSION) ]; then \
	  npm install --prefix .bench --no-audit --no-fund --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION) \
	  && touch .bench/.lighthouse-$(LIGHTHOUSE_VERSION) || echo "WARNING: lighthouse could not be installed"; fi
	$(BIN)/python -m bookbuild.bench $(BENCH_ARGS)

# The student pack: one notebook per chapter of _toc.yml with the solutions
# removed, the data, the durovbook package, exact pins and a README. `make book`
# also writes it into the site (see bookbuild/classroom_ext.py), so its link never breaks.
# It builds the book first: the numbers a chapter glues into its prose come from
# the executed notebooks in $(dir $(HTML))jupyter_execute (cached, so quick).
pack: book
	$(BIN)/python -m bookbuild.classroom pack dist/durov-student-pack.zip

readability: $(STAMP)
	@$(BIN)/python -m bookbuild.readability

# A report for the next update, not a test (see bookbuild/stale.py).
stale: $(STAMP)
	@$(BIN)/python -m bookbuild.stale

serve:
	@test -f $(HTML)/index.html || { echo "Run 'make book' first."; exit 1; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory $(HTML)

clean:
	rm -rf _build

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -r requirements.in
	{ echo "# Exact pins of the whole stack, generated by \`make lock\` from requirements.in."; \
	  echo "# Do not edit by hand: change requirements.in and run \`make lock\`."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; \
	  echo; echo "# The book's own helper package, installed in editable mode."; echo "-e ."; } > requirements.txt
	rm -rf .lock-venv
