"""Put on a client venv's PYTHONPATH only for a `make compat` run: requests sent to HubSpot's host go to hubsim.

The taps hard-code https://api.hubapi.com; the client is never edited, its transport is pointed elsewhere: every
requests adapter rewrites that origin to $HUBSIM_URL before it connects.
"""

import os

HUBSPOT = "https://api.hubapi.com"
TARGET = os.environ.get("HUBSIM_URL", "").rstrip("/")

if TARGET:
    import requests.adapters

    _send = requests.adapters.HTTPAdapter.send

    def _send_to_hubsim(self, request, *args, **kwargs):
        if request.url.startswith(HUBSPOT):
            request.url = TARGET + request.url[len(HUBSPOT):]
        return _send(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = _send_to_hubsim
