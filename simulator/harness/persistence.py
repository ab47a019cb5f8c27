"""`hubsim serve --state DIR`: each portal in its own versioned JSON file, loaded at start, saved when changed.

A file is `portal-<sha256 of the token>.json` (no token is ever written). Saving writes a temporary file, fsyncs it
and renames it over the old one, so a crash or a torn write never damages the previous save; leftover temporary
files are ignored. A portal's state is copied under its lock and written outside it: saving never holds a portal
for longer than that copy.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path
from typing import Any

from simulator.errors import HubSpotError
from simulator.harness.snapshot import export_portal, restore_portal
from simulator.hub import Hub, Portal

FORMAT = "hubsim-state"
VERSION = 1
PREFIX, SUFFIX = "portal-", ".json"
log = logging.getLogger(__name__)


class StateError(Exception):
    """The state directory cannot be loaded; the message names the file and the problem."""


class StateDirectory:
    def __init__(self, directory: str | Path, hub: Hub):
        self.directory = Path(directory)
        self.hub = hub
        self._saved: dict[str, int] = {}  # portal key -> the revision last written
        self._save_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- loading ------------------------------------------------------------------------------------------------

    def load(self) -> int:
        """Restore every saved portal; a damaged or newer-version file stops everything and is left untouched."""
        self.directory.mkdir(parents=True, exist_ok=True)
        saved = [(path, self._read(path)) for path in sorted(self.directory.glob(f"{PREFIX}*{SUFFIX}"))]
        loaded = 0
        for path, data in saved:
            key = path.name.removeprefix(PREFIX).removesuffix(SUFFIX)
            if not self.hub.is_open and self.hub.by_key(key) is None:
                log.warning("%s belongs to a portal the config no longer declares; not loaded", path)
                continue
            portal = self.hub.adopt(key, data["portalId"])
            try:
                restore_portal(portal, data["portal"])
            except HubSpotError as exc:
                raise StateError(f"{path}: {exc.message}") from None
            self._saved[key] = portal.revision
            loaded += 1
        return loaded

    @staticmethod
    def _read(path: Path) -> dict[str, Any]:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError) as exc:
            raise StateError(f"{path} cannot be read as JSON ({exc}); it was left untouched") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StateError(f'{path} is not a hubsim state file (expected "format": "{FORMAT}")')
        version = data.get("version")
        if not isinstance(version, int) or version > VERSION:
            raise StateError(
                f"{path} has state version {version!r}; this hubsim reads version {VERSION} and older. "
                "Upgrade hubsim or move the file away; it was left untouched"
            )
        if not isinstance(data.get("portalId"), int) or not isinstance(data.get("portal"), dict):
            raise StateError(f"{path} lacks its portalId or portal section; it was left untouched")
        return data

    # --- saving -------------------------------------------------------------------------------------------------

    def save_changed(self) -> int:
        """Write every portal changed since its last save; how many were written. A portal that cannot be saved is
        logged and shown in GET /_sim/health, tried again next time, and costs the others nothing."""
        with self._save_lock:
            written = 0
            for portal in self.hub.portals():
                revision = portal.revision
                if self._saved.get(portal.key) == revision:
                    continue
                problem = f"state: portal {portal.id}"
                try:
                    self._write(portal, export_portal(portal))
                except Exception as exc:  # a bug or a full disk: the other portals' acknowledged writes still count
                    log.exception("saving portal %s to %s failed; saving the others", portal.id, self.directory)
                    self.hub.problems[problem] = f"portal {portal.id} could not be saved to {self.directory}: {exc}"
                    continue
                self.hub.problems.pop(problem, None)
                self._saved[portal.key] = revision
                written += 1
            return written

    def _write(self, portal: Portal, snapshot: dict[str, Any]) -> None:
        target = self.directory / f"{PREFIX}{portal.key}{SUFFIX}"
        temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        payload = json.dumps({"format": FORMAT, "version": VERSION, "portalId": portal.id, "portal": snapshot},
                             separators=(",", ":")).encode()
        try:
            with open(temporary, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
        directory = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(directory)  # the rename itself survives a power cut
        finally:
            os.close(directory)

    def start(self, every_seconds: float) -> None:
        """Save what changed every `every_seconds`, in the background, until stop()."""

        def loop() -> None:
            while not self._stop.wait(every_seconds):
                try:
                    self.save_changed()
                except Exception:  # the thread must outlive any failure, or nothing is saved any more
                    log.exception("saving the state to %s failed; will try again", self.directory)

        self._thread = threading.Thread(target=loop, name="hubsim-state", daemon=True)
        self._thread.start()

    def stop(self) -> int:
        """Stop saving in the background and save what changed one last time."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.save_changed()
