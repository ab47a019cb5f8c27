"""The model modules are pure data: no I/O, no clock reads (time is passed in as the run's start)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import scenarios

PURE = ("providers", "journeys", "segments", "events", "timing", "funnel", "truth")
FORBIDDEN_IMPORTS = {"os", "io", "time", "pathlib", "socket", "subprocess", "shutil", "sys"}
FORBIDDEN_CALLS = {"open", "now", "utcnow", "today", "time", "time_ns", "print", "input"}


@pytest.mark.parametrize("module", PURE)
def test_a_model_module_does_no_io_and_reads_no_clock(module):
    tree = ast.parse((Path(scenarios.__file__).parent / f"{module}.py").read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    called = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
              for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not imported & FORBIDDEN_IMPORTS
    assert not called & FORBIDDEN_CALLS
