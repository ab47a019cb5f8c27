"""The rich Console every `hubsim` command prints through.

Outside a terminal (piped, `| tee`, CI) rich wraps at 80 columns, which squeezes the report tables into ellipses and
wrapped headers. There the console is as wide as the widest table needs instead; a terminal's own width, and
`COLUMNS` when set, still win.
"""

from __future__ import annotations

import os
from typing import Any

from rich.console import Console

PIPED_WIDTH = 132  # a wide terminal's width; the widest table the commands print (the demo's behaviour) needs 122


def console(**options: Any) -> Console:
    found = Console(**options)
    if found.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return found
    return Console(width=PIPED_WIDTH, **options)
