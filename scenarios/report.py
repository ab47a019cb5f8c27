"""The demo's report: the metrics as rich tables in the terminal, and as `report.html` (offline SVG charts, no script,
no external asset) plus `metrics.json` for machines."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from rich.console import Console
from rich.table import Table

from simulator.ui.charts import bars, funnel


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:,.1f}{unit}"


def sections(metrics: dict) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, columns, rows) of every table: the terminal and the HTML show the same."""
    m = metrics
    flows, money, model, ttv = m["workflows"], m["revenue"], m["model"], m["time_to_value"]
    return [
        ("Funnel (workspaces)", ["step", "count", "from previous", "cumulative"],
         [[r["step"], f"{r['count']:,}", _pct(r["from_previous"]), _pct(r["cumulative"])] for r in m["funnel"]]),
        ("PQLs by week", ["week", "starts", "PQLs"],
         [[str(r["week"]), r["starts"], str(r["pqls"])] for r in m["pqls_by_week"]]),
        ("PQL -> customer by segment", ["segment", "workspaces", "PQLs", "customers from PQL", "PQL -> customer",
                                        "all customers"],
         [[r["segment"], str(r["workspaces"]), str(r["pqls"]), str(r["customers_from_pql"]),
           _pct(r["pql_to_customer"]), str(r["customers"])] for r in m["pql_to_customer_by_segment"]]),
        ("Time to value (signup -> first key feature)", ["band", "workspaces"],
         [[r["band"], str(r["count"])] for r in ttv["distribution"]]
         + [["median", _num(ttv["median_hours"], " h")], ["90th percentile", _num(ttv["p90_hours"], " h")]]),
        ("Journey (HubSpot's two modes)", ["stage", "in order", "any order"],
         [[r["stage"], str(r["in_order"]), str(r["any_order"])] for r in m["journey"]]),
        ("Workflows and speed to lead", ["measure", "value"],
         [["tasks created", str(flows["tasks"])], ["notifications sent", str(flows["notifications"])],
          ["owner assignments", str(flows["owner_assignments"])],
          ["PQL -> owner notified (median)", _num(flows["speed_to_lead_median_minutes"], " min")],
          ["PQL -> rep reached out (median)", _num(flows["rep_response_median_minutes"], " min")]]
         + [[f"PQL -> customer, rep reached out {r['speed']}", f"{_pct(r['conversion'])} of {r['pqls']}"]
            for r in flows["conversion_by_speed"]]),
        ("Revenue from PQL-led deals", ["measure", "value"],
         [["PQL-led customers", str(money["pql_led_customers"])], ["net new ARR", f"${money['net_new_arr']:,.0f}"],
          ["ARR of all customers", f"${money['all_customers_arr']:,.0f}"],
          ["deals (sales-accepted)", str(money["deals"])], ["won", str(money["won"])],
          ["win rate", _pct(money["win_rate"])],
          ["deal velocity (median)", _num(money["deal_velocity_median_days"], " days")]]),
        ("Behavioural health by segment", ["segment", "workspaces", "activated", "feature breadth",
                                           "key uses / active day", "inviting", "users / workspace"],
         [[r["segment"], str(r["workspaces"]), str(r["activated"]), _pct(r["feature_breadth"]),
           _num(r["key_uses_per_active_day"]), _pct(r["inviting"]), _num(r["users_per_workspace"])]
          for r in m["behaviour"]]),
        ("Scoring model vs ground truth", ["measure", "value"],
         [["PQLs flagged", str(model["pqls"])], ["customers", str(model["customers"])],
          ["precision (PQLs that bought)", _pct(model["precision"])],
          ["recall (customers flagged before buying)", _pct(model["recall"])],
          ["median lead time before upgrade", _num(model["median_lead_days"], " days")]]),
    ]


def print_tables(metrics: dict, console: Console) -> None:
    for title, columns, rows in sections(metrics):
        table = Table(title=title, title_justify="left", title_style="bold")
        for i, column in enumerate(columns):
            table.add_column(column, justify="left" if i == 0 else "right", no_wrap=i == 0)
        for row in rows:
            table.add_row(*row)
        console.print(table)


def charts(metrics: dict) -> list[tuple[str, str]]:
    m = metrics
    return [
        ("Funnel", funnel([(r["step"], r["count"]) for r in m["funnel"]], width=1100, title="Funnel (workspaces)")),
        ("PQLs over time", bars([(f"wk {r['week']}", r["pqls"]) for r in m["pqls_by_week"]], title="PQLs by week")),
        ("Time to value", bars([(r["band"], r["count"]) for r in m["time_to_value"]["distribution"]],
                               title="Signup to first key feature")),
        ("Conversion by segment", bars([(r["segment"].replace("_", " "), 100 * (r["pql_to_customer"] or 0))
                                        for r in m["pql_to_customer_by_segment"]],
                                       title="PQL to customer by segment", unit="%")),
    ]


def write(metrics: dict, out: Path, *, title: str) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    figures = "".join(f"<section class='chart'><h2>{escape(name)}</h2>{svg}</section>" for name, svg in
                      charts(metrics))
    tables = "".join(
        f"<section><h2>{escape(name)}</h2><table><tr>{''.join(f'<th>{escape(c)}</th>' for c in columns)}</tr>"
        + "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in rows)
        + "</table></section>"
        for name, columns, rows in sections(metrics))
    period = metrics["period"]
    (out / "report.html").write_text(PAGE.format(title=escape(title), start=escape(period["start"][:10]),
                                                 end=escape(period["end"][:10]), workspaces=period["workspaces"],
                                                 figures=figures, tables=tables), encoding="utf-8")
    return out / "report.html", out / "metrics.json"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #33475b;
       background: #f5f8fa; }}
header {{ background: #2d3e50; color: #fff; padding: 18px 32px; }} header h1 {{ margin: 0; font-size: 22px; }}
header p {{ margin: 4px 0 0; color: #cbd6e2; }}
main {{ max-width: 1200px; margin: 24px auto; padding: 0 24px; }}
.charts {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 18px; }}
.charts section:first-child {{ grid-column: 1 / -1; }}
section {{ background: #fff; border: 1px solid #dfe3eb; border-radius: 6px; padding: 14px 18px; margin-bottom: 18px;
          overflow-x: auto; }}
h2 {{ font-size: 16px; margin: 0 0 10px; }} svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ padding: 6px 10px; border-bottom: 1px solid #dfe3eb; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
th {{ color: #516f90; font-size: 12px; text-transform: uppercase; background: #fafcfd; }}
</style></head>
<body><header><h1>{title}</h1><p>{start} to {end} · {workspaces} workspaces · simulated with hubsim</p></header>
<main><div class="charts">{figures}</div>{tables}</main></body></html>
"""
