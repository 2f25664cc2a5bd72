# Doorstroom: `make run` sets everything up and serves the app; `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install migrate demo check messages bench bench-load

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

run: demo
	@echo "Doorstroom draait op http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: gunicorn with DJANGO_DEBUG=false; the environment must give DJANGO_SECRET_KEY (50+ random
# characters), DJANGO_ALLOWED_HOSTS, DATABASE_URL, DOORSTROOM_INSZ_KEYS (Fernet keys) and
# DOORSTROOM_INSZ_HASH_KEY (32+ characters), else the settings refuse to start (docs/security.md).
WORKERS ?= 3
serve: export DJANGO_DEBUG = false
serve: install
	$(PY) manage.py check --deploy
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py migrate --noinput
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --error-logfile - --forwarded-allow-ips="$${DJANGO_PROXY_IPS:-127.0.0.1}"

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Regenerate the Dutch catalogue after changing strings; both .po and .mo are committed,
# so that neither `make run` nor CI needs gettext.
messages: install
	$(PY) manage.py makemessages -l nl --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l nl --ignore=.venv

# Benchmark at scale on PostgreSQL (creates the databases bench_100k and bench_1m, then measures the import
# of 100,000 rows; see docs/benchmarks.md).
# BENCH_SIZES=100000 runs one size only.
BENCH_SIZES ?= 100000 1000000
bench: install
	for n in $(BENCH_SIZES); do $(PY) bench/run.py --persons $$n || exit 1; done
	# The import of 100,000 rows, in a throw-away database test_postgres that it creates and drops.
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres $(PY) bench/import_bench.py

# Concurrent load (issue 6): gunicorn on 127.0.0.1 against bench_100k, 20 connections for 60 s with wrk
# (Debian package `wrk`; not part of CI). Writes the "Concurrent load" section of docs/benchmarks.md.
bench-load: install
	$(PY) bench/load_bench.py
