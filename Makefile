# The two commands of the README: `make demo` and `make test`.
# Everything else (the virtualenv, the installs) is set up on first use.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE = 1

.PHONY: venv lint test test-all demo clean

$(VENV)/.installed: setup.py pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test,lint]'
	touch $@

venv: $(VENV)/.installed

# ruff's checks (settings in pyproject.toml): pycodestyle, pyflakes, import
# order, bugbear; and ruff's formatter (2-space indent, single quotes).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The suite without the slow tests (under 15 minutes on 2 cores). Two pytest
# workers: most of the time goes to building graphs in Python, one core each.
test: $(VENV)/.installed
	$(PY) -m pytest -q -n 2 -m 'not slow' --durations=15 tests

# Everything, including the slow tests (multi-process clusters, kill-and-resume).
test-all: $(VENV)/.installed
	$(PY) -m pytest -q -n 2 tests

# Converts digits, trains resnet_cifar_20 on it and prints its test accuracy.
demo: $(VENV)/.installed
	PY=$(PY) sh scripts/demo.sh

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
