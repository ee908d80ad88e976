"""Content negotiation as the page documents it (Accept, ?format=, a .suffix) and ServiceStack's ?jsconfig."""

from __future__ import annotations

import json

import pytest

from accord.checks import expect_status


def kind_of(response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


def json_lines(response) -> list:
    return [json.loads(line) for line in response.text.splitlines() if line.strip()]


def is_json(response) -> None:
    expect_status(response, 200)
    assert kind_of(response) == "application/json", f"expected Content-Type application/json, got {kind_of(response)!r}"
    assert isinstance(response.json(), dict), "the JSON answer is not an object"


def is_jsonl(response, rows: int | None = None) -> None:
    expect_status(response, 200)
    assert kind_of(response) == "text/jsonl", f"expected Content-Type text/jsonl, got {kind_of(response)!r}"
    lines = json_lines(response)
    assert all(isinstance(line, dict) for line in lines), "a JSON Lines answer holds a line that is not an object"
    if rows is not None:
        assert len(lines) == rows, f"expected {rows} line(s), one per result; got {len(lines)}"


@pytest.fixture(scope="module")
def mine(client, run_state):
    """A query that lists one customer of the run's own; in a read-only run, the first customer there is."""
    if run_state.read_only:
        return {"Take": 1}
    created = client.create_ok("content")
    return {"CustomerId": created["Id"]}


@pytest.mark.clause("bokamera.content.any.jsonl")
def test_accept_jsonl(client, mine, verify, run_state):
    rows = None if run_state.read_only else 1
    with verify.clause("bokamera.content.any.jsonl"):
        is_jsonl(client.session.get("/customers", params=mine, headers={"Accept": "text/jsonl"}), rows=rows)
    if run_state.read_only:
        return
    with verify.clause("bokamera.content.any.jsonl"):
        response = client.session.put(f"/customers/{mine['CustomerId']}", json={"Firstname": "Lines"},
                                      headers={"Accept": "text/jsonl"})
        is_jsonl(response, rows=1)


@pytest.mark.clause("bokamera.content.any.json")
def test_json(client, mine, verify):
    for accept in ("application/json", None):
        with verify.clause("bokamera.content.any.json"):
            is_json(client.session.get("/customers", params=mine, headers={"Accept": accept} if accept else {}))


@pytest.mark.clause("bokamera.content.any.format-query")
def test_format_query_wins_over_accept(client, mine, verify):
    with verify.clause("bokamera.content.any.format-query"):
        is_json(client.session.get("/customers", params={**mine, "format": "json"}, headers={"Accept": "text/jsonl"}))
    with verify.clause("bokamera.content.any.format-query"):
        is_jsonl(client.session.get("/customers", params={**mine, "format": "jsonl"}, headers={"Accept": "application/json"}))


@pytest.mark.clause("bokamera.content.any.format-suffix")
def test_format_suffix(client, mine, verify):
    with verify.clause("bokamera.content.any.format-suffix"):
        is_json(client.session.get("/customers.json", params=mine, headers={"Accept": "text/jsonl"}))
    with verify.clause("bokamera.content.any.format-suffix"):
        is_jsonl(client.session.get("/customers.jsonl", params=mine))


@pytest.mark.clause("bokamera.content.any.jsconfig-text-case")
def test_jsconfig_camel_case(client, mine):
    response = client.session.get("/customers", params={**mine, "jsconfig": "TextCase:CamelCase"})
    is_json(response)
    body = response.json()
    assert "results" in body and "Results" not in body, f"expected camelCase names, got {sorted(body)}"
    for first in (body.get("results") or [])[:1]:
        assert "id" in first and "Id" not in first, f"a result's names are not camelCase: {sorted(first)}"
