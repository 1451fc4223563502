# Two commands for a fresh machine: `make site` and `make test`, the same in CI (.github/workflows/ci.yml runs them
# in a Debian container) as on a developer's machine.
# Both create the virtual environment on demand from the pinned requirements: `make site` the build's
# (requirements.txt), `make test` the tests' and the linter's too (requirements-dev.txt).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# gltfpack (GLB compression, pipeline/publish/glb.py), pinned in tools/gltf/package-lock.json
GLTF := tools/gltf/node_modules/.package-lock.json
# Extra options of build.py for `make site`, e.g. a sharded build's `--shard 1/4` or `--cached-only --merge-cache DIR`
BUILD_FLAGS ?=
# What a build and the tests write (all in .gitignore; tests/test_clean.py checks both lists agree).
# Not the installed tools (.venv, tools/gltf/node_modules), nor bench/results.json (a measurement, not an output).
GENERATED := site export downloads-host .cache catalogue/en catalogue/fr catalogue/index.html catalogue/404.html \
	catalogue/downloads catalogue/catalogue.json catalogue/production.json catalogue/cutting.json catalogue/sewing.json \
	test-artifacts \
	.site.new .site.old .downloads-host.new .downloads-host.old catalogue/.*.new catalogue/.*.old

.PHONY: site test test-fast lint build-packages system-packages bench clean

# The Debian packages first (python3-venv among them): a bare Debian has no venv module.
# pip installs uv (tools/uv/requirements.txt), then uv the pins, every file checked against the SHA-256 written under
# its pin (tools/uv/hash-requirements writes them): the same versions pip would install, in a fraction of the time.
# The venv has no pip of its own (`.venv/bin/uv pip` instead): tools/uv/install-uv runs pip from the wheel Python
# carries for ensurepip, 1.7 s sooner than installing pip into the venv first.
# Modules are compiled when first imported, as Python does, not all 5,700 at install (12 s of one core, most never
# imported): PYTHONDONTWRITEBYTECODE, which some shells and containers set, is unset for these commands. The walled
# CAD and cutting children may not write in the venv, but what they import (CadQuery, OCP, numpy, ezdxf) is
# compiled by the first build's CAD zygote, which imports all of it before any child is walled (python -I ignores
# PYTHONDONTWRITEBYTECODE).
unexport PYTHONDONTWRITEBYTECODE
UV := $(VENV)/bin/uv
UV_INSTALL := $(UV) pip install --quiet --require-hashes --python $(PY)

$(UV): tools/uv/requirements.txt tools/uv/install-uv | build-packages
	$(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) tools/uv/install-uv $(PY) tools/uv/requirements.txt
	touch $@

$(VENV)/installed: requirements.txt $(UV)
	$(UV_INSTALL) -r requirements.txt
	touch $@

$(VENV)/dev-installed: requirements-dev.txt $(VENV)/installed
	$(UV_INSTALL) -r requirements-dev.txt
	touch $@

$(GLTF): tools/gltf/package-lock.json | build-packages
	npm ci --prefix tools/gltf --no-audit --no-fund --silent
	touch $@

site: $(VENV)/installed build-packages $(GLTF)
	$(PY) build.py $(BUILD_FLAGS)

# The build needs Debian packages (Python's venv, EGL for the pictures, PrusaSlicer, libseccomp, Node for gltfpack,
# git) and the tests Chromium too: installed here when missing (as root, or through passwordless sudo).
build-packages:
	tools/system-packages build

system-packages:
	tools/system-packages

lint: $(VENV)/dev-installed
	$(VENV)/bin/ruff check .

# Test workers (pytest-xdist): one per core. A test file runs whole on one worker (its module fixtures are built
# once); builds into the tests' shared cache take turns (tests/conftest.py), the rest runs side by side. The slowest
# tests are listed at the end: what to look at first when the suite grows slow.
TEST_WORKERS ?= auto
PYTEST := VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

test: system-packages $(VENV)/dev-installed $(GLTF) lint
	$(PYTEST) --durations=30

# The inner loop: no browser, no build from an empty cache (tests share .cache/tests, warm after one `make test`).
test-fast: $(VENV)/dev-installed $(GLTF) lint
	$(PYTEST) -q -m "not browser and not cold and not slices"

bench: $(VENV)/installed $(GLTF)
	$(PY) bench/run.py

clean:
	rm -rf $(GENERATED)
