# Danh bạ thư điện tử công vụ — the two commands a newcomer needs: `make run`, `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := DEBUG=1 $(BIN)/python manage.py

.PHONY: install run test test-browser lint messages ci clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,browser]'
	touch $@

install: $(VENV)/.installed

## run: migrate an SQLite database, load provinces, communes and the demo, serve :8000
run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_divisions
	$(MANAGE) load_demo --with-staff
	$(MANAGE) runserver 127.0.0.1:8000

## test: the whole suite but the browser tests (SQLite, or DATABASE_URL when set)
test: install
	$(BIN)/python -m pytest -m "not browser"

## test-browser: the headless Chromium tests (needs Debian's chromium)
test-browser: install
	$(BIN)/python -m pytest -m browser

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## messages: refresh and compile the translations after changing strings
messages: install
	$(MANAGE) makemessages -l vi -l en --ignore=.venv --ignore=tests --ignore=bench
	$(MANAGE) compilemessages --ignore=.venv

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
