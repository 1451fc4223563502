# Two commands for a fresh machine: `make site` and `make test`.
# Both create the virtual environment on demand from the pinned requirements.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# gltfpack (GLB compression, pipeline/publish/glb.py), pinned in tools/gltf/package-lock.json
GLTF := tools/gltf/node_modules/.package-lock.json

.PHONY: site test test-fast lint build-packages system-packages bench clean

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(GLTF): tools/gltf/package-lock.json | build-packages
	npm ci --prefix tools/gltf --no-audit --no-fund --silent
	touch $@

site: $(VENV)/installed build-packages $(GLTF)
	$(PY) build.py

# The build needs Debian packages (EGL for the pictures, PrusaSlicer, libseccomp, Node for gltfpack) and the
# tests Chromium too: installed here when missing (as root, or through passwordless sudo).
build-packages:
	tools/system-packages build

system-packages:
	tools/system-packages

lint: $(VENV)/installed
	$(VENV)/bin/ruff check .

test: $(VENV)/installed system-packages $(GLTF) lint
	VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(PY) -m pytest

# The inner loop: no browser, no build from an empty cache (tests share .cache/tests, warm after one `make test`).
test-fast: $(VENV)/installed $(GLTF) lint
	VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(PY) -m pytest -q -m "not browser and not cold and not slices"

bench: $(VENV)/installed $(GLTF)
	$(PY) bench/run.py

clean:
	rm -rf site downloads-host .cache catalogue/designs catalogue/downloads catalogue/index.md catalogue/catalogue.json catalogue/production.json test-artifacts
