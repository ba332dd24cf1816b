# Two commands do all set-up on a fresh machine with Python 3.11+:
#   make lab   - create .venv (first use), install, open JupyterLab on notebooks/
#   make test  - same set-up, then ruff (lint) and pytest: unit tests + nbval over every notebook
#   make test-browser - every notebook run in JupyterLab in headless chromium (needs /usr/bin/chromium)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: lab test test-browser bench student clean-venv

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	# setuptools warns on every editable install that a folder named like the package could shadow it;
	# that is how a clone works, so the box is noise here
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# root (a container, Colab) must say --allow-root or JupyterLab refuses to start
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(LAB_FLAGS)

test: $(STAMP)
	$(BIN)/ruff check workbench tests
	$(BIN)/python -m pytest -n 2 --dist loadfile

# Debian's chromium (apt-get install -y chromium) driven by the playwright package; downloads nothing
test-browser: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/browser

bench: $(STAMP)
	$(BIN)/python -m workbench bench

# the notebooks without their solution cells, for learners (student/ is ignored by git; the full
# notebooks are the answer key). Refuses to replace an existing edition: delete student/ first.
student: $(STAMP)
	$(BIN)/python -m workbench student --out student/

clean-venv:
	rm -rf $(VENV)
