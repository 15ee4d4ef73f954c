# The handful of commands a newcomer needs. Everything runs inside .venv, made from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

## Set up, load the seeds into the embedded SQLite database, print the login, serve.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_account --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

## Set up and run the whole test suite (on PostgreSQL when DATABASE_URL says so).
test: install
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: install
	$(PY) bench/segmentation.py
	$(PY) bench/export.py

clean:
	rm -rf $(VENV) var *.egg-info
