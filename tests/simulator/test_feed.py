"""The portal's change feed: what each write publishes, in order, and nested publishing delivered breadth-first."""

from __future__ import annotations

from datetime import UTC, datetime

from simulator.feed import AssociationChanged, ChangeFeed, ClockMoved, MembershipChanged, RecordChanged


def _record_changes(portal):
    seen = []
    portal.feed.subscribe(seen.append, RecordChanged)
    return seen


def test_create_publishes_every_value_and_update_only_what_changed(api, portal):
    seen = _record_changes(portal)
    created = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "ann@acme.io", "firstname": "Ann"}})
    contact_id = created.json()["id"]
    api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"firstname": "Ann", "lastname": "Lee"}})

    assert [(c.object_type, c.object_id, c.change) for c in seen] == [
        ("contacts", contact_id, "created"),
        ("contacts", contact_id, "updated"),
    ]
    assert {"email", "firstname", "hs_email_domain", "createdate", "hs_object_id"} <= seen[0].properties
    assert seen[1].properties == {"lastname", "lastmodifieddate"}  # firstname did not change


def test_an_unchanged_update_publishes_nothing(api, portal):
    contact_id = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()["id"]
    seen = _record_changes(portal)
    api.patch(f"/crm/v3/objects/contacts/{contact_id}", json={"properties": {"email": "a@b.io"}})
    assert seen == []


def test_archive_merge_and_gdpr_delete_are_told(api, portal):
    ids = [api.post("/crm/v3/objects/contacts", json={"properties": {"email": f"{n}@b.io"}}).json()["id"]
           for n in ("a", "b", "c", "d")]
    seen = _record_changes(portal)
    api.delete(f"/crm/v3/objects/contacts/{ids[0]}")
    merged = api.post("/crm/v3/objects/contacts/merge",
                      json={"primaryObjectId": ids[1], "objectIdToMerge": ids[2]}).json()["id"]
    api.post("/crm/v3/objects/contacts/gdpr-delete", json={"objectId": ids[3]})

    assert [(c.object_id, c.change, c.merged_into) for c in seen] == [
        (ids[0], "archived", None),
        (merged, "created", None),
        (ids[1], "merged", merged),
        (ids[2], "merged", merged),
        (ids[3], "deleted", None),
    ]


def test_associations_publish_links_and_unlinks(api, portal):
    contact = api.post("/crm/v3/objects/contacts", json={"properties": {"email": "a@b.io"}}).json()["id"]
    company = api.post("/crm/v3/objects/companies", json={"properties": {"domain": "b.io"}}).json()["id"]
    seen = []
    portal.feed.subscribe(seen.append, AssociationChanged)
    api.put(f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}")
    api.delete(f"/crm/v4/objects/contacts/{contact}/associations/companies/{company}")

    assert seen and seen[0].linked and {seen[0].from_id, seen[0].to_id} == {contact, company}
    assert seen[-1].linked is False


def test_clock_moves_are_told(api, portal):
    seen = []
    portal.feed.subscribe(seen.append, ClockMoved)
    api.post("/_sim/clock", json={"freeze": True, "set": "2030-01-01T00:00:00Z"})
    api.post("/_sim/clock", json={"advance": "P1D"})
    assert [c.now for c in seen] == [datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 2, tzinfo=UTC)]


def test_a_listener_publishing_is_delivered_after_the_current_change_reaches_everyone():
    feed, order = ChangeFeed(), []
    at = datetime(2030, 1, 1, tzinfo=UTC)

    def lists(change):
        order.append(("lists", type(change).__name__))
        if isinstance(change, RecordChanged):
            feed.publish(MembershipChanged("7", "0-1", change.object_id, True, at))

    feed.subscribe(lists)
    feed.subscribe(lambda change: order.append(("workflows", type(change).__name__)))
    feed.publish(RecordChanged("contacts", "1", "updated", frozenset({"email"}), at))

    assert order == [
        ("lists", "RecordChanged"),
        ("workflows", "RecordChanged"),
        ("lists", "MembershipChanged"),
        ("workflows", "MembershipChanged"),
    ]
