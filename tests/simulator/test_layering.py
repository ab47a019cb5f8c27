"""DESIGN.md's layering: the fake must not know the core under test, and the core must run against real HubSpot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = {"simulator": {"scoring", "scenarios", "load"}, "scoring": {"simulator", "scenarios", "load"}}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_forbidden_sibling(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {file: pkgs for file, pkgs in offenders.items() if pkgs} == {}


def test_domain_code_never_imports_flask():
    web = {"app.py", "testing.py", "server.py", "injection.py"}  # the web side; the domain stays Flask-free
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "simulator").rglob("*.py")
        if "routes" not in path.parts and "ui" not in path.parts and path.name not in web
        and "flask" in imported_packages(path)
    ]
    assert offenders == []
