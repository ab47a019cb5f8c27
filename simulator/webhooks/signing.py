"""HubSpot's request signatures, as its webhooks (and workflow webhook actions) send them.

v1 and v2 go in `X-HubSpot-Signature` with `X-HubSpot-Signature-Version`; v3 goes in `X-HubSpot-Signature-v3` with
`X-HubSpot-Request-Timestamp` (epoch milliseconds of WALL time: a receiver checks it against its own clock and
rejects one older than five minutes). The formulas are HubSpot's "Validating requests" guide; the official SDK's
`hubspot.utils.signature.Signature` computes the same (tests check both against each other and a fixed vector).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping


def signature_v1(secret: str, body: bytes) -> str:
    """hex(SHA-256(client secret + body))."""
    return hashlib.sha256(secret.encode() + body).hexdigest()


def signature_v2(secret: str, method: str, uri: str, body: bytes) -> str:
    """hex(SHA-256(client secret + method + URI + body))."""
    return hashlib.sha256(secret.encode() + method.encode() + uri.encode() + body).hexdigest()


def signature_v3(secret: str, method: str, uri: str, body: bytes, timestamp_ms: int) -> str:
    """base64(HMAC-SHA256(key = client secret, message = method + URI + body + timestamp))."""
    message = method.encode() + uri.encode() + body + str(timestamp_ms).encode()
    return base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()


def signed_headers(secret: str, method: str, uri: str, body: bytes, timestamp_ms: int) -> Mapping[str, str]:
    """The headers HubSpot puts on a webhook request: the v3 signature and, for older receivers, v1."""
    return {
        "Content-Type": "application/json",
        "X-HubSpot-Signature-v3": signature_v3(secret, method, uri, body, timestamp_ms),
        "X-HubSpot-Request-Timestamp": str(timestamp_ms),
        "X-HubSpot-Signature": signature_v1(secret, body),
        "X-HubSpot-Signature-Version": "v1",
    }
