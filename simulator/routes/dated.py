"""The dated twins of the v3/v4 rules (the table is simulator/compat/dated.py): the same views under more paths."""

from __future__ import annotations

from flask import Flask

from simulator.compat.dated import dated_paths


def register(app: Flask) -> None:
    """Add a dated rule for every v3/v4 rule the app serves now, bound to the same endpoint and view function."""
    for rule in list(app.url_map.iter_rules()):
        for path in dated_paths(rule.rule):
            app.add_url_rule(
                path,
                endpoint=rule.endpoint,
                view_func=app.view_functions[rule.endpoint],
                methods=sorted(rule.methods - {"HEAD", "OPTIONS"}),
            )
