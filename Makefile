# Two commands do all the set-up on a fresh clone (Debian, Python 3.11, make):
#   make start   create .venv, install the course, open the course home in JupyterLab
#   make test    create .venv, install the course and test tools, run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
COURSE_LANG ?= zh
PORT ?= 8888
HOME_PAGE := voila/render/modules/$(COURSE_LANG)/home.ipynb
PYTEST_ARGS ?=
# Jupyter refuses to run as root unless told; containers and CI often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: start test install test-env benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e ".[test]"
	$(BIN)/python -m course.install
	touch $@

install: $(VENV)/.installed

tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund
	touch $@

# configurable-http-proxy, the proxy JupyterHub starts, for the real-hub test (tests/hub).
tests/hub/node_modules/.installed: tests/hub/package.json tests/hub/package-lock.json
	cd tests/hub && npm ci --no-audit --no-fund
	touch $@

test-env: $(VENV)/.installed tests/browser/node_modules/.installed tests/hub/node_modules/.installed

start: $(VENV)/.installed
	@echo ""
	@echo "  Course home (Voila app): http://127.0.0.1:$(PORT)/$(HOME_PAGE)"
	@echo "  JupyterLab:              http://127.0.0.1:$(PORT)/lab"
	@echo "  Open the link with ?token=... that JupyterLab prints below. Stop with Ctrl+C."
	@echo ""
	$(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
		--LabApp.default_url=/$(HOME_PAGE) --ServerApp.open_browser=True $(ALLOW_ROOT)

test: test-env
	$(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

benchmarks: test-env
	$(BIN)/python benchmarks/bench_voila_first_control.py
	$(BIN)/python benchmarks/bench_pages.py
	$(BIN)/python benchmarks/bench_autograde.py

clean:
	rm -rf $(VENV) tests/browser/node_modules tests/hub/node_modules tests/.artifacts
