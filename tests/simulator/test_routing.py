"""The fast walk of the routing trie (simulator/routing.py) decides every request exactly as werkzeug's matcher does:
the same rule and arguments, or the same 404, 405 or redirect."""

from __future__ import annotations

import itertools
import re

from werkzeug.routing.exceptions import NoMatch, RequestPath
from werkzeug.routing.matcher import StateMachineMatcher

from simulator.app import create_app
from simulator.routing import FastMatcher

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
SEGMENTS = ("contacts", "0-1", "search", "batch", "merge", "read", "p123_widgets", "Contacts", "a b", "%2F")
RESTS = ("5", "search", "batch/read", "a/b/c", "5/associations", "x\ny", "ü")
_CONVERTER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _outcome(matcher: StateMachineMatcher, path: str, method: str):
    try:
        rule, args = matcher.match("", path, method, False)
    except NoMatch as exc:
        return "no match", sorted(exc.have_match_for), exc.websocket_mismatch
    except RequestPath as exc:
        return "redirect", exc.path_info
    return rule, args


def _paths(rule: str) -> set[str]:
    """The rule with sample values in its parts, and the same with a trailing slash, an empty or an extra part."""
    kinds = [m.group(1) or "default" for m in _CONVERTER.finditer(rule)]
    samples = [RESTS if kind == "path" else SEGMENTS for kind in kinds]
    paths = set()
    for values in itertools.islice(itertools.product(*samples), 40):
        filled = iter(values)
        path = _CONVERTER.sub(lambda _: next(filled), rule)
        paths.update({path, f"{path}/", f"{path}/x", path.replace("/", "//", 1), path.rsplit("/", 1)[0] + "/"})
    return paths


def test_every_rule_is_matched_as_werkzeug_matches_it():
    app = create_app()
    fast = app.url_map._matcher
    assert isinstance(fast, FastMatcher)
    reference = StateMachineMatcher(merge_slashes=fast.merge_slashes)
    for rule in app.url_map.iter_rules():
        reference.add(rule)
    reference.update()
    checked = 0
    for rule in app.url_map.iter_rules():
        for path in _paths(rule.rule):
            for method in METHODS:
                assert _outcome(fast, path, method) == _outcome(reference, path, method), (method, path)
                checked += 1
    assert checked > 100_000


def test_odd_paths_are_matched_as_werkzeug_matches_them():
    app = create_app()
    fast = app.url_map._matcher
    reference = StateMachineMatcher(merge_slashes=fast.merge_slashes)
    for rule in app.url_map.iter_rules():
        reference.add(rule)
    reference.update()
    for path in ("", "/", "//", "/crm", "/crm/v3/objects", "/crm/v3/objects/", "/crm/v3/objects/contacts/",
                 "/crm/v3/objects//5", "/crm/v3/objects/contacts//", "/crm/v3/objects/contacts/5\n",
                 "/crm/v3/objects/contacts/\n5", "/events/v3/send/", "/_sim/ui", "/_sim/ui/", "/nothing/here"):
        for method in METHODS:
            assert _outcome(fast, path, method) == _outcome(reference, path, method), (method, path)
