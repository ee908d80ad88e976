"""Reading KORONA's customer list in a suite: every page of a query, and a look-up by number that
works in both documentation versions (the seed's path look-up, 3.2's number filter)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accord.checks import body_of

ABOVE_EVERY_REVISION = 2 ** 62  # an int64 revision no customer has reached: the query matches nothing


def walk(client: Any, account: str | None = None, **params: Any) -> list[dict[str, Any]]:
    """Every customer the query lists (in ``account``, default the run's), over all its pages (bounded
    by the walker)."""
    pages = client.api.paging.walk(lambda query: client.list(account, **query), params)
    return [c for c in pages if isinstance(c, dict)]


def since(client: Any, revision: int, **params: Any) -> list[dict[str, Any]]:
    """The customers changed after ``revision``: how the suite scopes a list to its own recent records
    on a target that may hold thousands of customers."""
    return walk(client, revision=revision, **params)


def revision_of(customer: dict[str, Any]) -> int | None:
    """A listed customer's revision as a number (a numeric string too: its type is the schema clauses' to judge)."""
    value = customer.get("revision")
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def ids(customers: list[dict[str, Any]]) -> list[Any]:
    return [c.get("id") for c in customers]


def find_by_number(client: Any, number: str, v32: bool) -> list[dict[str, Any]]:
    """The customers with this number: the path look-up in the seed, the number filter from 3.2."""
    if v32:  # the filter's own correctness is the number-filter clause's: keep only exact matches here
        response = client.list(number=number)
        listed = [] if response.status_code == 204 else body_of(response).get("results") or []
        return [c for c in listed if isinstance(c, dict) and c.get("number") == number]
    response = client.get(number)
    return [body_of(response)] if response.status_code == 200 else []


def _instant(value: Any) -> datetime | None:
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def same(sent: Any, got: Any) -> bool:
    """Equal as KORONA may write them back: date-times as the same instant in any notation, objects
    and lists member by member (an object may come back with more members than were sent)."""
    if isinstance(sent, dict):
        return isinstance(got, dict) and all(same(v, got.get(k)) for k, v in sent.items())
    if isinstance(sent, list):
        # cards are a set (uniqueItems): any order
        return isinstance(got, list) and len(sent) == len(got) and all(any(same(a, b) for b in got) for a in sent)
    moment = _instant(sent)
    if moment is not None and _instant(got) is not None:
        return moment == _instant(got)
    return sent == got


def differences(sent: dict[str, Any], got: dict[str, Any]) -> list[str]:
    return [f"{key}: sent {value!r}, got {got.get(key)!r}" for key, value in sent.items() if not same(value, got.get(key))]


def expect_success(response: Any) -> None:
    """Any 2xx: where a change is a check's precondition, its exact status is another clause's business."""
    assert 200 <= response.status_code < 300, (
        f"{response.request.method} {response.request.path_url}: expected a success, got {response.status_code}: "
        f"{response.text[:200]!r}")
