"""hubsim's simulator: a local, offline HubSpot."""

from simulator.app import create_app
from simulator.clock import SimClock
from simulator.hub import Hub, Portal

__all__ = ["create_app", "Hub", "Portal", "SimClock"]
__version__ = "0.1.0"
