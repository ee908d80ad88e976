"""Assertions every suite shares: status, JSON body and schema, each failing with a precise message."""

from __future__ import annotations

from typing import Any

import requests

from accord.contracts import Contract
from accord.errors import TargetError


def describe(response: requests.Response) -> str:
    request = response.request
    return f"{request.method} {request.path_url}"


def excerpt(response: requests.Response, limit: int = 300) -> str:
    text = response.text
    return text if len(text) <= limit else text[:limit] + "…"


def expect_status(response: requests.Response, *statuses: int) -> None:
    assert response.status_code in statuses, (
        f"{describe(response)}: expected status {' or '.join(map(str, statuses))}, "
        f"got {response.status_code}: {excerpt(response)!r}"
    )


def body_of(response: requests.Response) -> Any:
    """The JSON body whatever the content type says; no JSON at all is a TargetError (error verdict)."""
    if not response.content:
        raise TargetError(f"{describe(response)} answered {response.status_code} with an empty body where JSON was promised")
    try:
        return response.json()
    except ValueError:
        kind = response.headers.get("Content-Type", "no content type")
        raise TargetError(
            f"{describe(response)} answered {response.status_code} with a body that is not JSON ({kind}): "
            f"{excerpt(response, 120)!r}"
        ) from None


def expect_schema(contract: Contract, schema: str, instance: Any, what: str) -> None:
    errors = contract.errors(schema, instance)
    assert not errors, f"{what} does not match {schema}: " + "; ".join(errors[:5]) + (
        f" (+{len(errors) - 5} more)" if len(errors) > 5 else "")


def expect_json(response: requests.Response, status: int, contract: Contract | None = None,
                schema: str | None = None) -> Any:
    """Status, then a JSON body valid under ``schema`` (a list of it when schema ends with ``[]``)."""
    expect_status(response, status)
    body = body_of(response)
    if contract is not None and schema is not None:
        if schema.endswith("[]"):
            assert isinstance(body, list), f"{describe(response)}: expected a JSON array, got {type(body).__name__}"
            for index, item in enumerate(body):
                expect_schema(contract, schema[:-2], item, f"{describe(response)} item {index}")
        else:
            expect_schema(contract, schema, body, describe(response))
    return body


def is_json_content_type(response: requests.Response) -> bool:
    kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")
