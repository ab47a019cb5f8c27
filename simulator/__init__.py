"""hubsim's simulator: a local, offline HubSpot.

The names below load on first use: the pytest plugin (simulator.pytest_plugin) imports this package in every
pytest session of every project that installs hubsim, and must not pay for Flask and the stores there.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.app import create_app
    from simulator.clock import SimClock
    from simulator.hub import Hub, Portal

__all__ = ["create_app", "Hub", "Portal", "SimClock"]
__version__ = "0.1.0"
_HOMES = {"create_app": "simulator.app", "Hub": "simulator.hub", "Portal": "simulator.hub",
          "SimClock": "simulator.clock"}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'simulator' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
