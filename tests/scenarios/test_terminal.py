"""Outside a terminal (piped, `| tee`, CI) the commands' tables print unwrapped; COLUMNS still decides when set."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys

from scenarios import terminal


def test_a_piped_console_is_wide_enough_for_the_tables(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    assert terminal.console(file=io.StringIO()).width == terminal.PIPED_WIDTH


def test_columns_decides_when_set(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    assert terminal.console(file=io.StringIO()).width == 100


def test_the_demo_piped_prints_its_tables_unwrapped(tmp_path):
    env = {name: value for name, value in os.environ.items() if name != "COLUMNS"}
    result = subprocess.run([sys.executable, "-m", "scenarios.cli", "demo", "--users", "60", "--days", "2",
                             "--out", str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "…" not in out  # rich's ellipsis: a column squeezed below its content
    assert re.search(r"^Playbook installed: .*PQL routing$", out, re.MULTILINE)  # one line, not wrapped
    header = re.search(r"^┃ segment\s+┃ workspaces\s+┃ activated\s+┃.*┃$", out, re.MULTILINE)
    assert header, "the behavioural health table's header is wrapped or cut"
    rows = [line for line in out.splitlines() if line.startswith("│ ideal_fit_team")]
    assert len(rows) == 2 and all(line.endswith("│") for line in rows)  # one row per table: two tables
