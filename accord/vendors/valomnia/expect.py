"""What Valomnia's answers must hold, as small assertions the suite shares.

A documented failure is checked by status and, where the answer carries Valomnia's envelope, by its
``error`` code; whether every failure carries the envelope at all is one clause of its own
(valomnia.responses.error-envelope), so a broken envelope fails that clause and not every other.
"""

from __future__ import annotations

import re
from typing import Any

import requests

from accord.checks import body_of, describe, expect_status

JAVA_TRIM = "".join(map(chr, range(0x21)))  # String.trim(): Grails trims every bound parameter
TEXT_FIELDS = ("reference", "reference2", "name", "barcode", "billingCountry", "billingCity", "billingPostalCode",
               "billingAddress", "country", "city", "postalCode", "address", "email", "phone", "mobile", "fax",
               "comment", "website", "taxNumber", "companyRegistrationNumber", "customerRisk", "customerRiskColor",
               "onHoldReason", "currency")
BOOLEAN_FIELDS = ("isActive", "isSubCustomer", "billWithParent", "isSameAddress", "onHold")
NUMBER_FIELDS = ("billingLat", "billingLng", "latitude", "longitude", "creditLimit", "dueDateConfigNumber")
REFUSED = (401, 403, 302, 301, 303, 307)  # the documented session check: refused, or sent to the login


def expect_error(response: requests.Response, status: int, code: str) -> dict[str, Any]:
    """The documented failure: ``status`` and, where the answer has an ``error`` field, ``code``."""
    expect_status(response, status)
    body = body_of(response)
    if isinstance(body, dict) and "error" in body:
        assert body["error"] == code, f"{describe(response)}: expected error {code!r}, got {body['error']!r}: {body!r}"
    return body if isinstance(body, dict) else {}


def customer_in(response: requests.Response, *statuses: int) -> dict[str, Any]:
    """The customer an answer carries, for checks of what it holds: the status among ``statuses``
    (200 by default), a ``{"data": {...}}`` wrapper looked through. The exact status and shape are
    the clauses of the operation itself (show.by-id, update.by-id, schema-conformance)."""
    expect_status(response, *(statuses or (200,)))
    body = body_of(response)
    if isinstance(body, dict) and set(body) == {"data"} and isinstance(body["data"], dict):
        body = body["data"]
    assert isinstance(body, dict), f"{describe(response)}: the answer is not a customer: {body!r}"
    return body


def ids_of(page: Any) -> list[Any]:
    data = page.get("data") if isinstance(page, dict) else page
    return [item.get("id") for item in data or [] if isinstance(item, dict)]


def expected_text(value: Any) -> str | None:
    text = str(value).strip(JAVA_TRIM)
    return text or None


def read_back_differences(sent: dict[str, Any], received: dict[str, Any]) -> list[str]:
    """Fields whose value reads back otherwise than Valomnia stores it: trimmed text (blank is null),
    true/false booleans, numbers as numbers (a number sent as text is the schema clause's concern)."""
    found = []
    for name, value in sent.items():
        got = received.get(name)
        if name in TEXT_FIELDS:
            ok = expected_text(value) == got
        elif name in BOOLEAN_FIELDS:
            ok = (str(value).lower() == "true") == got and isinstance(got, bool)
        elif name in NUMBER_FIELDS:
            try:
                ok = got is not None and abs(float(value) - float(got)) <= 1e-9 * max(1.0, abs(float(value)))
            except (TypeError, ValueError):
                ok = False
        else:
            continue
        if not ok:
            found.append(f"{name}: sent {value!r}, got {got!r}")
    return found


def wildcard_matches(pattern: str, value: str | None) -> bool:
    """The documented wildcard: ``*`` at either end of the value, compared without regard to case."""
    if value is None:
        return False
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, value, re.I) is not None


def refused_without_data(response: requests.Response) -> None:
    assert response.status_code in REFUSED, (
        f"{describe(response)} without a valid session: expected 401, 403 or a redirect to the login, "
        f"got {response.status_code}")
    assert '"data"' not in response.text and '"reference"' not in response.text, (
        f"{describe(response)}: the refusal carries customer data")
