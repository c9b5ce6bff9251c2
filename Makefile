# Set-up is part of every target: a fresh machine needs only Python 3.11 and the
# package registries. The virtual environment is rebuilt when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fidelity lint bench samples templates mutate mutate-sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## demo: consolidate a district's daily reports into out/chi-lang-2021-08-05.xlsx (and
## its status page, .html), then
## validate the good samples and write annotated copies to out/annotated
demo: $(STAMP)
	$(BIN)/sheets-tool consolidate samples/chi-lang/daily/*.xlsx --level district \
	    --date 2021-08-05 --registry samples/chi-lang/registry.xlsx \
	    --store out/sheets-tool.db -o out/chi-lang-2021-08-05.xlsx \
	    --html out/chi-lang-2021-08-05.html
	$(BIN)/sheets-tool validate samples/good/*.xlsx --profile ha-tinh-2022 --annotate out/annotated

## test: the whole test suite
test: $(STAMP)
	$(BIN)/pytest

## fidelity: replay Google's 2,130 recorded answers against the emulator, per kind of call
fidelity: $(STAMP)
	$(BIN)/python -m sheets_tool.testing.replay

## lint: ruff (check and format --check) and mypy
lint: $(STAMP)
	$(BIN)/ruff check sheets_tool tests samples
	$(BIN)/ruff format --check sheets_tool tests samples
	$(BIN)/mypy

## bench: reader speeds and validation throughput; then a province (10,000 villages in
## 417 commune files) against its floor and a pandas script, one day against a year in the
## store, and start-up times (tests/bench_scale.py; about 3 minutes). Printed, not asserted.
## pandas (the baseline only) is installed into the virtual environment on first use.
$(VENV)/.bench: $(STAMP)
	$(BIN)/pip install --quiet 'pandas>=2.2,<3'
	touch $@

bench: $(VENV)/.bench
	$(BIN)/python tests/bench.py
	$(BIN)/python tests/bench_scale.py

## mutate: mutation testing (mutmut) of validate, store, consolidate, guard, units and
## versions, with one worker, then the kill rate per module. All six take hours; limit it
## with MUTANTS, e.g. make mutate MUTANTS='sheets_tool.guard.* sheets_tool.units.*'.
## An interrupted run resumes where it stopped; results stay in mutants/
MUTANTS ?=
$(VENV)/.mutmut: $(STAMP)
	$(BIN)/pip install --quiet mutmut==3.8.1
	touch $@

mutate: $(VENV)/.mutmut
	$(BIN)/mutmut run --max-children 1 $(MUTANTS)
	$(BIN)/python tests/mutation_report.py

## mutate-sample: the same on SAMPLE mutants drawn from each module (fixed seed), with
## each kill rate's 95% interval: about 20 minutes on two cores for SAMPLE=40. The first
## run makes the mutants and the map of tests (a handful of hierarchy mutants is run).
## A new SEED draws a new sample: measure with one the tests were not written against.
SAMPLE ?= 40
SEED ?= 2026
mutate-sample: $(VENV)/.mutmut
	$(BIN)/mutmut run --max-children 2 'sheets_tool.hierarchy.x_check_level__mutmut_*'
	$(BIN)/python tests/mutation_report.py --pick $(SAMPLE) --seed $(SEED) > mutants/sample.txt
	$(BIN)/mutmut run --max-children 2 $$(cat mutants/sample.txt)
	$(BIN)/python tests/mutation_report.py --only mutants/sample.txt

## samples: rebuild samples/good and samples/bad with their expected findings
samples: $(STAMP)
	$(BIN)/python samples/build_samples.py

## templates: rebuild the ready-to-fill workbooks in templates/ from the definitions
templates: $(STAMP)
	$(BIN)/python -c 'from sheets_tool.template_book import write_all; write_all("templates")'

clean:
	rm -rf $(VENV) out mutants .pytest_cache .mypy_cache .ruff_cache
