# The handful of commands a newcomer needs. Everything runs inside .venv, installed from the
# lock files in requirements/ (exact versions with hashes), so two installs a week apart run
# the same code. pyproject.toml keeps the ranges; `make lock` refreshes the pins on purpose.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install install-dev lint bench lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The app alone: runtime dependencies only (the test-only scientific packages stay out).
$(VENV)/.installed-run: requirements/run.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.txt
	touch $@

# Runtime plus the test and benchmark tools.
$(VENV)/.installed-dev: requirements/dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

## Set up, load the seeds into the embedded SQLite database, print the login, serve.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_account --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

## Production: migrate, collect static files, serve with gunicorn on HOST:PORT.
## Settings come from the environment (README, "Running it for a newsroom"); WORKERS
## defaults to 2 x cores + 1.
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) $(VENV)/bin/gunicorn --config factcheck/gunicorn.conf.py

## Set up and run the whole test suite (on PostgreSQL when DATABASE_URL says so).
test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## Every benchmark on SQLite and PostgreSQL (bench/README.md): one table, and
## bench/results/latest.json. BENCH_ARGS=--quick for small sizes; PostgreSQL at
## $BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/factcheck_bench).
bench: install-dev
	$(PY) bench/run.py $(BENCH_ARGS)

## Re-pin every dependency from the ranges in pyproject.toml (uv resolves in seconds).
lock:
	$(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check uv
	.lockenv/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
		pyproject.toml -o requirements/run.txt
	.lockenv/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
		--extra dev pyproject.toml -o requirements/dev.txt

clean:
	rm -rf $(VENV) .lockenv var *.egg-info
