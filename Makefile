# The handful of commands a newcomer needs. Everything runs inside .venv, installed from the
# lock files in requirements/ (exact versions with hashes), so two installs a week apart run
# the same code. pyproject.toml keeps the ranges; `make lock` refreshes the pins on purpose.
# The lock files are installed by a pinned, hash-checked pip (requirements/pip.txt), never by
# whatever pip the machine's venv ships: Python 3.11.7's 23.2.1 cannot install them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install install-dev lint bench lock clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Any pip can install one hash-checked wheel with no dependencies: the pinned pip replaces
# the venv's own before anything else is installed (an existing .venv is upgraded too).
$(VENV)/.pip: requirements/pip.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/pip.txt
	touch $@

# The app alone: runtime dependencies only (the test-only scientific packages stay out).
$(VENV)/.installed-run: requirements/run.txt $(VENV)/.pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/run.txt
	touch $@

# Runtime plus the test and benchmark tools.
$(VENV)/.installed-dev: requirements/dev.txt $(VENV)/.pip
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

## Set up, load the seeds into the embedded SQLite database, print the two logins, serve.
run: install
	$(PY) manage.py create_local_secret
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py load_seeds
	$(PY) manage.py create_demo_account --url http://$(HOST):$(PORT)/admin/
	$(PY) manage.py runserver $(HOST):$(PORT)

## Production: migrate, collect static files, serve with gunicorn on HOST:PORT.
## Settings come from the environment (docs/deploying.md, "Running it for a newsroom"); WORKERS
## defaults to 2 x cores + 1.
serve: install
	$(PY) manage.py create_local_secret
	$(PY) manage.py migrate --noinput
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
## --no-strip-extras keeps "lxml[html-clean]" as a pinned line, as justext asks for it.
lock:
	$(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet --disable-pip-version-check uv
	.lockenv/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
		requirements/pip.in -o requirements/pip.txt
	.lockenv/bin/uv pip compile --quiet --generate-hashes --no-strip-extras --python-version 3.11 \
		pyproject.toml -o requirements/run.txt
	.lockenv/bin/uv pip compile --quiet --generate-hashes --no-strip-extras --python-version 3.11 \
		--extra dev pyproject.toml -o requirements/dev.txt

clean:
	rm -rf $(VENV) .lockenv var/* *.egg-info  # var/.gitignore stays: the folder is in git
