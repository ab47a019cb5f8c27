"""Memory figures of this process, from /proc/self/status (Linux).

A peak is VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork and exec, so a child started by a bigger
parent (the bench process after the CRM or search benchmark) would report the parent's size as its own."""

from __future__ import annotations

from pathlib import Path


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError("memory figures need /proc (Linux)")


def rss_bytes() -> int:
    return _status_kb("VmRSS") * 1024


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_mb() -> float:
    return _status_kb("VmHWM") / 1024
