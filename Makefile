# Two commands on a fresh machine: `make run` (serve the demo CPAS) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install lock run reset test messages clean upgrade-fixtures

install: $(VENV)/.installed planner/static/vendor/htmx.min.js planner/static/vendor/chart.umd.min.js locales/.compiled \
  node_modules/axe-core/axe.min.js

PIP := $(VENV)/bin/pip --quiet --disable-pip-version-check
# Every distribution in the venv, direct and indirect (pip and setuptools too), at one version.
LOCK := requirements.lock

# A new venv whenever pyproject.toml or the lock changes, so it holds the lock and nothing else; a venv
# holding anything else (a dependency added to pyproject.toml but not locked) stops here.
$(VENV)/.installed: pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -c $(LOCK) pip setuptools
	$(PIP) install -c $(LOCK) --no-build-isolation -e '.[test]'
	@$(PIP) freeze --all --exclude-editable | diff -u --label $(LOCK) --label .venv <(sed '/^#/d' $(LOCK)) - \
	  || { echo "$(LOCK) does not match pyproject.toml: run make lock" >&2; exit 1; }
	touch $@

# Resolve pyproject.toml again (newest versions it allows), install that, write it to the lock.
lock:
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools
	$(PIP) install --no-build-isolation -e '.[test]'
	{ echo "# Written by make lock from pyproject.toml; make install installs exactly this."; \
	  $(PIP) freeze --all --exclude-editable; } > $(LOCK)
	touch $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# axe-core (a dev dependency) audits every page in the browser tests; npm ci installs it.
node_modules/axe-core/axe.min.js: node_modules/.package-lock.json
	test -f $@ && touch $@

planner/static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p planner/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

# Chart.js's UMD build (one file, its colour helper bundled) for the budget chart: no inline style or script.
planner/static/vendor/chart.umd.min.js: node_modules/.package-lock.json
	mkdir -p planner/static/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js $@

locales/.compiled: $(VENV)/.installed $(wildcard locales/*/LC_MESSAGES/messages.po)
	$(VENV)/bin/pybabel compile -d locales --statistics
	touch $@

run: install
	$(PY) -m planner migrate
	$(PY) -m planner load-demo
	$(PY) -m planner serve --host $(HOST) --port $(PORT)

# The demo data as `make run` first loads it, without reinstalling (stop `make run` first): the SQLite
# file goes, or PostgreSQL's public schema when PLANNER_DATABASE_URL names one.
reset: install
	@url="$${PLANNER_DATABASE_URL:-sqlite:///$(CURDIR)/var/planner.sqlite}"; \
	case "$$url" in \
	  postgres://*|postgresql://*) psql -q "$$url" -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public' ;; \
	  sqlite:///*) file="$${url#sqlite:///}"; rm -f "$$file" "$$file-wal" "$$file-shm" ;; \
	  *) echo "make reset: unknown PLANNER_DATABASE_URL $$url" >&2; exit 1 ;; \
	esac
	$(PY) -m planner migrate
	$(PY) -m planner load-demo

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# After adding or changing user-facing strings: refresh the four catalogues, then translate.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --sort-output -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales --no-fuzzy-matching

# The previous release's demo for tests/upgrade/ (see its README.md): after a release, pass its last commit.
UPGRADE_FROM ?= $(shell cat tests/upgrade/COMMIT)
upgrade-fixtures:
	tests/upgrade/make_fixtures.sh $(UPGRADE_FROM)

clean:
	rm -rf $(VENV) node_modules planner/static/vendor locales/.compiled var
