"""API limits (_introduction.md API Limits; every example response of _customers.md carries the headers)."""

from __future__ import annotations

import time

import pytest

from accord.checks import describe

HEADERS = ("X-RateLimit-Minutely-Limit", "X-RateLimit-Minutely-Remaining", "X-RateLimit-Daily-Limit",
           "X-RateLimit-Daily-Remaining", "X-RateLimit-Daily-Reset")
PROBE = {"query": "accord-limit-probe-nothing-matches"}


def header(response, name: str) -> int:
    value = response.headers.get(name)
    assert value is not None and value.strip().isdigit(), f"{describe(response)} ({response.status_code}): {name} is {value!r}"
    return int(value)


def sample(client) -> list:
    absent = client.absent_customer_id()
    return [client.find(**PROBE), client.list(), client.get(absent), client.list(offset="not-a-number")]


@pytest.mark.clause("cyclesoftware.ratelimit.headers")
def test_every_response_carries_the_headers(client, verify):
    for response in sample(client):
        with verify.clause("cyclesoftware.ratelimit.headers"):
            for name in HEADERS:
                header(response, name)


@pytest.mark.clause("cyclesoftware.ratelimit.documented-limits")
def test_documented_limits(client):
    response = client.find(**PROBE)
    assert (header(response, HEADERS[0]), header(response, HEADERS[2])) == (360, 15000), (
        f"Minutely-Limit {response.headers.get(HEADERS[0])}, Daily-Limit {response.headers.get(HEADERS[2])}: "
        "documented 360 and 15000")


@pytest.mark.clause("cyclesoftware.ratelimit.remaining-decreases")
def test_remaining_decreases(client):
    """Other clients of the account may use requests in between, so each step lowers Remaining by one
    or more; the moving minute may free some, so the minute need only fall once in three steps."""
    answers = [client.find(**PROBE) for _ in range(3)]
    daily = [header(r, "X-RateLimit-Daily-Remaining") for r in answers]
    minutely = [header(r, "X-RateLimit-Minutely-Remaining") for r in answers]
    limits = (header(answers[0], "X-RateLimit-Daily-Limit"), header(answers[0], "X-RateLimit-Minutely-Limit"))
    assert daily[0] > daily[1] > daily[2] or daily[2] == 0, f"Daily-Remaining over three requests: {daily}"
    assert any(b < a for a, b in zip(minutely, minutely[1:], strict=False)) or 0 in minutely, (
        f"Minutely-Remaining over three requests: {minutely}")
    assert all(0 <= d <= limits[0] for d in daily) and all(0 <= m <= limits[1] for m in minutely), (
        f"Remaining outside 0..limit: daily {daily}, minutely {minutely}, limits {limits}")


@pytest.mark.clause("cyclesoftware.ratelimit.daily-reset")
def test_daily_reset_is_ahead(client):
    before = time.time()
    reset = header(client.find(**PROBE), "X-RateLimit-Daily-Reset")
    assert before - 5 < reset <= time.time() + 86_400 + 3_600 + 5, (
        f"Daily-Reset {reset} is not within a day after now ({int(before)})")
