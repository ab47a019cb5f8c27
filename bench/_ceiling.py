"""The bare-Flask ceiling: a trivial route on hubsim's own WSGI server and settings, in its own process.

    python -c "from bench._ceiling import serve; serve()"   # prints its base URL, then serves until killed
"""

from __future__ import annotations

from flask import Flask, jsonify

from simulator.server import DEFAULT_THREADS, freeze_startup_objects, wsgi_server


def app() -> Flask:
    ceiling = Flask("ceiling")

    @ceiling.get("/ping")
    def ping():
        return jsonify(status="ok")

    return ceiling


def serve() -> None:
    server = wsgi_server(app(), host="127.0.0.1", port=0, threads=DEFAULT_THREADS)
    print(f"serving at http://127.0.0.1:{server.effective_port}", flush=True)
    freeze_startup_objects()  # as hubsim serve does
    server.run()
