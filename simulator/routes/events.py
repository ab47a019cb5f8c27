"""Custom behavioral events v3: /events/v3/event-definitions, /events/v3/send(/batch) and /events/v3/events."""

from __future__ import annotations

from flask import Blueprint, request

from simulator.events.definitions import (
    EventDefinitionCreate,
    EventDefinitionPatch,
    EventPropertyCreate,
    EventPropertyPatch,
)
from simulator.events.occurrences import decode_cursor, encode_cursor
from simulator.events.send import BatchEventSend, EventSend
from simulator.errors import ValidationError
from simulator.routes.common import body, portal, query_bool, query_int, query_list, query_str, query_time, requires

bp = Blueprint("events", __name__, url_prefix="/events/v3")
DEFINITIONS = "behavioral_events.event_definitions.read_write"
SEND = "analytics.behavioral_events.send"
READ = "oauth"  # the scope HubSpot's events v3 document names for reading occurrences
DEFINITION_PAGE, DEFINITION_PAGE_LIMIT = 100, 100  # hubsim's choice: HubSpot does not document them
OCCURRENCE_PAGE, OCCURRENCE_PAGE_LIMIT = 10, 100
# `sort` of GET /events/v3/events: HubSpot's document types it as strings only; newest first unless asked otherwise.
_SORTS = {"occurredat": False, "-occurredat": True, "ascending": False, "descending": True, "asc": False,
          "desc": True}  # fmt: skip


def query_sort_order() -> bool:
    """sortOrder of the definitions list: ASC (oldest first, the default) or DESC."""
    raw = (query_str("sortOrder") or "ASC").upper()
    if raw not in ("ASC", "DESC"):
        raise ValidationError(f"Query parameter sortOrder must be ASC or DESC, got {raw!r}")
    return raw == "DESC"


def query_prefixed(prefix: str) -> dict[str, str]:
    """`property.plan=pro` -> {"plan": "pro"}."""
    return {k.removeprefix(prefix): v for k, v in request.args.items() if k.startswith(prefix) and k != prefix}


def refuse_unsimulated_reads() -> None:
    """Say so rather than answer as if a filter hubsim does not apply had been applied."""
    others = sorted(k for k in query_prefixed("objectProperty.") if k != "email")
    if others:
        raise ValidationError(f"hubsim reads events by objectProperty.email only, not objectProperty.{others[0]}")
    if "before" in request.args:
        raise ValidationError("hubsim pages events forwards only: use after (paging.next.after)")


def query_descending() -> bool:
    values = query_list("sort") or ["-occurredAt"]
    if len(values) != 1 or values[0].lower() not in _SORTS:
        raise ValidationError(f"Query parameter sort must be occurredAt or -occurredAt, got {values}")
    return _SORTS[values[0].lower()]


@bp.get("/event-definitions")
@requires(DEFINITIONS)
def get_event_definitions():
    definitions, total, after = portal().events.definitions(
        search=query_str("searchString"),
        after=query_str("after"),
        limit=query_int("limit", DEFINITION_PAGE, maximum=DEFINITION_PAGE_LIMIT),
        descending=query_sort_order(),
    )
    include = query_bool("includeProperties")
    answer = {"results": [d.dump(include_properties=include) for d in definitions], "total": total}
    if after is not None:
        answer["paging"] = {"next": {"after": after, "link": f"{request.base_url}?after={after}"}}
    return answer


@bp.post("/event-definitions")
@requires(DEFINITIONS)
def create_event_definition():
    definition = portal().events.create_definition(body(EventDefinitionCreate))
    return definition.dump(), 201, {"Location": f"{request.base_url.rstrip('/')}/{definition.name}"}


@bp.get("/event-definitions/<event_name>")
@requires(DEFINITIONS)
def get_event_definition(event_name: str):
    return portal().events.get_definition(event_name).dump()


@bp.patch("/event-definitions/<event_name>")
@requires(DEFINITIONS)
def update_event_definition(event_name: str):
    return portal().events.update_definition(event_name, body(EventDefinitionPatch)).dump(), 201  # 201: HubSpot's


@bp.delete("/event-definitions/<event_name>")
@requires(DEFINITIONS)
def archive_event_definition(event_name: str):
    portal().events.archive_definition(event_name)
    return "", 204


@bp.post("/event-definitions/<event_name>/property")
@requires(DEFINITIONS)
def create_event_property(event_name: str):
    created = portal().events.add_property(event_name, body(EventPropertyCreate))
    return created.dump(), 201, {"Location": f"{request.base_url.rstrip('/')}/{created.name}"}


@bp.patch("/event-definitions/<event_name>/property/<property_name>")
@requires(DEFINITIONS)
def update_event_property(event_name: str, property_name: str):
    return portal().events.update_property(event_name, property_name, body(EventPropertyPatch)).dump(), 201


@bp.delete("/event-definitions/<event_name>/property/<property_name>")
@requires(DEFINITIONS)
def archive_event_property(event_name: str, property_name: str):
    portal().events.archive_property(event_name, property_name)
    return "", 204


@bp.post("/send")
@requires(SEND)
def send_event():
    portal().events.send([body(EventSend)])
    return "", 204


@bp.post("/send/batch")
@requires(SEND)
def send_event_batch():
    portal().events.send(body(BatchEventSend).inputs)
    return "", 204


@bp.get("/events")
@requires(READ)
def get_events():
    refuse_unsimulated_reads()
    after = query_str("after")
    occurrences, next_key = portal().events.occurrences(
        object_type=query_str("objectType"),
        object_id=query_str("objectId"),
        email=query_str("objectProperty.email"),
        event_type=query_str("eventType"),
        occurred_after=query_time("occurredAfter"),
        occurred_before=query_time("occurredBefore"),
        descending=query_descending(),
        after=decode_cursor(after) if after else None,
        limit=query_int("limit", OCCURRENCE_PAGE, maximum=OCCURRENCE_PAGE_LIMIT),
        ids=query_list("id"),
        properties=query_prefixed("property."),
    )
    answer: dict = {"results": [o.dump() for o in occurrences]}
    if next_key is not None:
        cursor = encode_cursor(next_key)
        answer["paging"] = {"next": {"after": cursor, "link": f"{request.base_url}?after={cursor}"}}
    return answer


@bp.get("/events/event-types")
@requires(READ)
def get_event_types():
    return {"eventTypes": portal().events.event_types()}
