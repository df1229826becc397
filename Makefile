# Only python3 and make are needed: everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/skillhub demo load
	$(BIN)/skillhub serve --host 127.0.0.1 --port 8000

# Four pytest workers on two cores: the suite mostly waits on PostgreSQL, the broker and sockets.
test: $(STAMP)
	$(BIN)/python -m pytest -q -n 4 tests

bench: $(STAMP)
	$(BIN)/python -m bench.identity_commands
	$(BIN)/python -m bench.projection_rebuild
	$(BIN)/python -m bench.media
	$(BIN)/python -m bench.catalog_search
	$(BIN)/python -m bench.relay
	$(BIN)/python -m bench.assessment

clean:
	rm -rf $(VENV) var
