"""Run every benchmark module in bench/ (or those named on the command line) and print one table of figures."""

from __future__ import annotations

import importlib
import pkgutil
import sys

from rich.console import Console
from rich.table import Table

import bench


def main(names: list[str]) -> int:
    modules = names or sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_"))
    console = Console()
    table = Table(title="hubsim benchmarks")
    for column in ("bench", "value", "unit", "target", "ok", "notes"):
        table.add_column(column)
    failed = 0
    for name in modules:
        console.print(f"[dim]running bench.{name} ...[/dim]")
        for row in importlib.import_module(f"bench.{name}").run():
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
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
