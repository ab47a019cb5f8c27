"""Portal snapshots: the whole state of one portal as versioned JSON, and back.

    {"format": "hubsim-portal", "version": 1, "settings": ..., "clock": ..., "ids": ..., "owners": ...,
     "pipelines": ..., "properties": {type: ...}, "objects": {type: ...}, "associations": [...]}

One section per store, so a later store (events, lists, workflows) adds its own section. A restore reads the whole
file into new stores first and swaps them in only when everything checked out: a refused file changes nothing.
These are plain domain functions: `hubsim serve --state DIR` persists portals with them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import ValidationError as PydanticValidationError

from simulator.crm.object_types import DEALS, OBJECT_TYPES, TICKETS, ObjectType
from simulator.crm.owners import OwnerStore
from simulator.crm.pipelines import Pipeline, PipelineStore
from simulator.crm.stores import CrmStores, IdSequence
from simulator.errors import HubSpotError, ValidationError
from simulator.harness.control import EARLIEST, LATEST, MAX_SPEED, PortalSettingsUpdate, update_portal
from simulator.hub import Portal
from simulator.lists.persist import export_lists, restore_lists
from simulator.wire import body_error

FORMAT = "hubsim-portal"
VERSION = 2  # 2: stores added since 1 have their own sections (LATER_SECTIONS); a version-1 file still loads
SECTIONS = ("format", "version", "settings", "clock", "ids", "owners", "pipelines", "properties", "objects",
            "associations")  # fmt: skip
# Sections of stores added since version 1 (events, lists, ...): a file from before them lacks them, and a portal
# restored from it starts those stores empty.
# The object types every file has; a type added later (tickets, notes...) missing from an older file starts empty.
FIRST_TYPES = ("contacts", "companies", "deals", "tasks")
LATER_SECTIONS: tuple[str, ...] = ("events", "lists", "workflows", "webhooks", "schemas", "ticketPipelines")
T = TypeVar("T")
MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024  # a restore body may be far bigger than an API call's (100k contacts: ~100 MB)


class SnapshotError(ValidationError):
    def __init__(self, problem: str):
        super().__init__(f"Invalid snapshot: {problem}. Nothing was restored.")


def export_portal(portal: Portal) -> dict[str, Any]:
    """The portal's state as JSON-ready data; restoring it into any portal gives back the same export."""
    with portal.lock:
        crm = portal.crm
        return {
            "format": FORMAT,
            "version": VERSION,
            "settings": portal.settings.dump(),
            "clock": {
                "now": portal.clock.now().isoformat(), "frozen": portal.clock.frozen, "speed": portal.clock.speed
            },
            "ids": {"next": crm.ids.next_value},
            "owners": crm.owners.export(),
            "pipelines": crm.pipelines.export(),
            "ticketPipelines": crm.ticket_pipelines.export(),
            "properties": {name: crm.properties[name].export() for name in crm.stores()},
            "objects": {name: store.export() for name, store in crm.stores().items()},
            "associations": crm.associations.export(),
            "events": portal.events.export(),
            "lists": export_lists(portal.lists),
            "workflows": portal.workflows.export(),
            "webhooks": portal.webhooks.export(),
            "schemas": crm.export_schemas(),
        }


def restore_portal(portal: Portal, data: Any) -> dict[str, Any]:
    """Replace the portal's state with a snapshot's, or raise SnapshotError and change nothing; a summary."""
    _check_envelope(data)
    settings = _read("settings", lambda: PortalSettingsUpdate.model_validate(data["settings"]))
    now, frozen, speed = _read("clock", lambda: _clock(data["clock"]))
    stores = portal.build_stores(_crm(portal, data))
    crm = stores.crm
    if "events" in data:
        _read("events", lambda: stores.events.restore(data["events"]))
    if "lists" in data:
        _read("lists", lambda: restore_lists(stores.lists, data["lists"]))
    if "workflows" in data:
        _read("workflows", lambda: stores.workflows.restore(data["workflows"]))
    if "webhooks" in data:
        _read("webhooks", lambda: stores.webhooks.restore(data["webhooks"]))
    with portal.lock:
        update_portal(portal, settings)
        portal.clock.freeze()  # held still while it is set, so `now` is exact; then it runs again if it ran
        portal.clock.set(now)
        portal.clock.set_speed(speed)
        if not frozen:
            portal.clock.unfreeze()
        portal.install(stores)
    return {"status": "restored", "records": {name: len(store) for name, store in crm.stores().items()}}


