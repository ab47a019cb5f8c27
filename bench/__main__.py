"""Run every benchmark module in bench/ (or those named on the command line), print one table of figures and write
them to bench/results.json (with the machine they were taken on: figures from a shared machine are rough)."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.table import Table

import bench
from scenarios import terminal

RESULTS = Path(__file__).resolve().parent / "results.json"


def main(names: list[str]) -> int:
    modules = names or sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    console = terminal.console()
    table = Table(title="hubsim benchmarks")
    for column in ("bench", "value", "unit", "target", "ok", "notes"):
        table.add_column(column)
    failed, rows = 0, []
    for name in modules:
        console.print(f"[dim]running bench.{name} ...[/dim]")
        for row in importlib.import_module(f"bench.{name}").run():
            rows.append({"module": name, **row})
            ok = row.get("ok", True)
            failed += not ok
            table.add_row(
                row["bench"],
                f"{row['value']:.4g}" if isinstance(row["value"], float) else str(row["value"]),
                row.get("unit", ""),
                row.get("target", ""),
                "[green]yes[/green]" if ok else "[red]NO[/red]",
                row.get("notes", ""),
            )
    console.print(table)
    if names and RESULTS.is_file():  # a partial run replaces the rows of the modules it ran, keeps the others
        kept = [r for r in json.loads(RESULTS.read_text())["results"] if r.get("module") not in modules]
        rows = kept + rows
    RESULTS.write_text(json.dumps({
        "takenAt": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "results": rows,
    }, indent=2) + "\n")
    console.print(f"[dim]written to {RESULTS}[/dim]")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
