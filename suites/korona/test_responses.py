"""What holds for every response: JSON bodies with a JSON content type, the documented error body
{message, code}, and a 400 (not a crash) for a body that is not JSON."""

from __future__ import annotations

import pytest

from accord.checks import describe, expect_json, is_json_content_type
from accord.vendors.korona.listing import ABOVE_EVERY_REVISION

ERROR_SCHEMAS = {400: "BadRequestError.json", 403: "ForbiddenError.json", 404: "NotFoundError.json",
                 429: "TooManyRequestsError.json"}


def sample(client, kept, read_only: bool) -> list:
    """One response of each kind the documented operations give, success and error; reads only (of
    whatever customer the first page lists) in a read-only run."""
    absent = client.absent_customer_id()
    reads = [client.list(size=1), client.get(absent), client.list(page="0", revision=ABOVE_EVERY_REVISION)]
    if read_only:
        first = reads[0].json().get("results") if reads[0].status_code == 200 else None
        return reads + ([client.get(first[0]["id"])] if first and isinstance(first[0], dict) else [])
    return reads + [
        client.get(kept["id"]), client.update_batch([{"number": kept["number"], "gender": "ZZ-not-allowed"}]),
        client.update(kept["id"], {"gender": "ZZ-not-allowed"}), client.update(absent, {"firstname": "x"}),
        client.delete(absent),
    ]


@pytest.mark.clause("korona.responses.json-content-type", "korona.responses.error-body")
def test_bodies_are_json(client, contract, verify, run_state, request):
    kept = None if run_state.read_only else request.getfixturevalue("kept")
    for response in sample(client, kept, run_state.read_only):
        if not response.content:
            continue
        with verify.clause("korona.responses.json-content-type"):
            assert is_json_content_type(response), (
                f"{describe(response)} answered {response.status_code} with Content-Type "
                f"{response.headers.get('Content-Type')!r}")
        schema = ERROR_SCHEMAS.get(response.status_code)
        if schema is not None:
            with verify.clause("korona.responses.error-body"):
                try:
                    body = response.json()
                except ValueError:
                    raise AssertionError(f"{describe(response)}: the {response.status_code} body is not JSON: "
                                         f"{response.text[:120]!r}") from None
                errors = contract.errors(schema, body)
                assert not errors, f"{describe(response)}: the {response.status_code} body is not a {schema}: {errors[:3]}"


@pytest.mark.clause("korona.responses.malformed-json-rejected")
def test_malformed_json_rejected(client, contract):
    broken = b'[{"lastname": "' + client.tag.encode() + b' broken'
    response = client.session.post(client.path("/accounts/{accountId}/customers"), data=broken,
                                   headers={"Content-Type": "application/json"})
    expect_json(response, 400, contract, "BadRequestError.json")
