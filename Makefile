# Kitchen Watch — the two commands a new user needs: `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kitchenwatch-installed

.PHONY: demo test setup lint bench dist clean lock

$(STAMP): pyproject.toml installer/requirements/lock.txt installer/requirements/lock-glibc2.28.txt \
		installer/setup.sh installer/pick_lock.sh installer/find_python.sh
	bash installer/setup.sh

setup: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kitchenwatch-demo $(ARGS)

test: $(STAMP)
	$(VENV)/bin/ruff check .
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) bench/wall.py --tiles 64 --seconds 30

dist: $(STAMP)
	bash installer/build_dist.sh

clean:
	rm -rf build dist .pytest_cache .ruff_cache .mypy_cache

# Re-resolve installer/requirements/lock.txt from pyproject.toml's ranges (every platform, with
# hashes) and lock-glibc2.28.txt (Linux x86_64, glibc 2.28: UOS 20, Kylin V10), with uv in a
# throwaway environment. Commit the result; `make setup` installs the one the PC's glibc fits.
lock:
	bash installer/lock.sh
