"""`make compat`: other HubSpot clients, each pinned in its own virtualenv, run unchanged against `hubsim serve`."""
