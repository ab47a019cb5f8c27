"""The older routes HubSpot still serves and the clients in docs/coverage.md call: contacts v1, companies v2,
deals v1, properties v1/v2, deal pipelines v1, associations v3 batch read, the v1 daily usage limit. Views of the
same stores (simulator/compat/legacy.py writes the shapes). HubSpot sunset contact lists v1 and owners v2: those answer 404 (simulator/unsimulated.py)."""

from __future__ import annotations

from flask import Blueprint

from simulator.compat import legacy
from simulator.crm.associations import BatchReadAssociationsV3
from simulator.crm.object_types import COMPANIES, CONTACTS, DEALS
from simulator.routes import objects
from simulator.routes.common import body, portal, query_bool, query_int, query_list, query_str, requires
from simulator.errors import ValidationError
from simulator.wire import is_decimal_id

bp = Blueprint("legacy", __name__)
# tap-hubspot lists tickets at /crm/v4/objects/tickets: HubSpot answers it as the v3 list (associations as {id, type})
bp.add_url_rule("/crm/v4/objects/<object_type>", "get_page_v4", objects.get_page, methods=["GET"])
PAGE_LIMIT = 250  # the largest count/limit the v1/v2 paged routes take (HubSpot's legacy reference)
VIDS_BATCH_LIMIT = 100  # contacts v1 "get a batch of contacts by vid": up to 100 vids per request


def _times(object_type: str) -> frozenset[str]:
    return legacy.time_properties(portal().properties(object_type).all())


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
    times = _times("contacts")
    contacts = [legacy.contact(r, portal().id, names, times) for r in records]
    return {"contacts": contacts, "has-more": more, "vid-offset": offset}


@bp.get("/contacts/v1/contact/vid/<contact_id>/profile")
@requires("crm.objects.contacts.read")
def get_contact_by_id(contact_id: str):
    return legacy.contact(portal().objects("contacts").get(contact_id), portal().id, query_list("property"),
                          _times("contacts"))


@bp.get("/contacts/v1/contact/vids/batch/")
@bp.get("/contacts/v1/contact/vids/batch")
@requires("crm.objects.contacts.read")
def get_contacts_by_vids():
    """The contacts found among `vid` (at most 100), keyed by vid; a vid that is no live contact is left out."""
    store, vids = portal().objects("contacts"), query_list("vid") or []
    if len(vids) > VIDS_BATCH_LIMIT:
        raise ValidationError(f"At most {VIDS_BATCH_LIMIT} vids, got {len(vids)}")
    names, times = query_list("property"), _times("contacts")
    return {vid: legacy.contact(store.get(vid), portal().id, names, times) for vid in dict.fromkeys(vids)
            if is_decimal_id(vid) and store.exists(vid)}


@bp.get("/contacts/v1/contact/email/<email>/profile")
@requires("crm.objects.contacts.read")
def get_contact_by_email(email: str):
    record = portal().objects("contacts").get(email, id_property="email")
    return legacy.contact(record, portal().id, query_list("property"), _times("contacts"))


@bp.get("/companies/v2/companies/paged")
@requires("crm.objects.companies.read")
def get_all_companies():
    records, more, offset = _page("companies", "limit", "offset")
    # hubspot3 names its properties in propertiesWithHistory only: shown like `properties` (versions are always on)
    names = list(dict.fromkeys((query_list("properties") or []) + (query_list("propertiesWithHistory") or [])))
    times = _times("companies")
    return {"companies": [legacy.company(r, portal().id, names, times) for r in records], "has-more": more,
            "offset": offset}


@bp.get("/companies/v2/companies/<company_id>")
@requires("crm.objects.companies.read")
def get_company(company_id: str):
    return legacy.company(portal().objects("companies").get(company_id), portal().id, None, _times("companies"))


def _deal(record, names, times):
    if query_bool("includeAllProperties", default=False):  # deals v1: every property, not only those named
        names = None
    links = {}
    if query_bool("includeAssociations", default=True):
        crm = portal().crm
        links = {other.name: [int(i) for i, _ in crm.associations.targets(DEALS, record.id, other)]
                 for other in (CONTACTS, COMPANIES)}
    latest_only = query_str("allPropertiesFetchMode") == "latest_version"
    return legacy.deal(record, portal().id, names, times, links, latest_only=latest_only)


@bp.get("/deals/v1/deal/paged")
@requires("crm.objects.deals.read")
def get_all_deals():
    records, more, offset = _page("deals", "limit", "offset")
    names = query_list("properties") or []
    times = _times("deals")
    return {"deals": [_deal(r, names, times) for r in records], "hasMore": more, "offset": offset}


@bp.get("/deals/v1/deal/<deal_id>")
@requires("crm.objects.deals.read")
def get_deal(deal_id: str):
    return _deal(portal().objects("deals").get(deal_id), None, _times("deals"))


@bp.get("/properties/v1/<object_type>/properties")
@bp.get("/properties/v2/<object_type>/properties")
@bp.get("/companies/v2/properties", defaults={"object_type": "companies"})  # the older companies properties route
@requires("crm.schemas.{object_type}.read")
def get_all_properties_v1(object_type: str):
    return [legacy.property_v1(d) for d in portal().properties(object_type).all()]


@bp.post("/crm/v3/associations/<object_type>/<to_object_type>/batch/read")
@requires("crm.objects.{object_type}.read")
def batch_read_associations_v3(object_type: str, to_object_type: str):
    inputs = body(BatchReadAssociationsV3).inputs
    result = portal().crm.associations.batch_read_v3(portal().object_type(object_type), portal().object_type(to_object_type), inputs)
    return result.dump(), result.status_code


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


@bp.get("/integrations/v1/limit/daily")  # any token may ask (no scope): hubspot3's `usage_limits`
def get_daily_limit():
    return legacy.daily_limit(portal().limiter.usage())
