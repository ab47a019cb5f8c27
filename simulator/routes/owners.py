"""Owners v3: /crm/v3/owners (the SDK adds a trailing slash; the app's strict_slashes=False takes it)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, request

from simulator.crm.owners import OWNER_PAGE_LIMIT
from simulator.routes.common import portal, query_bool, query_int, query_str, requires

bp = Blueprint("owners", __name__, url_prefix="/crm/v3/owners")
READ = "crm.objects.owners.read"


@bp.get("/")
@requires(READ)
def get_page():
    owners, next_after = portal().crm.owners.page(
        limit=query_int("limit", 100, maximum=OWNER_PAGE_LIMIT), after=query_str("after"), email=query_str("email"),
        archived=query_bool("archived"),
    )  # fmt: skip
    page: dict = {"results": [o.dump() for o in owners]}
    if next_after is not None:
        query = {**request.args.to_dict(flat=False), "after": [next_after]}
        page["paging"] = {"next": {"after": next_after, "link": f"{request.base_url}?{urlencode(query, doseq=True)}"}}
    return page


@bp.get("/<owner_id>")
@requires(READ)
def get_by_id(owner_id: str):
    owner = portal().crm.owners.get(
        owner_id, id_property=query_str("idProperty") or "id", archived=query_bool("archived")
    )
    return owner.dump()
