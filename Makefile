# Every target bootstraps .venv on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test compat demo bench load serve clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@echo "Setting up $(VENV): installing hubsim and its dependencies (about a minute the first time; quiet pip)"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,load]'
	touch $(STAMP)

test: venv
	$(BIN)/python -m pytest

# Other HubSpot clients, pinned in their own venvs under .compat/ (built once per pin), run against `hubsim serve`.
compat: venv
	$(BIN)/python -m pytest compat -p no:cacheprovider

demo: venv
	$(BIN)/hubsim demo

bench: venv
	$(BIN)/python -m bench

load: venv
	$(BIN)/hubsim load

serve: venv
	$(BIN)/hubsim serve

clean:
	rm -rf $(VENV) build *.egg-info
