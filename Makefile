# ttdn-graph: make run | make test | make lint | make bench
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
STORE  ?= var/store
DUMPS  ?= var/dumps

.PHONY: install run test lint bench extract clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

extract: $(STAMP)
	$(BIN)/ttdn extract data/plans --format table

run: $(STAMP)
	$(BIN)/ttdn extract data/plans --format table
	$(BIN)/ttdn load data/plans --store $(STORE)
	$(BIN)/ttdn export --store $(STORE) --out $(DUMPS) --format nquads,trig,turtle
	$(BIN)/ttdn serve --store $(STORE) --dumps $(DUMPS) --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check ttdn_graph tests bench || true

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) var build *.egg-info
