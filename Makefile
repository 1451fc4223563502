# Two commands for a fresh machine: `make site` and `make test`.
# Both create the virtual environment on demand from the pinned requirements.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: site test test-fast lint system-packages bench clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

site: $(VENV)/installed
	$(PY) build.py

# The tests need Debian packages too (Chromium, EGL, PrusaSlicer): installed here when missing.
system-packages:
	tools/system-packages

lint: $(VENV)/installed
	$(VENV)/bin/ruff check .

test: $(VENV)/installed system-packages lint
	VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(PY) -m pytest

# The inner loop: no browser, no build from an empty cache (tests share .cache/tests, warm after one `make test`).
test-fast: $(VENV)/installed lint
	VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(PY) -m pytest -q -m "not browser and not cold"

bench: $(VENV)/installed
	$(PY) bench/run.py

clean:
	rm -rf site .cache catalogue/designs catalogue/downloads catalogue/index.md catalogue/catalogue.json catalogue/production.json test-artifacts
