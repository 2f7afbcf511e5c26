# Two commands on a fresh machine: `make run` (serve the demo CPAS) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test messages clean upgrade-fixtures

install: $(VENV)/.installed planner/static/vendor/htmx.min.js locales/.compiled

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

planner/static/vendor/htmx.min.js: node_modules/.package-lock.json
	mkdir -p planner/static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js $@

locales/.compiled: $(VENV)/.installed $(wildcard locales/*/LC_MESSAGES/messages.po)
	$(VENV)/bin/pybabel compile -d locales --statistics
	touch $@

run: install
	$(PY) -m planner migrate
	$(PY) -m planner load-demo
	$(PY) -m planner serve --host $(HOST) --port $(PORT)

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
