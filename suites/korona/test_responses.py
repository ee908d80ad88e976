"""What holds for every response: JSON bodies with a JSON content type, the documented error body
{message, code}, and a 400 (not a crash) for a body that is not JSON."""

from __future__ import annotations

import re
from functools import cache

import pytest
import yaml

from accord.checks import describe, expect_status, is_json_content_type
from accord.contracts import load_contract
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
def test_sampled_responses(client, contract, verify, run_state, request):
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
    expect_status(response, 400)


@cache
def documented_statuses() -> list[tuple[str, re.Pattern[str], set[int]]]:
    """(method, path pattern, statuses) of every operation in contracts/korona/openapi.yaml."""
    spec = yaml.safe_load(load_contract("korona").openapi_path.read_text())
    found = []
    for template, item in spec["paths"].items():
        pattern = re.compile(re.sub(r"\\{\w+\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                found.append((method.upper(), pattern, {int(code) for code in operation["responses"] if code.isdigit()}))
    return found


def documented(response) -> set[int] | None:
    path = response.request.path_url.split("?")[0]
    return next((codes for method, pattern, codes in documented_statuses()
                 if method == response.request.method and pattern.search(path)), None)


@pytest.mark.clause("korona.responses.documented-status")
def test_statuses_of_changes_documented(client, verify):
    """The statuses of real changes (an update and a delete of a customer that exists), which the
    fuzzing's cases, pointed at ids proved absent, do not reach."""
    gone = client.create_ok("status sample")
    for response in (client.update(gone["id"], {"firstname": "sampled"}), client.delete(gone["id"])):
        with verify.clause("korona.responses.documented-status"):
            codes = documented(response)
            assert codes is not None and response.status_code in codes, (
                f"{describe(response)} answered {response.status_code}; documented: {sorted(codes or [])}")


# Query values at the edges of what getCustomers documents; each must be answered, never with a 5xx.
EDGE_QUERIES = [{"sort": ""}, {"sort": "lastname,"}, {"includeDeleted": ""}, {"page": str(2 ** 31)},
                {"revision": str(2 ** 63)}]


@pytest.mark.clause("korona.responses.no-server-error")
def test_edge_queries_answered(client, verify):
    for params in EDGE_QUERIES:
        with verify.clause("korona.responses.no-server-error"):
            response = client.list(**{"revision": ABOVE_EVERY_REVISION, **params})
            assert response.status_code < 500, f"{describe(response)} answered {response.status_code}"
