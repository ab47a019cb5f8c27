"""HubSpot's HUBSPOT_DEFINED association types between the simulated objects, and the errors of association writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulator.crm.object_types import ObjectType, resolve
from simulator.errors import HubSpotError, ValidationError

HUBSPOT_DEFINED = "HUBSPOT_DEFINED"
PRIMARY = "Primary"


@dataclass(frozen=True)
class AssociationKind:
    type_id: int
    from_type: str
    to_type: str
    inverse_id: int
    v3_name: str  # the `type` a v3 read shows: contact_to_company
    label: str | None = None  # None is HubSpot's unlabeled type
    primary: bool = False  # at most one per from-record (the child)
    category: str = HUBSPOT_DEFINED  # USER_DEFINED: a custom object's definition (association_types.py)


def _pair(from_type: str, to_type: str, forward: int, backward: int, *, primary: tuple[int, int] | None = None):
    """The unlabeled types of a pair both ways, and its primary types when the pair has them."""
    a, b = resolve(from_type).singular, resolve(to_type).singular
    unlabeled = "_unlabeled" if primary else ""
    kinds = [
        AssociationKind(forward, from_type, to_type, backward, f"{a}_to_{b}{unlabeled}"),
        AssociationKind(backward, to_type, from_type, forward, f"{b}_to_{a}{unlabeled}"),
    ]
    if primary:
        child, parent = primary
        kinds.append(AssociationKind(child, from_type, to_type, parent, f"{a}_to_{b}", PRIMARY, primary=True))
        kinds.append(AssociationKind(parent, to_type, from_type, child, f"{b}_to_{a}", PRIMARY))
    return kinds


def _engagement_pairs(engagement: str, **ids: tuple[int, int]) -> list[AssociationKind]:
    return [k for singular, (forward, backward) in ids.items()
            for k in _pair(engagement, resolve(singular).name, forward, backward)]


# HubSpot's type ids (associations v4 guide, "association type ID values").
KINDS: dict[int, AssociationKind] = {
    k.type_id: k
    for k in (
        *_pair("contacts", "companies", 279, 280, primary=(1, 2)),
        *_pair("deals", "contacts", 3, 4),
        *_pair("deals", "companies", 341, 342, primary=(5, 6)),
        *_pair("tasks", "contacts", 204, 203),
        *_pair("tasks", "companies", 192, 191),
        *_pair("tasks", "deals", 216, 215),
        *_pair("tickets", "contacts", 16, 15),
        *_pair("tickets", "companies", 339, 340, primary=(26, 25)),
        *_pair("deals", "tickets", 27, 28),
        *_pair("line_items", "deals", 20, 19),
        *_pair("quotes", "deals", 64, 63),
        *_pair("quotes", "contacts", 69, 70),
        *_pair("quotes", "companies", 71, 72),
        *_pair("quotes", "line_items", 67, 68),
        *_pair("leads", "contacts", 608, 607),
        *_pair("leads", "companies", 610, 609),
        *_pair("tasks", "tickets", 230, 229),
        # the engagements reps log, on contacts, companies, deals and tickets (from, to type ids both ways)
        *_engagement_pairs("notes", contact=(202, 201), company=(190, 189), deal=(214, 213), ticket=(228, 227)),
        *_engagement_pairs("calls", contact=(194, 193), company=(182, 181), deal=(206, 205), ticket=(220, 219)),
        *_engagement_pairs("emails", contact=(198, 197), company=(186, 185), deal=(210, 209), ticket=(224, 223)),
        *_engagement_pairs("meetings", contact=(200, 199), company=(188, 187), deal=(212, 211), ticket=(226, 225)),
        *_engagement_pairs("communications", contact=(82, 81), company=(88, 87), deal=(86, 85)),
        *_engagement_pairs("postal_mail", contact=(454, 453), company=(460, 459), deal=(456, 455)),
    )
}
# What a default (unlabeled) association of a pair is.
DEFAULT_KIND: dict[tuple[str, str], AssociationKind] = {
    (k.from_type, k.to_type): k for k in KINDS.values() if k.label is None
}


def kinds_between(from_type: ObjectType, to_type: ObjectType) -> list[AssociationKind]:
    kinds = [k for k in KINDS.values() if (k.from_type, k.to_type) == (from_type.name, to_type.name)]
    return sorted(kinds, key=lambda k: k.type_id)


def spec(kind: AssociationKind) -> dict[str, Any]:
    """AssociationSpec: how a write names a type."""
    return {"associationCategory": kind.category, "associationTypeId": kind.type_id}


def spec_with_label(kind: AssociationKind) -> dict[str, Any]:
    """AssociationSpecWithLabel: how a read shows a type (the unlabeled one with label null)."""
    return {"category": kind.category, "typeId": kind.type_id, "label": kind.label}


def invalid_associations(context: Mapping[str, list[str]]) -> ValidationError:
    return ValidationError("One or more associations are invalid", context=context)


def invalid_type(detail: str) -> ValidationError:
    return invalid_associations({"INVALID_ASSOCIATION_TYPE": [detail]})


def invalid_object(object_type: ObjectType, object_id: str) -> ValidationError:
    """HubSpot's body when an association names a record that is not there (captured in hubspot-api-nodejs#646)."""
    kind = object_type.singular.upper()
    return invalid_associations(
        {"INVALID_OBJECT_IDS": [f"{kind}={object_id} is not valid"], "objectId": [object_id], "objectType": [kind]}
    )


def no_associations(from_type: ObjectType, from_id: str, to_type: ObjectType) -> dict[str, Any]:
    """A batch/read error item for a record with no links of the type asked for (HubSpot answers 207)."""
    error = HubSpotError(
        f"No {to_type.singular} is associated with {from_type.singular} {from_id}.",
        status=404,
        category="OBJECT_NOT_FOUND",
        sub_category="crm.associations.NO_ASSOCIATIONS_FOUND",
    )
    return error.as_batch_error(
        {"fromObjectId": [from_id], "fromObjectType": [from_type.singular], "toObjectType": [to_type.singular]}
    )
