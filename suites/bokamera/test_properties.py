"""Property tests from the contract: valid UpdateCustomer bodies round-trip, invalid ones are refused.

Valid bodies are the documented sample first, then ones generated from the UpdateCustomer schema up
to the profile's budget; invalid ones break one of its rules (accord.mutations). Every body keeps the
run tag in Lastname and goes to a customer the run created.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json
from accord.mutations import violations

PERSON = ("Firstname", "Phone", "Email")


def bokamera_rejects(violation) -> bool:
    """What a ServiceStack service cannot bind: text for a number or bool, a malformed Guid, an object
    or list where a scalar belongs, a scalar where a list belongs, null for a string (the contract's
    reading, doc-issues string-nullability-between-languages). A number for a string is bound as its
    text by ServiceStack.Text, and an unknown name is ignored: neither is an error."""
    if violation.field in ("Id", "Lastname") or violation.rule == "additionalProperties false":
        return False
    if violation.rule == "type" and isinstance(violation.value, int | float):
        return violation.field not in PERSON  # a number where text belongs binds as text
    if violation.rule == "not nullable":
        return violation.field in PERSON
    return violation.rule in ("type", "format uuid")


def valid(body: dict, tag_lastname: str) -> dict:
    """The body on the run's customer: the tag kept, custom fields and key deletes left to their scenarios."""
    drop = ("Id", "CompanyId", "CustomFields", "AccessKeysToDelete", "AccessKeys")
    return {**{k: v for k, v in body.items() if k not in drop}, "Lastname": tag_lastname}


@pytest.mark.clause("bokamera.responses.any.schema-conformance")
def test_valid_updates_round_trip(client, customer, contract, profile):
    documented = contract.examples("UpdateCustomer.json")

    @settings(max_examples=max(1, profile.property_examples - len(documented)), suppress_health_check=list(HealthCheck))
    @given(body=contract.strategy("UpdateCustomer.json", "positive"))
    def round_trip(body):
        sent = valid(body, customer["Lastname"])
        answer = expect_json(client.update(customer["Id"], sent), 200, contract, "CustomerQueryResponse.json")
        changed = {k: answer.get(k) for k in ("Firstname", "Phone", "Email") if k in sent
                   and answer.get(k) != sent[k]}
        assert not changed, f"the answer differs from the valid body sent: {changed}"

    for body in reversed(documented):
        round_trip = example(body=body)(round_trip)
    round_trip()


@pytest.mark.clause("bokamera.requests.any.invalid-type-rejected")
def test_invalid_updates_rejected(client, customer, contract, profile):
    broken = [v for v in violations(contract, "UpdateCustomer.json") if bokamera_rejects(v)]
    assert broken, "the contract's UpdateCustomer has no rule to break"

    @settings(max_examples=profile.property_examples, suppress_health_check=list(HealthCheck))
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        response = client.update(customer["Id"], violation.apply({"Firstname": "Invalid probe"}))
        assert response.status_code == 400, f"{violation!r}, yet PUT answered {response.status_code}"

    refused()
    assert (client.read(customer["Id"]) or {}).get("Firstname") != "Invalid probe", "a refused update was stored"
