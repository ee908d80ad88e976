"""Tenant isolation: every path is under /accounts/{accountId}; one account's customers are not
visible, changeable or deletable through another account's path. Needs a second account the API
user can reach (ACCORD_KORONA_OTHER_ACCOUNT_ID); without it these clauses are not applicable."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.korona.listing import ids, walk


@pytest.mark.clause("korona.isolation.list-scoped")
def test_list_scoped_to_account(client, kept, other_account):
    listed = walk(client, account=other_account, revision=kept["revision"] - 1)
    assert kept["id"] not in ids(listed), (
        f"customer {kept['id']} of account {client.context['accountId']} is listed in account {other_account}")


@pytest.mark.clause("korona.isolation.read-other-account-refused")
def test_read_through_other_account(client, kept, other_account, verify, v32):
    refs = [kept["id"]] + ([] if v32 else [kept["number"]])
    for ref in refs:
        with verify.clause("korona.isolation.read-other-account-refused"):
            response = client.get(ref, account=other_account)
            assert response.status_code in ((400, 404) if v32 and ref == kept["number"] else (404,)), (
                f"GET {ref} through account {other_account}: expected 404, got {response.status_code}")
            assert kept["lastname"] not in response.text, "the refusal carries the customer's data"


@pytest.mark.clause("korona.isolation.update-other-account-refused")
def test_update_through_other_account(client, kept, other_account, verify):
    with verify.clause("korona.isolation.update-other-account-refused"):
        expect_status(client.update(kept["id"], {"firstname": "changed elsewhere"}, account=other_account), 404)
    with verify.clause("korona.isolation.update-other-account-refused"):
        response = client.update_batch([{"number": kept["number"], "firstname": "changed elsewhere"}],
                                       account=other_account)
        if response.status_code == 200:
            results = body_of(response)
            assert isinstance(results, list) and len(results) == 1 and results[0].get("status") == "ERROR", (
                f"a batch update through account {other_account} answered {results!r}")
        else:
            expect_status(response, 400, 404)
    with verify.clause("korona.isolation.update-other-account-refused"):
        after = expect_json(client.get(kept["id"]), 200)
        assert after.get("firstname") == kept.get("firstname"), (
            f"the customer was changed through account {other_account}: firstname {after.get('firstname')!r}")


@pytest.mark.clause("korona.isolation.delete-other-account-refused")
def test_delete_through_other_account(client, kept, other_account, verify):
    with verify.clause("korona.isolation.delete-other-account-refused"):
        expect_status(client.delete(kept["id"], account=other_account), 404)
    with verify.clause("korona.isolation.delete-other-account-refused"):
        expect_status(client.get(kept["id"]), 200)
        listed = walk(client, revision=kept["revision"] - 1)
        assert kept["id"] in ids(listed), f"customer {kept['id']} is gone from its own account's list"
