"""The production WSGI server (waitress, threaded, one process: portals live in its memory)."""

from __future__ import annotations

import errno
import gc
import ipaddress
import logging
import signal
import sys
import threading

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import WSGITask

from simulator.app import create_app
from simulator.config import ConfigError, HubConfig, load_config
from simulator.harness.persistence import StateDirectory, StateError
from simulator.hub import Hub
from simulator.request_log import RequestLog

DEFAULT_THREADS = 8
DEFAULT_SAVE_SECONDS = 30.0
SHOWN_TOKEN_CHARS = 9  # "pat-na1-d…": enough to tell declared tokens apart, too little to use one
log = logging.getLogger(__name__)


def make_server(hub: Hub, *, host: str = "127.0.0.1", port: int = 0, threads: int = DEFAULT_THREADS,
                request_log: RequestLog | None = None):
    """A waitress server for `hub`, bound but not yet serving; port 0 picks a free one (`server.effective_port`).
    `request_log` wraps the app: it gets one line per request."""
    app = create_app(hub)
    return wsgi_server(app if request_log is None else request_log.wrap(app), host=host, port=port, threads=threads)


class _KeepAliveTask(WSGITask):
    """waitress 3.0 closes the connection after every HTTP/1.1 response without a Content-Length, 204 and 304
    included, though those never carry a body (RFC 9110 §8.6 forbids the header on a 204): each event send (204)
    would cost its client a new connection, a third of the route's throughput. Keep those connections open."""

    _building = False

    def build_response_header(self):
        self._building = True
        try:
            return super().build_response_header()
        finally:
            self._building = False

    def set_close_on_finish(self) -> None:
        bodiless = self._building and not self.has_body and self.version == "1.1"
        if bodiless and self.request.headers.get("CONNECTION", "").lower() != "close":
            return
        super().set_close_on_finish()


class _KeepAliveChannel(HTTPChannel):
    task_class = _KeepAliveTask


def wsgi_server(app, *, host: str, port: int, threads: int):
    """Any WSGI app on hubsim's waitress settings (the benchmarks' bare-Flask ceiling runs on these too)."""
    # waitress warns "Task queue depth is N" whenever a request finds every thread busy: under a load test that is
    # most requests, thousands of lines a second on stderr. Requests waiting their turn is what a load test makes.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    server = _create(app, host=host, port=port, threads=threads)
    server.channel_class = _KeepAliveChannel
    return server


def _create(app, *, host: str, port: int, threads: int):
    return create_server(
        app,
        host=host,
        port=port,
        threads=threads,
        ident="hubsim",
        # HubSpot answers big batches and long searches; waitress's defaults would cut them off or queue them.
        channel_timeout=300,
        connection_limit=1000,
        clear_untrusted_proxy_headers=True,
        channel_request_lookahead=1,  # lets a hung request notice its client giving up (fault injection)
        # poll(), not select(): select() fails on descriptors past 1023, and that failure ends the server's loop
        asyncore_use_poll=True,
    )


def serve_forever(
    *,
    host: str,
    port: int,
    config_path: str | None,
    threads: int = DEFAULT_THREADS,
    state_dir: str | None = None,
    save_every: float = DEFAULT_SAVE_SECONDS,
    admin_token: str | None = None,
    log_requests: bool = True,
) -> int:
    try:
        config = load_config(config_path) if config_path else HubConfig()
    except ConfigError as exc:
        return _refuse(str(exc))
    if admin_token:
        config = config.model_copy(update={"admin_token": admin_token})
    if not _is_loopback(host) and not config.admin_token:
        return _refuse(f"serving on {host} exposes the control API (/_sim) to the network: give --admin-token "
                       "(or adminToken in the config), which /_sim calls must then send as X-HubSim-Admin-Token")
    hub = Hub(config)
    request_log = RequestLog(sys.stdout) if log_requests else None
    try:
        server = make_server(hub, host=host, port=port, threads=threads, request_log=request_log)
    except OSError as exc:
        hub.close()
        return _refuse(_cannot_listen(host, port, exc))
    state = StateDirectory(state_dir, hub) if state_dir else None
    if state is not None:
        try:
            loaded = state.load()
        except StateError as exc:
            server.close()
            hub.close()
            return _refuse(str(exc))
        state.start(save_every)
    base_url = f"http://{host}:{server.effective_port}"
    token = masked(config.portals[0].token) if config.portals else "pat-local-hubsim"
    mode = "open: any bearer token gets its own portal" if hub.is_open else f"{len(config.portals)} declared portals"
    print(f"hubsim serving HubSpot at {base_url}  ({mode})", flush=True)
    print(f"  token: {token}", flush=True)
    print(f"  try:   curl -H 'Authorization: Bearer {token}' {base_url}/crm/v3/objects/contacts", flush=True)
    # the inspector asks for a declared token (a secret) itself; an open hub's example token goes in the link
    print(f"  look:  {base_url}/_sim/ui" + ("?token=" + token if hub.is_open else ""), flush=True)
    if state is not None:
        print(f"  state: {state.directory} ({loaded} portals loaded, saved every {save_every:g} s)", flush=True)
    stop = threading.Event()

    def shut_down(signum, frame):  # noqa: ARG001 - signal handler signature
        stop.set()
        server.close()

    signal.signal(signal.SIGTERM, shut_down)
    signal.signal(signal.SIGINT, shut_down)
    freeze_startup_objects()
    try:
        server.run()
    except OSError:
        if not stop.is_set():
            raise
    finally:
        if state is not None:
            state.stop()
        hub.close()
        if request_log is not None:
            request_log.close()
    return 0


def freeze_startup_objects() -> None:
    """What a server process has built before its first request (the app, its routes and schemas, loaded portals)
    lives as long as it does: the collector need not walk it again. Without this each full collection walks
    about 90,000 objects and stalls every request thread for tens of milliseconds (the p99 of a paced event send)."""
    gc.collect()
    gc.freeze()


def _cannot_listen(host: str, port: int, error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is in use: try --port 0 or another port"
    if error.errno == errno.EACCES:
        return f"no permission to listen on port {port}: try a port above 1023, or --port 0"
    return f"cannot listen on {host}:{port}: {error.strerror or error}"


def masked(token: str) -> str:
    """A token from a config file is a secret someone chose: the console (and its logs) shows only its start."""
    return f"{token[:min(SHOWN_TOKEN_CHARS, len(token) // 2)]}…"


def _refuse(problem: str) -> int:
    print(f"hubsim: {problem}", file=sys.stderr)
    return 2


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
