"""The 429 once a limit is reached (_introduction.md API Limits), checked last in the run.

Proving it spends the rest of the account's minute (up to 360 requests, however many the run left),
so it is opt-in (``ACCORD_CYCLESOFTWARE_EXHAUST_LIMIT=yes``): on a shared account every other
integration would then wait for up to a minute. The built-in simulator's settings opt in. The
conftest places it after every other check, so nothing of the run meets the 429s it provokes
(clean-up sends no request: nothing can be deleted).
"""

from __future__ import annotations

import time

import pytest

from accord.http import RateLimit

MAX_REQUESTS = 400  # the documented minute (360) and some slack for requests other clients make
MINUTE_S = 60.0


@pytest.mark.clause("cyclesoftware.ratelimit.limit-enforced")
def test_limit_enforced(target, client):
    if target.settings.get("EXHAUST_LIMIT") != "yes":
        pytest.skip("not applicable: set ACCORD_CYCLESOFTWARE_EXHAUST_LIMIT=yes to let the run spend the minute's limit")
    session = target.session()
    session.limiter.limit = RateLimit()  # this check must reach the limit, not keep under it
    session.limiter.observe = lambda response: None
    session.max_429_retries = 0  # the 429 is the answer under test, not one to wait out
    # the cheapest request there is: one customer, proved absent (every request counts, a 404 too)
    probe = f"/api/v1/customers/{client.absent_id('customer')}.json"
    started = time.monotonic()
    for _ in range(MAX_REQUESTS):
        response = session.get(probe)
        if response.status_code == 429 or response.headers.get("X-RateLimit-Minutely-Remaining", "").strip() == "0":
            break
    else:
        spent = time.monotonic() - started
        if spent > MINUTE_S:  # the moving minute let requests go before the last ones were sent
            pytest.skip(f"not applicable: {MAX_REQUESTS} requests took {spent:.0f} s, longer than the minute the limit "
                        "counts, so this target answers too slowly to reach it")
        pytest.fail(f"{MAX_REQUESTS} requests within {spent:.0f} s neither brought Minutely-Remaining to 0 nor answered 429")
    after = session.get(probe)
    assert after.status_code == 429, f"with Minutely-Remaining at 0, the next request answered {after.status_code}, not 429"
    assert after.headers.get("Content-Type", "").startswith("application/json") and b'"error"' in after.content, (
        f"the 429 lacks the JSON error body: {after.text[:200]!r}")
