"""The older routes HubSpot still serves and the clients in docs/coverage.md call: contacts v1, companies v2,
deals v1, properties v1/v2, deal pipelines v1. Views of the same stores (simulator/compat/legacy.py writes the
shapes). HubSpot sunset contact lists v1 and owners v2: those answer 404 (simulator/unsimulated.py)."""

from __future__ import annotations

from flask import Blueprint

from simulator.compat import legacy
from simulator.crm.object_types import COMPANIES, CONTACTS, DEALS
from simulator.routes.common import portal, query_bool, query_int, query_list, query_str, requires
from simulator.wire import is_decimal_id

bp = Blueprint("legacy", __name__)
PAGE_LIMIT = 250  # the largest count/limit the v1/v2 paged routes take (HubSpot's legacy reference)


def _offset(name: str) -> str | None:
    raw = query_str(name)
    return raw if is_decimal_id(raw) else None


def _page(object_type: str, limit_name: str, offset_name: str):
    store = portal().objects(object_type)
    records, next_id = store.page(limit=query_int(limit_name, 20 if limit_name == "count" else 100,
                                                  maximum=PAGE_LIMIT), after=_offset(offset_name), archived=False)
    offset = int(next_id) if next_id else (int(records[-1].id) + 1 if records else 0)
    return records, next_id is not None, offset


@bp.get("/contacts/v1/lists/all/contacts/all")
@requires("crm.objects.contacts.read")
def get_all_contacts():
    records, more, offset = _page("contacts", "count", "vidOffset")
    names = query_list("property") or list(legacy.CONTACT_PAGE_PROPERTIES)
    contacts = [legacy.contact(r, portal().id, names) for r in records]
    return {"contacts": contacts, "has-more": more, "vid-offset": offset}


@bp.get("/contacts/v1/contact/vid/<contact_id>/profile")
@requires("crm.objects.contacts.read")
def get_contact_by_id(contact_id: str):
    return legacy.contact(portal().objects("contacts").get(contact_id), portal().id, query_list("property"))


@bp.get("/contacts/v1/contact/email/<email>/profile")
@requires("crm.objects.contacts.read")
def get_contact_by_email(email: str):
    record = portal().objects("contacts").get(email, id_property="email")
    return legacy.contact(record, portal().id, query_list("property"))


@bp.get("/companies/v2/companies/paged")
@requires("crm.objects.companies.read")
def get_all_companies():
    records, more, offset = _page("companies", "limit", "offset")
    names = query_list("properties") or []
    return {"companies": [legacy.company(r, portal().id, names) for r in records], "has-more": more, "offset": offset}


@bp.get("/companies/v2/companies/<company_id>")
@requires("crm.objects.companies.read")
def get_company(company_id: str):
    return legacy.company(portal().objects("companies").get(company_id), portal().id, None)


def _deal(record, names):
    links = {}
    if query_bool("includeAssociations", default=True):
        crm = portal().crm
        links = {other.name: [int(i) for i, _ in crm.associations.targets(DEALS, record.id, other)]
                 for other in (CONTACTS, COMPANIES)}
    return legacy.deal(record, portal().id, names, links)


@bp.get("/deals/v1/deal/paged")
@requires("crm.objects.deals.read")
def get_all_deals():
    records, more, offset = _page("deals", "limit", "offset")
    names = query_list("properties") or []
    return {"deals": [_deal(r, names) for r in records], "hasMore": more, "offset": offset}


@bp.get("/deals/v1/deal/<deal_id>")
@requires("crm.objects.deals.read")
def get_deal(deal_id: str):
    return _deal(portal().objects("deals").get(deal_id), None)


@bp.get("/properties/v1/<object_type>/properties")
@bp.get("/properties/v2/<object_type>/properties")
@requires("crm.schemas.{object_type}.read")
def get_all_properties_v1(object_type: str):
    return [legacy.property_v1(d) for d in portal().properties(object_type).all()]


@bp.get("/deals/v1/pipelines")
@requires("crm.objects.deals.read")
def get_deal_pipelines_v1():
    return legacy.deal_pipelines_v1(portal().crm.pipelines.all())


@bp.get("/crm-pipelines/v1/pipelines/deals", defaults={"object_type": "deals"})
@bp.get("/crm-pipelines/v1/pipelines/tickets", defaults={"object_type": "tickets"})
@requires("crm.objects.{object_type}.read")
def get_crm_pipelines_v1(object_type: str):
    store = portal().crm.pipelines_of(object_type)
    return legacy.crm_pipelines_v1(store.all(), store.object_type)
