"""Run inside .compat/hubspot-sdk: what a hubspot-sdk user does, on the dated (2026-03) paths; prints one JSON report.

argv: base_url token company_id. The pytest side (compat/test_hubspot_sdk.py) checks the report against hubsim.
"""

import json
import sys

from hubspot_sdk import HubSpot

base_url, token, company_id = sys.argv[1:4]
client = HubSpot(access_token=token, base_url=base_url, max_retries=0)
contacts = client.crm.objects.contacts
report = {}

made = contacts.create(properties={"email": "linus@initech.io", "firstname": "Linus"}, associations=[])
report["created"] = {"id": made.id, "properties": dict(made.properties)}
contacts.update(made.id, properties={"lastname": "Torvalds"})
got = contacts.get(made.id, properties=["email", "firstname", "lastname"])
report["got"] = {"id": got.id, "properties": dict(got.properties)}
by_email = contacts.get("linus@initech.io", id_property="email", properties=["firstname"])
report["got_by_email"] = by_email.id
report["listed"] = sorted(c.id for c in contacts.list(limit=2, properties=["email"]))  # pages through `after`
found = contacts.search(after="0", limit=10, properties=["email"], sorts=[],
                        filter_groups=[{"filters": [{"propertyName": "email", "operator": "EQ", "value": "linus@initech.io"}]}])
report["searched"] = [c.id for c in found.results]
batch = contacts.batch.create(inputs=[{"properties": {"email": f"b{i}@initech.io"}, "associations": []} for i in (1, 2)])
report["batch_created"] = sorted(c.id for c in batch.results)
read = contacts.batch.get(inputs=[{"id": i} for i in report["batch_created"]], properties=["email"],
                          properties_with_history=[])
report["batch_read"] = sorted((c.id, c.properties["email"]) for c in read.results)
client.crm.associations.create(company_id, from_object_type="contacts", from_object_id=made.id,
                               to_object_type="companies")
linked = client.crm.associations.list("companies", object_type="contacts", object_id=made.id)
report["associated_companies"] = [str(link.to_object_id) for link in linked]
report["companies"] = sorted(c.id for c in client.crm.objects.companies.list(limit=100))
report["owners"] = sorted(o.id for o in client.crm.owners.list(limit=100))
report["contact_property_names"] = sorted(p.name for p in client.crm.properties.list("contacts").results)
report["deal_pipelines"] = sorted(p.id for p in client.crm.pipelines.list("deals").results)
contacts.delete(made.id)  # leave the portal as seeded: the taps run after this and compare with the seed
contacts.batch.delete(inputs=[{"id": i} for i in report["batch_created"]])
print(json.dumps(report))
