"""The inspector's pages under /_sim/ui: parse the query, read one view, render one template. Read-only (GET).

The portal is the one a token names: `?token=` (remembered in a cookie for the links that follow), else that cookie,
else the request's bearer token. A browser cannot send the bearer header, hence the query and the cookie. When the
simulator has an admin token, the pages need it too (`?admin=`, also remembered), as every /_sim route does.
"""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, make_response, render_template, request

from simulator.errors import InvalidAuthentication
from simulator.hub import Hub, Portal
from simulator.ui import charts, views

bp = Blueprint("ui", __name__, url_prefix="/_sim/ui", template_folder="templates")
TOKEN_COOKIE = "hubsim_ui_token"
MEMBERS = 20  # the newest members shown per list
ADMIN_COOKIE = "hubsim_ui_admin"


def public(view):
    """Authenticated here, not by the app: the token may come from the query or a cookie."""
    view.public = True
    return view


def _chosen() -> tuple[Portal | None, dict[str, str]]:
    """The portal the page is about, and the cookies to remember for the next page."""
    hub: Hub = current_app.extensions["hubsim"]
    remember: dict[str, str] = {}
    admin_token = hub.config.admin_token
    if admin_token:
        sent = request.args.get("admin") or request.cookies.get(ADMIN_COOKIE, "")
        if not hmac.compare_digest(sent.encode(), admin_token.encode()):
            raise InvalidAuthentication("The inspector needs this simulator's admin token: open it with ?admin=...")
        remember[ADMIN_COOKIE] = sent
    token = request.args.get("token") or request.cookies.get(TOKEN_COOKIE)
    if not token:
        scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
        token = bearer.strip() if scheme.lower() == "bearer" else None
    if not token:
        return None, remember
    remember[TOKEN_COOKIE] = token
    return hub.portal(token), remember


def _page(template: str, build) -> Response:
    portal, remember = _chosen()
    if portal is None:
        response = make_response(render_template("ui/token.html", page="token"))
    else:
        response = make_response(render_template(template, portal_id=portal.id, charts=charts, **build(portal)))
    for name, value in remember.items():
        response.set_cookie(name, value, httponly=True, samesite="Strict", path="/_sim/ui")
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return response


@bp.get("")
@public
def inspector_overview():
    return _page("ui/overview.html", lambda portal: {"page": "overview", "o": views.overview(portal),
                                                     "funnel": views.lifecycle_funnel(portal)})


@bp.get("/contacts")
@public
def inspector_contacts():
    query, stage = request.args.get("q", ""), request.args.get("stage", "")
    offset = max(request.args.get("offset", 0, type=int), 0)

    def build(portal: Portal) -> dict:
        total, rows = views.contacts(portal, query=query, stage=stage, offset=offset)
        return {"page": "contacts", "total": total, "rows": rows, "q": query, "stage": stage, "offset": offset,
                "step": views.CONTACT_PAGE, "stages": views.FUNNEL_STAGES, "labels": views.STAGE_LABELS}

    return _page("ui/contacts.html", build)


@bp.get("/contacts/<contact_id>")
@public
def inspector_contact(contact_id: str):
    return _page("ui/contact.html", lambda portal: {"page": "contacts", "c": views.contact(portal, contact_id)})


@bp.get("/funnel")
@public
def inspector_funnel():
    return _page("ui/funnel.html", lambda portal: {"page": "funnel", "funnel": views.lifecycle_funnel(portal)})


@bp.get("/lists")
@public
def inspector_lists():
    return _page("ui/lists.html", lambda portal: {"page": "lists", "lists": views.lists(portal, members=MEMBERS)})


@bp.get("/workflows")
@public
def inspector_workflows():
    return _page("ui/workflows.html", lambda portal: {"page": "workflows", "flows": views.workflows(portal)})


@bp.get("/journal")
@public
def inspector_journal():
    method, path, status = (request.args.get(name, "") for name in ("method", "path", "status"))

    def build(portal: Portal) -> dict:
        total, entries = views.journal(portal, method=method, path=path, status=status)
        return {"page": "journal", "total": total, "entries": entries, "method": method, "path": path,
                "status": status}

    return _page("ui/journal.html", build)
