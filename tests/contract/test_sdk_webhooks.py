"""Over a socket, the official SDK end to end: it manages an app's webhooks, writes a contact, and verifies the
signed delivery hubsim sends to a receiver."""

from __future__ import annotations

from hubspot import HubSpot
from hubspot.utils.signature import Signature
from hubspot.webhooks import SettingsChangeRequest, SubscriptionCreateRequest, ThrottlingSettings

from webhook_receiver import Receiver

from simulator.testing import Simulator


def test_the_sdk_subscribes_and_verifies_what_it_receives():
    with Simulator() as sim, Receiver() as receiver:
        sim.clock.freeze()
        sim.webhooks.set_secret(5, "five")
        developer = HubSpot(api_key=sim.token, host=sim.base_url, base_url=sim.base_url)
        developer.webhooks.settings_api.configure(5, SettingsChangeRequest(
            target_url=receiver.url, throttling=ThrottlingSettings(max_concurrent_requests=5)))
        developer.webhooks.subscriptions_api.create(5, SubscriptionCreateRequest(
            event_type="contact.propertyChange", property_name="firstname", active=True))
        client = HubSpot(access_token=sim.token, host=sim.base_url, base_url=sim.base_url)
        contact = client.crm.contacts.basic_api.create({"properties": {"email": "ann@acme.io", "firstname": "Ann"}})
        sim.clock.advance(seconds=0)  # returns once the send was attempted
        [attempt] = sim.webhooks.deliveries(app_id=5)

    [request] = receiver.received
    uri = f"http://{request.headers['Host']}{request.path}"
    assert Signature.is_valid(request.headers["X-HubSpot-Signature-v3"], "five", request.body.decode(), uri,
                              "POST", "v3", request.headers["X-HubSpot-Request-Timestamp"])
    [event] = request.json()
    assert (event["objectId"], event["propertyName"], event["propertyValue"]) == (int(contact.id), "firstname", "Ann")
    assert (attempt["eventIds"], attempt["status"], attempt["outcome"]) == ([event["eventId"]], 204, "delivered")
