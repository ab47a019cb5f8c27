"""The clients `make compat` runs, each pinned in its own virtualenv under .compat/<name>/ (re-used while its pin is
unchanged), and how one is run: its own interpreter, HubSpot's host redirected to hubsim where it is hard-coded."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOME = ROOT / ".compat"
REDIRECT = Path(__file__).resolve().parent / "redirect"  # sitecustomize.py: https://api.hubapi.com -> hubsim
DRIVERS = Path(__file__).resolve().parent / "drivers"

# tap-hubspot and meltano-tap-hubspot install the same `tap_hubspot` package: they cannot share a venv.
PINS = {
    "hubspot-sdk": "hubspot-sdk==0.1.0a9",
    "tap-hubspot": "tap-hubspot==4.5.0",
    "meltano-tap-hubspot": "meltano-tap-hubspot==0.10.1",
    "hubspot3": "hubspot3==3.2.56",
}
RUN_TIMEOUT = 180  # seconds for one client run; the taps retry a failing call for ~40 s before giving up


def bin_dir(name: str) -> Path:
    return HOME / name / "bin"


def ensure(name: str) -> Path:
    """The client's venv, (re)built when missing or pinned differently; pip runs only then."""
    home, pin = HOME / name, PINS[name]
    stamp = home / ".pin"
    if stamp.exists() and stamp.read_text() == pin and (home / "bin" / "python").exists():
        return home
    venv.EnvBuilder(clear=True, with_pip=True).create(home)
    subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    pin], check=True, timeout=900)
    stamp.write_text(pin)
    return home


def ensure_all() -> None:
    with ThreadPoolExecutor(len(PINS)) as pool:  # pip downloads overlap; a failure re-raises here
        list(pool.map(ensure, PINS))


def run(name: str, argv: list[str], *, hubsim_url: str, redirect: bool, cwd: Path) -> subprocess.CompletedProcess:
    """Run `argv` (a command of the client's venv, or `python`) with HubSpot's host sent to hubsim when asked."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["HUBSIM_URL"] = hubsim_url
    if redirect:
        env["PYTHONPATH"] = str(REDIRECT)
    command = [str(bin_dir(name) / argv[0]), *argv[1:]]
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=RUN_TIMEOUT)


if __name__ == "__main__":  # python -m compat.clients: install (or check) every pinned client
    ensure_all()
    sys.exit(0)
