# Two commands set up a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
# CPU build from local disk; an unpinned torch pulls a multi-GB CUDA build.
TORCH  := torch==2.13.0
HOST   ?= 127.0.0.1
PORT   ?= 8000

INDEX  := $(or $(LEIAN_INDEX),var/index)

.PHONY: install run build index serve stop test test-fast browser-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q "$(TORCH)"
	$(PIP) install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

# `make build` always rebuilds; `make run` builds only when there is no index yet.
build: install
	$(VENV)/bin/leian build

index: install
	@test -e $(INDEX)/current || $(VENV)/bin/leian build

serve: install
	$(VENV)/bin/leian serve --host $(HOST) --port $(PORT)

# A server started with `make serve` or `make run` in another terminal (Ctrl-C stops one in the foreground).
stop:
	-pkill -f "[.]venv/bin/leian serve" || true   # [.]: the pattern must not match this shell

run: index serve

# Chromium and a CJK font for the real-browser test (Debian packages; needs root).
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi wqy || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei; }

test: install browser-deps
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser"

clean:
	rm -rf var/index test-artifacts .pytest_cache
