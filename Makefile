# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SIMULATE ?= 1
export PORT SIMULATE

.PHONY: run test lint install install-dev serve worker beat clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: $(VENV)/.installed
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py serve --port $(PORT)

test: $(VENV)/.installed-dev
	@command -v chromium >/dev/null 2>&1 || ./scripts/install-chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy console bookings calls
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run >/dev/null
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy console bookings calls
	$(VENV)/bin/lint-imports --no-cache

# Production processes (see README): the ASGI server, a Celery worker and beat.
worker: $(VENV)/.installed
	$(VENV)/bin/celery -A console worker --loglevel INFO
beat: $(VENV)/.installed
	$(VENV)/bin/celery -A console beat --loglevel INFO

clean:
	rm -rf var/db.sqlite3* var/test-*.sqlite3* var/static
