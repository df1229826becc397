# Only python3 and make are needed: everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install browser bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/skillhub demo load
	$(BIN)/skillhub serve --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium with Playwright's Python package (in the test extra;
# never `playwright install`, nothing downloads a browser). Installed here when missing and we may
# (root with apt-get); otherwise those tests skip and say why.
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "chromium is not installed and cannot be here: the browser tests will skip"

# Four pytest workers on two cores: the suite mostly waits on PostgreSQL, the broker and sockets.
test: $(STAMP) browser
	$(BIN)/python -m pytest -q -n 4 --durations=25 tests

bench: $(STAMP)
	$(BIN)/python -m bench.identity_commands
	$(BIN)/python -m bench.projection_rebuild
	$(BIN)/python -m bench.media
	$(BIN)/python -m bench.catalog_search
	$(BIN)/python -m bench.relay
	$(BIN)/python -m bench.assessment

clean:
	rm -rf $(VENV) var
