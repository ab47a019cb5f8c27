"""Every ordinary way of running pytest in a checkout works, not only `make test` (`python -m pytest` puts the
checkout on sys.path, the `pytest` script does not; test modules import `tests.conftest`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYTEST = Path(sys.executable).with_name("pytest")
MODULE = "tests/simulator/test_journal.py"  # imports `from tests.conftest import TOKEN`


@pytest.mark.parametrize(("cwd", "target"), [
    (ROOT, MODULE),
    (ROOT / "tests" / "simulator", "test_journal.py"),
    (Path("/"), str(ROOT / MODULE)),
], ids=["checkout", "subfolder", "elsewhere"])
def test_the_pytest_script_collects_from_anywhere(cwd, target):
    result = subprocess.run([str(PYTEST), "--collect-only", "-q", "-p", "no:cacheprovider", target], cwd=cwd,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "test_journal.py: " in result.stdout  # the count of tests collected (addopts has -q: two make it terse)


def test_no_two_test_modules_share_a_name():
    """The test folders are not packages: pytest imports each module by its file name (and puts its folder on
    sys.path, so helper modules beside the tests import by name). A second test_model.py elsewhere fails the whole
    collection with "import file mismatch": name test modules after what they test (test_scenario_model.py)."""
    seen: dict[str, list[str]] = {}
    for path in (ROOT / "tests").rglob("*.py"):
        if path.name != "conftest.py" and "__pycache__" not in path.parts:
            seen.setdefault(path.name, []).append(str(path.parent.relative_to(ROOT)))
    assert {name: folders for name, folders in seen.items() if len(folders) > 1} == {}


def test_the_pytest_plugin_loads_no_simulator_until_a_test_asks():
    """pytest imports the plugin in every session where hubsim is installed: Flask and the stores wait for a fixture."""
    heavy = "{'flask', 'simulator.app', 'pydantic'}"
    probe = f"import sys, simulator.pytest_plugin; print(sorted({heavy} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.stdout.strip() == "[]", result.stderr


def test_the_package_still_offers_its_names():
    from simulator import Hub, create_app

    hub = Hub()
    try:
        assert create_app(hub).name == "simulator.app"
    finally:
        hub.close()
