"""Property tests from the contract's CustomerWrite schema: valid bodies round-trip, invalid ones are refused.

Valid bodies go to the one customer the update checks own (PUT), never to new customers: nothing a
run creates can be deleted (no delete is documented), so generated creates would each leave a
customer behind. Invalid bodies break exactly one documented rule each (accord.mutations); a
correct target refuses them, so the invalid creates create nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json
from accord.mutations import Violation, violations
from accord.vendors.cyclesoftware.scenarios import differences

# What the docs make certain a correct target refuses (clauses *.invalid-rejected): null or a number
# for a string (only ?T may be null, _introduction.md API Types), a customer type outside the enum,
# a string discount. The name keeps the run tag, so it is left to the scenarios.
STRING_DISCOUNT = Violation("discount_percentage", "10.00", "type")


def refused_by_docs(violation: Violation) -> bool:
    if violation.field in ("name", "phone_numbers", "discount_percentage"):
        return False
    return violation.rule == "enum" or (violation.rule in ("type", "not nullable")
                                        and (violation.value is None or isinstance(violation.value, int)))


def broken_bodies(contract) -> list[Violation]:
    return [v for v in violations(contract, "CustomerWrite.json") if refused_by_docs(v)] + [STRING_DISCOUNT]


@pytest.mark.clause("cyclesoftware.customers.update.persists")
def test_valid_bodies_round_trip(client, contract, profile, mutable):
    """The documented update request first (every seed), then generated bodies up to the budget."""
    customer_id = mutable.customer["customer_id"]
    documented = [{k: v for k, v in body.items() if k not in ("customer_id", "datetime_created")}
                  for body in contract.examples("CustomerWrite.json")[1:]]  # the update request

    @settings(max_examples=max(1, profile.property_examples - len(documented)))
    @given(body=contract.strategy("CustomerWrite.json", "positive"))
    def round_trip(body):
        body = {k: v for k, v in body.items() if k != "phone_numbers"}  # entries merge by id: read_back checks them
        body["name"] = client.tagged(str(body.get("name", "")))
        expect_json(client.update(customer_id, body), 200)
        read = expect_json(client.get(customer_id), 200)
        changed = differences(body, read)
        assert not changed, "a valid PUT body did not round-trip: " + "; ".join(changed)

    for body in reversed(documented):
        round_trip = example(body=body)(round_trip)
    round_trip()


@pytest.mark.clause("cyclesoftware.customers.create.invalid-rejected")
def test_invalid_creates_rejected(client, contract, profile):
    broken = broken_bodies(contract)

    @settings(max_examples=profile.property_examples)
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        response = client.create(violation.apply({"name": client.tagged(f"invalid {violation.field}")}))
        assert response.status_code == 400, f"{violation!r}, yet POST answered {response.status_code}"
        expect_json(response, 400, contract, "Error.json")

    for violation in (STRING_DISCOUNT, broken[0]):  # the enum and the string discount on every seed
        refused = example(violation=violation)(refused)
    refused()


@pytest.mark.clause("cyclesoftware.customers.update.invalid-rejected")
def test_invalid_updates_rejected(client, contract, profile, mutable):
    customer_id = mutable.customer["customer_id"]
    broken = broken_bodies(contract)

    before = expect_json(client.get(customer_id), 200)

    @settings(max_examples=max(1, profile.property_examples // 2))
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        response = client.update(customer_id, violation.apply({}))
        assert response.status_code == 400, f"{violation!r}, yet PUT answered {response.status_code}"
        expect_json(response, 400, contract, "Error.json")
        after = expect_json(client.get(customer_id), 200)
        assert after.get(violation.field) == before.get(violation.field), (
            f"the refused PUT changed {violation.field}: {before.get(violation.field)!r} -> {after.get(violation.field)!r}")

    for violation in (STRING_DISCOUNT, broken[0]):
        refused = example(violation=violation)(refused)
    refused()
