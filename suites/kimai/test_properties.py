"""Property tests: generated edit forms, valid ones round-trip and invalid ones are refused.

Valid forms are the contract's documented examples, then ones generated from its CustomerEditForm
schema (schemathesis' generator) up to the profile's budget; invalid
ones break exactly one of its rules (accord.mutations). Every created customer carries the run
tag and is removed at the end of the run.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json
from accord.mutations import violations
from accord.vendors.kimai.era import not_on_create, unchecked
from accord.vendors.kimai.forms import ambiguous_duration, stored, submitted

# YesNoType: any value but its false values turns a boolean true, so a wrong type there is not an error.
LENIENT = frozenset({"visible", "billable"})


def same(field, sent, received, version) -> bool:
    expected = stored(field, sent, version)
    if isinstance(expected, float) and isinstance(received, int | float) and not isinstance(received, bool):
        return abs(expected - received) < 0.005
    return expected == submitted(received)


def kimai_rejects(violation, version) -> bool:
    """Kimai's forms read every JSON scalar as a string, so a number where text belongs is no error;
    rules the target's release does not enforce yet are no error either (era.unchecked); null is
    certain to be refused only where a NotBlank constraint stands (the name), and the name's other
    rules are left to the scenarios, so every generated body keeps the run tag."""
    if violation.field == "name":
        return violation.rule in ("required", "not nullable")
    if violation.rule == "not nullable":
        return False
    if violation.rule == "type" and isinstance(violation.value, int | float | str):
        return False
    return violation.rule.split(" ")[0] not in unchecked(version).get(violation.field, ())


def for_release(form: dict, version) -> dict:
    """The form as this release takes it on create: without the fields it refuses as extra
    (era.not_on_create: address since 2.41, the newer fields before their release), and without a
    decimal timeBudget whose whole second depends on float rounding (forms.ambiguous_duration)."""
    dropped = not_on_create(version)
    form = {k: v for k, v in form.items() if k not in dropped}
    if ambiguous_duration(form.get("timeBudget")):
        form.pop("timeBudget")
    return form


@pytest.mark.clause("kimai.customers.create.valid-forms-accepted")
def test_valid_forms_accepted_and_round_trip(client, contract, profile, version):
    """The documented forms first (all of them, every seed), then generated ones up to the budget,
    each as the target's release takes it (for_release); timeBudget is compared as that release
    rounds decimal hours (truncated up to 2.63, half away from zero since 2.64)."""
    forms = contract.strategy("CustomerEditForm.json", "positive")
    documented = contract.examples("CustomerEditForm.json")
    serial = itertools.count(1)

    @settings(max_examples=max(1, profile.property_examples - len(documented)))
    @given(form=forms)
    def round_trip(form):
        form = {**for_release(form, version), "name": client.tagged(str(form.get("name", "")))}
        if form.get("number"):  # numbers are unique per Kimai instance: keep generated ones apart
            form["number"] = f"{next(serial)}-{form['number']}"[:50]
        created = expect_json(client.create(form), 200)  # the entity as saved; reading it back is read-back's clause
        changed = [f"{k}: sent {v!r}, answered {created.get(k)!r}" for k, v in form.items()
                   if not same(k, v, created.get(k), version)]
        assert not changed, "a valid form did not round-trip: " + "; ".join(changed)

    for form in reversed(documented):  # hypothesis runs the example applied last first
        round_trip = example(form=form)(round_trip)
    round_trip()


@pytest.mark.clause("kimai.customers.create.invalid-forms-rejected")
def test_invalid_forms_rejected(client, contract, profile, version):
    candidates = violations(contract, "CustomerEditForm.json", exclude=LENIENT)
    broken = [v for v in candidates if kimai_rejects(v, version)]
    assert broken, "the contract's CustomerEditForm has no rule to break"

    @settings(max_examples=profile.property_examples)
    @given(violation=st.sampled_from(broken))
    def refused(violation):
        name = client.tagged(f"invalid {violation.field}")
        response = client.create(violation.apply({"name": name}), untagged=violation.field == "name")
        assert response.status_code == 400, (
            f"{violation!r}, yet POST answered {response.status_code}")
        expect_json(response, 400, contract, "ValidationError.json")

    refused()
