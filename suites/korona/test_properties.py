"""Property tests from the contract: valid batches are accepted entry by entry and round-trip;
invalid entries are reported at their own positions while the valid ones around them are applied.

Valid entries are the documented batches first, then ones generated from CustomerInput.json
(schemathesis' generator). Every entry carries the run tag (lastname) and a tagged number; the
references customerGroup and economicZone are left out, since they must name objects the target's
back office holds. Invalid entries break one rule of CustomerInput.json (accord.mutations), kept
to the rules a Jackson-bound Java service is certain to refuse: an enum value it does not know, a
date-time it cannot parse, and a scalar where an object or array belongs. A number where text or a
boolean belongs is coerced by such a service, null reads as "not set" (doc-issues.yaml
korona.doc.null-values) and unknown keys are ignored (korona.doc.unknown-properties): none of
those is an invalid entry for KORONA.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.checks import expect_json
from accord.mutations import EXTRA_KEY, violations
from accord.vendors.korona.listing import differences

REFERENCES = ("customerGroup", "economicZone")
EMPTY_STRINGS = [{"firstname": "", "company": "", "email": ""}]  # constructed: empty text is text too


def korona_rejects(contract, violation) -> bool:
    if violation.field == EXTRA_KEY or violation.rule == "not nullable" or violation.field in ("number", "lastname"):
        return False
    kind = contract.schemas["CustomerInput.json"]["properties"][violation.field].get("type")
    if violation.rule == "type":
        return kind in ("array", "object") or "$ref" in contract.schemas["CustomerInput.json"]["properties"][violation.field]
    return violation.rule == "enum" or violation.rule.startswith("format")


def tagged(client, entry: dict) -> dict:
    fields = {k: v for k, v in entry.items() if k not in REFERENCES}
    return client.entry(str(fields.get("lastname", "generated")), **{k: v for k, v in fields.items() if k != "number"})


@pytest.mark.clause("korona.customers.create.valid-accepted")
def test_valid_batches_accepted_and_round_trip(client, contract, profile):
    documented = contract.examples("CustomerBatch.json") + [EMPTY_STRINGS]
    entries = contract.strategy("CustomerInput.json", "positive")

    @settings(max_examples=max(1, profile.property_examples // 4))
    @given(batch=st.lists(entries, min_size=1, max_size=2))
    def round_trip(batch):
        sent = [tagged(client, entry) for entry in batch]
        results = expect_json(client.add(sent), 200)
        assert isinstance(results, list) and len(results) == len(sent), f"{len(sent)} entries, results {results!r}"
        statuses = [(r.get("status"), r.get("message")) for r in results if isinstance(r, dict)]
        assert all(status == "OK" for status, _ in statuses), f"valid entries were refused: {statuses}"
        for entry, result in zip(sent, results, strict=True):
            read = expect_json(client.get(result["id"]), 200)
            changed = differences(entry, read)
            assert not changed, "a valid entry did not round-trip: " + "; ".join(changed)

    for batch in reversed(documented):  # hypothesis runs the example applied last first
        round_trip = example(batch=batch)(round_trip)
    round_trip()


@pytest.mark.clause("korona.customers.create.batch-per-entry-results")
def test_invalid_entries_reported_per_entry(client, contract, profile):
    broken = [v for v in violations(contract, "CustomerInput.json") if korona_rejects(contract, v)]
    assert broken, "the contract's CustomerInput has no rule KORONA is certain to enforce"

    @settings(max_examples=max(1, profile.property_examples // 4))
    @given(chosen=st.lists(st.sampled_from(broken), min_size=1, max_size=4, unique_by=repr))
    def reported(chosen):
        invalid = [violation.apply(client.entry(f"invalid {violation.field}")) for violation in chosen]
        batch = [client.entry("valid first"), *invalid, client.entry("valid last")]  # valid, invalid..., valid
        results = expect_json(client.add(batch), 200)
        assert isinstance(results, list) and len(results) == len(batch), f"{len(batch)} entries, results {results!r}"
        expected = ["OK", *["ERROR"] * len(invalid), "OK"]
        statuses = [r.get("status") if isinstance(r, dict) else r for r in results]
        assert statuses == expected, f"entries {[repr(v) for v in chosen]} between valid ones: results {statuses}"
        for index in range(1, len(batch) - 1):
            assert results[index].get("message"), f"the ERROR result at {index} has no message: {results[index]!r}"
        for index in (0, len(batch) - 1):
            read = expect_json(client.get(results[index]["id"]), 200)
            assert read.get("number") == batch[index]["number"], f"the valid entry at {index} reads back as {read!r}"

    reported = example(chosen=broken)(reported)  # every rule in one batch, on every seed
    reported()
