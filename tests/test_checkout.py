"""What the commands write into a checkout by default is ignored by git, so a newcomer's `git status` stays clean."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scenarios.cli import build_parser
from scenarios.sync_cli import OUTBOX_FILE

ROOT = Path(__file__).resolve().parents[1]


def test_the_commands_default_outputs_are_ignored():
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    written = [
        build_parser().parse_args(["demo"]).out / "report.html",  # make demo
        Path("hubsim-load", "crm", "report.html"),  # make load: Locust's reports
        Path(OUTBOX_FILE),  # hubsim sync without --state
        Path("hubsim-state", "portal.json"),  # the README's hubsim serve --state ./hubsim-state
    ]
    result = subprocess.run(["git", "check-ignore", "--no-index", "--verbose", "--non-matching",
                             *map(str, written)], cwd=ROOT, capture_output=True, text=True, timeout=30)
    not_ignored = [line.split("\t")[1] for line in result.stdout.splitlines() if line.startswith("::")]
    assert not_ignored == []
