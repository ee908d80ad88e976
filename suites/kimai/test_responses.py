"""What holds for every response: JSON content type, JSON error bodies, no crash on bad input."""

from __future__ import annotations

import pytest

from accord.checks import describe, expect_status, is_json_content_type


def sample(client, read_only: bool) -> list:
    """One response of each kind the documented operations give, success and error; reads only
    (of whatever customer is listed first) in a read-only run."""
    absent = client.absent_customer_id()
    reads = [client.list(), client.get(absent), client.list(visible="9")]
    if read_only:
        listed = reads[0].json() if reads[0].status_code == 200 else []
        first = listed[0]["id"] if isinstance(listed, list) and listed and isinstance(listed[0], dict) else None
        return reads + ([client.get(first), client.rates(first)] if first is not None else [])
    customer = client.create_ok(name="sampled")
    return reads + [
        client.get(customer["id"]), client.update(customer["id"], {"comment": "sampled"}),
        client.rates(customer["id"]), client.add_rate(customer["id"], {"rate": 1.0}),
        client.update(customer["id"], {"country": "XYZ"}),
    ]


@pytest.mark.clause("kimai.responses.json-content-type", "kimai.responses.error-body")
def test_bodies_are_json(client, verify, run_state):
    for response in sample(client, run_state.read_only):
        if not response.content:
            continue
        with verify.clause("kimai.responses.json-content-type"):
            assert is_json_content_type(response), (
                f"{describe(response)} answered {response.status_code} with Content-Type "
                f"{response.headers.get('Content-Type')!r}")
        if 400 <= response.status_code < 500:
            with verify.clause("kimai.responses.error-body"):
                try:
                    body = response.json()
                except ValueError:
                    raise AssertionError(f"{describe(response)}: the {response.status_code} body is not JSON: "
                                         f"{response.text[:120]!r}") from None
                assert isinstance(body, dict) and ({"code", "message", "errors"} & set(body)), (
                    f"{describe(response)}: the error body has no code, message or errors: {body!r}")


@pytest.mark.clause("kimai.responses.malformed-json-rejected")
def test_malformed_json_rejected(client):
    broken = b'{"name": "accord-broken'
    response = client.session.post("/api/customers", data=broken, headers={"Content-Type": "application/json"})
    expect_status(response, 400)