def _check_envelope(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError(f'not a hubsim portal snapshot (expected "format": "{FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SnapshotError("version must be an integer")
    if version > VERSION:
        raise SnapshotError(f"version {version} is newer than this hubsim reads (up to {VERSION}); upgrade hubsim")
    if version < 1:
        raise SnapshotError(f"version {version} does not exist")
    missing = [s for s in SECTIONS if s not in data]
    unknown = [s for s in data if s not in SECTIONS and s not in LATER_SECTIONS]
    if missing or unknown:
        raise SnapshotError(f"missing sections {missing}, unknown sections {unknown}")


def _clock(section: Any) -> tuple[datetime, bool, float]:
    """The control API's bounds hold for a restored clock too: a speed of 1e308 or NaN, or a year-9999 `now`, would
    leave a portal that answers every request (its reset included) with a 500."""
    now = datetime.fromisoformat(section["now"])
    if now.tzinfo is None:
        raise ValueError("clock.now needs a time zone")
    frozen, speed = section["frozen"], section["speed"]
    if not isinstance(frozen, bool) or not isinstance(speed, int | float) or isinstance(speed, bool):
        raise ValueError("clock.frozen must be a boolean and clock.speed a number")
    if not EARLIEST <= now <= LATEST:
        raise ValueError(f"clock.now must fall between {EARLIEST.date()} and {LATEST.date()}, as POST /_sim/clock's")
    if not 0 < speed <= MAX_SPEED:  # NaN fails this too
        raise ValueError(f"clock.speed must be above 0 and at most {MAX_SPEED:g}, as POST /_sim/clock's")
    return now.astimezone(UTC), frozen, float(speed)


def _crm(portal: Portal, data: dict[str, Any]) -> CrmStores:
    """New stores built from the snapshot alone; the portal's own are untouched."""
    ids = IdSequence(_read("ids", lambda: _next_id(data["ids"])))
    pipelines = _read("pipelines", lambda: _pipelines(portal, ids, data["pipelines"]))
    tickets = None  # a file from before ticket pipelines: HubSpot's default support pipeline
    if "ticketPipelines" in data:
        tickets = _read("ticketPipelines", lambda: _pipelines(portal, ids, data["ticketPipelines"], TICKETS))
    owners = _read("owners", lambda: OwnerStore.restore(data["owners"]))
    crm = CrmStores(portal.id, portal.lock, portal.clock.now, owners=owners, ids=ids, pipelines=pipelines,
                   ticket_pipelines=tickets)
    if "schemas" in data:  # custom object types first: their properties and records follow in the CRM sections
        _read("schemas", lambda: crm.restore_schemas(data["schemas"]))
    names = list(crm.stores())
    custom = names[len(OBJECT_TYPES):]
    for section in ("properties", "objects"):
        if not isinstance(data[section], dict) or not {*FIRST_TYPES, *custom} <= set(data[section]) <= set(names):
            raise SnapshotError(f"{section} must have one entry for each of {names}")
    for name in (n for n in names if n in data["properties"] and n in data["objects"]):
        _read(f"properties.{name}", lambda: crm.properties[name].restore(data["properties"][name]))
        _read(f"objects.{name}", lambda: crm.stores()[name].restore(data["objects"][name]))
    stores = list(crm.stores().values())
    record_ids = [int(r.id) for store in stores for r in (*store.records(), *store.records(archived=True))]
    if len(record_ids) != len(set(record_ids)):
        raise SnapshotError("record ids must be unique across object types (one id counter per portal)")
    highest = max(record_ids, default=0)
    if highest >= ids.next_value:
        raise SnapshotError(f"ids.next ({ids.next_value}) must be above every record id (found {highest})")

    def known(type_name: str, object_id: str) -> bool:
        return type_name in names and crm.stores()[type_name].has(object_id)

    _read("associations", lambda: crm.associations.restore(data["associations"], known))
    return crm


def _next_id(section: Any) -> int:
    next_id = section["next"]
    if not isinstance(next_id, int) or isinstance(next_id, bool) or next_id < 1:
        raise ValueError("next must be a positive integer")
    return next_id


def _pipelines(portal: Portal, ids: IdSequence, rows: Any, object_type: ObjectType = DEALS) -> PipelineStore:
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"there must be at least one {object_type.singular} pipeline")
    pipelines = [Pipeline.model_validate(p) for p in rows]
    try:
        return PipelineStore(portal.lock, portal.clock.now, ids, portal.id, pipelines=pipelines,
                             object_type=object_type)
    except HubSpotError as exc:  # a stage's metadata as the API would refuse it
        raise ValueError(exc.message) from None


def _read(section: str, load: Callable[[], T]) -> T:
    """Run one section's reader; whatever is wrong with it becomes one SnapshotError naming the section."""
    try:
        return load()
    except PydanticValidationError as exc:
        raise SnapshotError(f"{section}: {body_error(exc).message.removeprefix('Invalid input JSON: ')}") from None
    except KeyError as exc:
        raise SnapshotError(f"{section}: missing field {exc.args[0]!r}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise SnapshotError(f"{section}: {exc or type(exc).__name__}") from None
