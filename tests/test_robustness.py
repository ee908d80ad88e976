"""A target that stalls, drops connections or answers HTML where JSON was promised gives `error`
verdicts with their evidence, and the run goes on to every other clause."""

from __future__ import annotations

import pytest

FAULTS = {"list-stalls": "kimai.customers.list.returns-collection",
          "rates-reset-connection": "kimai.customers.rates.list-returns-collection",
          "get-answers-html": "kimai.customers.get.returns-entity"}


@pytest.mark.parametrize("transport", ["http", "inprocess"])
def test_broken_answers_are_errors_with_evidence(accord, transport):
    args = [arg for fault in FAULTS for arg in ("--fault", fault)]
    outcome = accord("run", "kimai", "--timeout", "1", "--transport", transport, *args)
    assert outcome.code == 1
    clauses = {c["id"]: c for c in outcome.results("kimai")["clauses"]}
    for fault, clause_id in FAULTS.items():
        if fault == "list-stalls" and transport == "inprocess":
            continue  # no socket, no timeout: the in-process transport waits the stall out
        clause = clauses[clause_id]
        assert clause["verdict"] == "error", (fault, clause["verdict"], clause["tests"][0]["message"])
        broken = [t for t in clause["tests"] if t["outcome"] == "error"]
        assert broken and broken[0]["evidence"], f"{fault}: no evidence kept"
        last = broken[0]["evidence"][-1]
        assert last["error"] or "html" in last["response_headers"].get("Content-Type", ""), last
    assert clauses["kimai.customers.create.returns-entity"]["verdict"] == "pass", "the run did not go on"
    assert clauses["kimai.customers.update.returns-entity"]["verdict"] == "pass"
    assert clauses["kimai.customers.list.order"]["verdict"] == "pass"
