"""The Makefile says what a long first step is doing before it starts."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_first_install_announces_itself(tmp_path):
    # Run as a top-level make even when the suite itself runs under `make test` (which prints "Entering directory").
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    result = subprocess.run(["make", "-n", "--no-print-directory", f"VENV={tmp_path / 'venv'}", "demo"], cwd=ROOT,
                            capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"echo \"Setting up {tmp_path / 'venv'}: installing hubsim")
