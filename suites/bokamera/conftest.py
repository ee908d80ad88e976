"""BokaMera-specific fixtures: fresh tagged customers, and the other identities the role clauses need."""

from __future__ import annotations

from typing import Any

import pytest

from accord.checks import body_of


@pytest.fixture
def customer(client: Any) -> dict[str, Any]:
    """A customer created for this test alone (tagged, in the ledger, cleaned at the end of the run)."""
    return client.create_ok("scenario")


def identity(target: Any, field: str, what: str) -> Any:
    """A session of another identity of the target (same key, guard and ledger), or not applicable."""
    token = target.credentials.get(field)
    if not token:
        pytest.skip(f"not applicable: set ACCORD_BOKAMERA_{field} to {what}")
    return target.session({"API_KEY": target.credentials["API_KEY"], "TOKEN": token})


@pytest.fixture(scope="module")
def user(target: Any) -> Any:
    """A user of the run's company who is not an administrator."""
    return identity(target, "USER_TOKEN", "a bearer token of a user (not an administrator) of the same company")


@pytest.fixture(scope="module")
def other_admin(target: Any) -> Any:
    """An administrator of another company."""
    return identity(target, "OTHER_COMPANY_TOKEN", "a bearer token of an administrator of another company")


@pytest.fixture(scope="module")
def account_holder(target: Any, client: Any, user: Any) -> str:
    """The id of the user's own customer record (a customer with an account). Only the built-in
    simulator's fixed account may be changed by the run: on a live target no record of a person
    is ever written to, so the checks that need it are not applicable there."""
    if target.kind != "simulator":
        pytest.skip("not applicable: needs a customer with a user account that the run may change "
                    "(only the built-in simulator has one; the run never writes to a live target's record)")
    listed = body_of(client.query(user)).get("Results") or []
    if len(listed) != 1:
        pytest.fail(f"the user's CustomerQuery should list exactly their own record, listed {len(listed)}")
    client.fixtures.add(listed[0]["Id"])
    return listed[0]["Id"]
