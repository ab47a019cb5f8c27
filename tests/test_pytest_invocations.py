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
