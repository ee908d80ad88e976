"""Property tests from the contract: generated create forms read back; single broken rules are refused.

Valid forms are the documented examples, then forms generated from CustomerCreateForm (schemathesis'
generator), without the parameters that name the organisation's own reference data (a generated
category or payment type id names nothing on the target: a 404 the scenarios check) and with the
run's reference. Invalid forms break one documented type rule each (accord.mutations): a Boolean,
Double or Integer parameter given text.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json
from accord.mutations import violations
from accord.vendors.valomnia.expect import BOOLEAN_FIELDS, NUMBER_FIELDS, customer_in, expect_error, read_back_differences

FORM = "application/x-www-form-urlencoded"
REFERENCE_DATA = frozenset({"categoryId", "customerSegmentationId", "userId", "paymentTypes", "currency", "regionId",
                            "parentCustomer", "isSubCustomer", "useExternalId", "dueDateConfigType", "billWithParent"})
TYPED = frozenset(BOOLEAN_FIELDS + NUMBER_FIELDS) - REFERENCE_DATA


def own_fields(client, form: dict) -> dict:
    kept = {k: v for k, v in form.items() if k not in REFERENCE_DATA}
    return {**kept, "reference": client.reference("generated"), "name": f"{client.tag} {kept.get('name', '')}".rstrip()}


@pytest.mark.clause("valomnia.customers.create.read-back")
def test_generated_forms_read_back(client, contract, profile):
    documented = contract.examples("CustomerCreateForm.json")
    budget = max(1, profile.property_examples // 3)  # each example costs a create, a read and a delete

    @settings(max_examples=max(1, budget - len(documented)))
    @given(form=contract.strategy("CustomerCreateForm.json", "positive", FORM))
    def round_trip(form):
        form = own_fields(client, form)
        created = client.create(form)
        body = expect_json(created, created.status_code if created.status_code in (200, 201) else 201)
        read = customer_in(client.show(body["id"]))
        problems = read_back_differences(form, read)
        assert not problems, "a valid form did not read back: " + "; ".join(problems)

    for form in reversed(documented):
        round_trip = example(form=form)(round_trip)
    round_trip()


@pytest.mark.clause("valomnia.customers.create.invalid-type-rejected")
def test_wrong_types_refused(client, contract, profile):
    broken = [v for v in violations(contract, "CustomerCreateForm.json", media_type=FORM)
              if v.rule == "type" and v.field in TYPED]
    assert broken, "the contract's CustomerCreateForm has no typed parameter to break"

    @settings(max_examples=max(len(broken), profile.property_examples))
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        form = violation.apply({"reference": client.reference("invalid"), "name": f"{client.tag} invalid {violation.field}"})
        response = client.create(form)
        assert response.status_code == 400, f"{violation!r}, yet POST answered {response.status_code}"
        expect_error(response, 400, "invalid_param_type")

    refused()
