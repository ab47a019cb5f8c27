"""HubSpot's date-versioned paths (/crm/objects/2026-03/contacts) as second URL rules of the v3/v4 views.

HubSpot publishes its APIs under dated versions besides v3/v4 (reference/hubspot-api.md §9.3, the specs under
PublicApiSpecs/**/Rollouts/*); the bodies are the v3/v4 bodies, so each dated path is the same view function
registered again under another rule (simulator/routes/dated.py): one record, one handler, many paths. The new `hubspot-sdk` calls these.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# The versions HubSpot publishes (Rollouts/2025-09, 2026-03, 2026-09-beta).
STABLE = ("2025-09", "2026-03")
BETA = ("2026-09-beta",)
ALL = STABLE + BETA

# v3/v4 path prefix -> (dated prefix with {v} for the version, the versions HubSpot serves it under).
# Associations v4 split in two: the record's associations live under the dated objects API, the batch and label
# routes under /crm/associations/{v}. Events: 2025-09 puts send and definitions under /events/custom/{v}; 2026-03
# serves /events/{v}/send (its guide also shows /events/custom/2026-03/send) and reads under
# /events/event-occurrences/{v}. Flows have a dated beta only.
ALIASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("/crm/v3/objects", "/crm/objects/{v}", ALL),
    ("/crm/v4/objects", "/crm/objects/{v}", ALL),
    ("/crm/v4/associations", "/crm/associations/{v}", ALL),
    ("/crm/v3/properties", "/crm/properties/{v}", ALL),
    ("/crm/v3/owners", "/crm/owners/{v}", ALL),
    ("/crm/v3/pipelines", "/crm/pipelines/{v}", ALL),
    ("/crm/v3/lists", "/crm/lists/{v}", ALL),
    ("/events/v3/send", "/events/custom/{v}/send", ALL),
    ("/events/v3/send", "/events/{v}/send", ("2026-03",) + BETA),
    ("/events/v3/event-definitions", "/events/custom/{v}/event-definitions", ALL),
    ("/events/v3/event-definitions", "/events/{v}/event-definitions", ("2026-03",) + BETA),
    ("/events/v3/events", "/events/event-occurrences/{v}", ("2026-03",) + BETA),
    ("/automation/v4/flows", "/automation/{v}/flows", BETA),
    ("/webhooks/v3", "/webhooks/{v}", ALL),
)


# GET /crm/v4/objects/{type} is a second path of the v3 list (routes/legacy.py): its dated twin is the v3 rule's.
_V4_OBJECT_LIST = re.compile(r"/crm/v4/objects/[<{][^/]+[>}]")


def dated_paths(path: str) -> Iterator[str]:
    """Every dated path that serves what `path` (a v3/v4 rule or path) serves."""
    if _V4_OBJECT_LIST.fullmatch(path):
        return
    for old, new, versions in ALIASES:
        if path == old or path.startswith(old + "/"):
            rest = path[len(old):]
            for version in versions:
                yield new.format(v=version) + rest


def undated(path: str) -> str | None:
    """The v3/v4 path a dated path stands for (the first twin in the table), or None when it is not one."""
    for old, new, versions in ALIASES:
        for version in versions:
            prefix = new.format(v=version)
            if path == prefix or path.startswith(prefix + "/"):
                return old + path[len(prefix):]
    return None
