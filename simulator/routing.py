"""URL matching: werkzeug's own routing trie, walked faster for the two kinds of path part hubsim's rules use.

Werkzeug matches a dynamic part by looking its regex up in `re`'s cache, running it and sorting the named groups it
caught, at every step of every request. Nearly every hubsim route has one (`<object_type>`) and a record's routes
two: a contact read spent twice the bare-Flask route's time in matching alone. `FastMatcher` walks the same trie in
the same order (static parts first, then dynamic ones by weight) and knows two parts by their regex: one whole
segment (`<name>`) and the rest of the path (`<path:name>`), with converters that keep the text as it is. At anything
else (another converter, a trailing slash, no match or no method match) it leaves the request to werkzeug, so every
404, 405 and redirect is werkzeug's own; tests/simulator/test_routing.py checks both agree on every rule.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import Map, PathConverter, Rule, UnicodeConverter
from werkzeug.routing.matcher import State, StateMachineMatcher

SEGMENT = r"(?P<__werkzeug_0>[^/]{1,})\Z"  # <name>: one non-empty path segment
REST = r"(?P<__werkzeug_0>[^/].*?)\Z"  # <path:name>, last: the rest of the path, not starting with a slash
_PLAIN = (UnicodeConverter, PathConverter)  # to_python keeps the text as matched


class _Unsure(Exception):
    """Something the fast walk does not handle: werkzeug decides."""


class FastMatcher(StateMachineMatcher):
    def match(self, domain: str, path: str, method: str, websocket: bool) -> tuple[Rule, dict[str, Any]]:
        if not websocket:
            try:
                found = _walk(self._root, [domain, *path.split("/")], 0, [], method)
            except _Unsure:
                found = None
            if found is not None:
                rule, values = found
                if rule.alias or any(type(c) not in _PLAIN for c in rule._converters.values()):
                    return super().match(domain, path, method, websocket)
                result = dict(zip(rule._converters, values))
                if rule.defaults:
                    result.update(rule.defaults)
                return rule, result
        return super().match(domain, path, method, websocket)


class FastMap(Map):
    """Flask's `url_map_class` for hubsim: werkzeug's Map with FastMatcher."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._matcher = FastMatcher(self._matcher.merge_slashes)


def _walk(state: State, parts: list[str], at: int, values: list[str], method: str) -> tuple[Rule, list[str]] | None:
    if at == len(parts):
        for rule in state.rules:
            if (rule.methods is None or method in rule.methods) and not rule.websocket:
                return rule, values
        if "" in state.static:
            raise _Unsure  # werkzeug would try this path with a slash added
        return None
    part = parts[at]
    following = state.static.get(part)
    if following is not None:
        found = _walk(following, parts, at + 1, values, method)
        if found is not None:
            return found
    for test_part, following in state.dynamic:
        if test_part.content == SEGMENT:
            if not part:
                continue
            found = _walk(following, parts, at + 1, [*values, part], method)
        elif test_part.content == REST and test_part.final and not test_part.suffixed:
            rest = "/".join(parts[at:])
            if "\n" in rest:
                raise _Unsure  # `.` stops at a newline, `[^/]` does not: werkzeug decides
            if not rest or rest[0] == "/":
                continue
            found = _walk(following, [], 0, [*values, rest], method)
        else:
            raise _Unsure
        if found is not None:
            return found
    if part == "" and at == len(parts) - 1:
        raise _Unsure  # a trailing slash: werkzeug's rules for it apply
    return None
