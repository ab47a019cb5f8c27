"""Signatures: HubSpot's test vector, and the official SDK accepting what hubsim signs."""

from __future__ import annotations

import time

import pytest
from hubspot.exceptions import InvalidSignatureTimestampError
from hubspot.utils.signature import Signature

from simulator.webhooks.signing import signature_v1, signature_v2, signature_v3, signed_headers

URL = "https://example.com/webhook"
BODY = b'[{"eventId":1}]'


def test_v3_matches_the_reference_vector():
    # reference/hubspot-api.md section 8, checked against hubspot-api-client 12.0.0
    assert signature_v3("secret", "POST", URL, BODY, 1700000000000) == "KSCF/Tndudt49ZndI8riF2xbfepjJUkNu0mN1cId9wM="


def test_v3_changes_with_every_signed_part():
    base = signature_v3("secret", "POST", URL, BODY, 1700000000000)
    assert signature_v3("other", "POST", URL, BODY, 1700000000000) != base
    assert signature_v3("secret", "PUT", URL, BODY, 1700000000000) != base
    assert signature_v3("secret", "POST", URL + "?a=1", BODY, 1700000000000) != base
    assert signature_v3("secret", "POST", URL, b"[]", 1700000000000) != base
    assert signature_v3("secret", "POST", URL, BODY, 1700000000001) != base


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_v1_and_v2_are_what_the_sdk_computes(version):
    ours = signature_v1("s3cr3t", BODY) if version == "v1" else signature_v2("s3cr3t", "POST", URL, BODY)
    assert Signature.is_valid(ours, "s3cr3t", BODY.decode(), URL, "POST", version)
    assert not Signature.is_valid(ours, "wrong", BODY.decode(), URL, "POST", version)


def test_the_sdk_accepts_signed_headers_stamped_with_wall_time():
    now_ms = int(time.time() * 1000)
    headers = signed_headers("s3cr3t", "POST", URL, BODY, now_ms)
    assert Signature.is_valid(headers["X-HubSpot-Signature-v3"], "s3cr3t", BODY.decode(), URL, "POST", "v3",
                              headers["X-HubSpot-Request-Timestamp"])
    assert Signature.is_valid(headers["X-HubSpot-Signature"], "s3cr3t", BODY.decode(), URL, "POST", "v1")


def test_the_sdk_refuses_a_v3_timestamp_older_than_five_minutes():
    stale = int(time.time() * 1000) - 6 * 60 * 1000
    with pytest.raises(InvalidSignatureTimestampError):
        Signature.is_valid(signature_v3("s", "POST", URL, BODY, stale), "s", BODY.decode(), URL, "POST", "v3",
                           str(stale))


def test_an_app_signs_requests_with_its_secret_for_other_senders(api, portal):
    api.post("/_sim/apps", json={"appId": 42, "clientSecret": "forty-two"})
    headers = portal.webhooks.signature_headers(42, "POST", URL, BODY)
    assert Signature.is_valid(headers["X-HubSpot-Signature-v3"], "forty-two", BODY.decode(), URL, "POST", "v3",
                              headers["X-HubSpot-Request-Timestamp"])
    default = portal.webhooks.signature_headers(7, "POST", URL, BODY)  # never configured: the documented default
    assert Signature.is_valid(default["X-HubSpot-Signature"], "hubsim-client-secret", BODY.decode(), URL, "POST", "v1")
