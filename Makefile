# Praverka: `make run` opens the workstation, `make test` checks everything.
# Each target installs what it needs and skips what is already there.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_STAMP := $(VENV)/.system-packages

.PHONY: run test lint typecheck importlint pytest bench screenshots clean demo-reset

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall when the project's metadata changes.
# PySide6 6.12's split-out packages overlap the pinned PySide6-Addons; drop
# them first from a virtual environment made by an earlier version.
$(STAMP): pyproject.toml | $(BIN)/python
	-$(BIN)/python -m pip uninstall --quiet --yes PySide6 PySide6-Pdf PySide6-WebEngine 2>/dev/null
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(SYSTEM_STAMP): scripts/install-system-deps.sh | $(BIN)/python
	bash scripts/install-system-deps.sh
	touch $@

run: $(STAMP)
	$(BIN)/python -m praverka.app.first_start
	$(BIN)/praverka gui

screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m praverka.ui.screenshots docs/screenshots

test: $(STAMP) $(SYSTEM_STAMP) lint typecheck importlint pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

importlint: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP) $(SYSTEM_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .mypy_cache .pytest_cache .ruff_cache
