# Doorstroom: `make run` sets everything up and serves the app; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve worker test install migrate demo check messages bench bench-load

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py loaddemo
	$(PY) manage.py create_demo_accounts

# The web server and, beside it, a worker for the background jobs (exports with progress, jobs/), stopped with it.
run: demo
	@echo "Doorstroom draait op http://$(HOST):$(PORT)/"
	$(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn with DJANGO_DEBUG=false; the environment must give DJANGO_SECRET_KEY (50+ random
# characters), DJANGO_ALLOWED_HOSTS, DATABASE_URL, DOORSTROOM_INSZ_KEYS (Fernet keys) and
# DOORSTROOM_INSZ_HASH_KEY (32+ characters), else the settings refuse to start (docs/security.md).
WORKERS ?= 3
# A request may take up to TIMEOUT seconds before gunicorn kills its worker. Its default of 30 s would cut
# off a large export, whose time grows with its rows up to minutes for a whole sheet (figures in
# docs/benchmarks.md, "List export"). A reverse proxy in front needs as long a read timeout. The same
# export "op de achtergrond" (jobs/, a db_worker) answers at once and has no such limit.
TIMEOUT ?= 300
# The background jobs need at least one worker beside gunicorn, on this machine or another that reaches the
# same database and shares DOORSTROOM_JOB_RESULTS_DIR; run it under the service manager (restart always):
#     DJANGO_DEBUG=false .venv/bin/python manage.py db_worker --worker-id "$$(hostname)-1"
# and hourly `manage.py expire_jobs` (deletes expired results). `make worker` runs one in the foreground.
serve: export DJANGO_DEBUG = false
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--timeout $(TIMEOUT) --access-logfile - --error-logfile - --forwarded-allow-ips="$${DJANGO_PROXY_IPS:-127.0.0.1}"

worker: export DJANGO_DEBUG = false
worker: install
	$(PY) manage.py db_worker

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Lint (ruff: pyflakes, pycodestyle, isort, pyupgrade), formatting, the layers of the apps
# (import-linter, .importlinter; docs/architecture.md), Django's checks and missing migrations.
check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate the Dutch catalogue after changing strings; both .po and .mo are committed,
# so that neither `make run` nor CI needs gettext.
messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l nl --ignore=.venv

# Benchmark at scale on PostgreSQL (issues 6 and 17; docs/benchmarks.md), per size: the database bench_100k or
# bench_1m made anew, the reports and pages (bench/run.py), 20 concurrent connections for 60 s against
# gunicorn with the mix of bench/load_mix.py (bench/load_bench.py, with Debian's wrk, installed here when
# missing), the processor time per request of that mix (bench/cpu_per_request.py, printed), every list's search (bench/search_bench.py) and the export of
# 100,000 rows (bench/export_bench.py); then the import of 100,000 rows. About 15 minutes here.
# BENCH_SIZES=100000 runs one size only; BENCH_DB_PREFIX=x names the databases x_100k / x_1m instead.
BENCH_SIZES ?= 100000 1000000
BENCH_DB_PREFIX ?= bench
export BENCH_DB_PREFIX
bench: install
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	for n in $(BENCH_SIZES); do \
		if [ $$((n % 1000000)) -eq 0 ]; then db=$(BENCH_DB_PREFIX)_$$((n / 1000000))m; else db=$(BENCH_DB_PREFIX)_$$((n / 1000))k; fi; \
		$(PY) bench/run.py --persons $$n || exit 1; \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db $(PY) bench/load_bench.py || exit 1; \
		BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db $(PY) bench/cpu_per_request.py || exit 1; \
		DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db $(PY) bench/search_bench.py --doc || exit 1; \
		DATABASE_URL=postgres://postgres@127.0.0.1:5432/$$db $(PY) bench/export_bench.py --doc || exit 1; \
	done
	# The import of 100,000 rows, in a throw-away database test_postgres that it creates and drops.
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(PY) bench/import_bench.py
	# The realistic shape of issue 17 (one row a person, 1,206 employers): printed, see docs/benchmarks.md.
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(PY) bench/import_bench.py --shape realistic

# Concurrent load alone (part of `make bench`): gunicorn on 127.0.0.1 against bench_100k (or
# BENCH_DATABASE_URL), 20 connections for 60 s with wrk. Writes the "Concurrent load" section of docs/benchmarks.md.
bench-load: install
	$(PY) bench/load_bench.py
