"""From test outcomes to per-clause verdicts: the results document every reporter reads.

Verdict of a clause over its tests: fail beats error beats pass beats skip. A clause with no test
that ran is an error (never silently perfect); skip means "does not apply here" and leaves the
score's denominator, error stays in it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from accord import __version__
from accord.contracts import Contract

RANK = {"fail": 4, "error": 3, "pass": 2, "skip": 1}
FORMAT = "accord-results/1"


@dataclass
class TestRecord:
    """One test's outcome for each clause it names, with the evidence of its failure."""

    nodeid: str
    vendor: str
    outcomes: dict[str, str]  # clause id -> pass | fail | error | skip
    messages: dict[str, str | None]
    duration_s: float
    details: str | None = None
    falsifying_example: str | None = None
    seed: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TestRecord:
        return cls(**data)


def clause_verdict(outcomes: list[str]) -> str:
    if not outcomes:
        return "error"
    return max(outcomes, key=lambda outcome: RANK[outcome])


def score(clauses: list[dict[str, Any]], level: str) -> dict[str, int]:
    of_level = [c for c in clauses if c["level"] == level]
    applicable = [c for c in of_level if c["verdict"] != "skip"]
    passed = [c for c in applicable if c["verdict"] in ("pass", "expected-fail")]
    return {"passed": len(passed), "applicable": len(applicable), "total": len(of_level)}


def build_results(contract: Contract, records: list[TestRecord], run: dict[str, Any],
                  cleanup: dict[str, Any], problems: list[str], title: str,
                  expectations: dict[str, dict[str, Any]] | None = None,
                  not_applicable: dict[str, str] | None = None) -> dict[str, Any]:
    """The results document (accord/report/results.schema.json) of one vendor's run."""
    by_clause: dict[str, list[TestRecord]] = {clause_id: [] for clause_id in contract.clauses}
    for record in records:
        for clause_id in record.outcomes:
            by_clause.setdefault(clause_id, []).append(record)

    clauses = []
    for clause_id, clause in contract.clauses.items():
        tests = [
            {
                "nodeid": r.nodeid, "outcome": r.outcomes[clause_id], "duration_s": round(r.duration_s, 4),
                "message": r.messages.get(clause_id) or (
                    None if r.outcomes[clause_id] == "pass" else "no message"),
                "details": r.details if r.outcomes[clause_id] in ("fail", "error") else None,
                "falsifying_example": r.falsifying_example if r.outcomes[clause_id] == "fail" else None,
                "seed": r.seed,
                "evidence": r.evidence if r.outcomes[clause_id] in ("fail", "error") else [],
            }
            for r in by_clause[clause_id]
        ]
        verdict = clause_verdict([t["outcome"] for t in tests])
        if not tests:
            reason = (not_applicable or {}).get(clause_id)
            verdict = "skip" if reason else verdict
            tests = [{"nodeid": "(none)", "outcome": "skip" if reason else "error", "duration_s": 0.0,
                      "message": reason or "no test ran for this clause in this run", "details": None,
                      "falsifying_example": None, "seed": None, "evidence": []}]
        entry = {
            "id": clause.id, "level": clause.level, "group": clause.group, "section": clause.section,
            "summary": clause.summary, "source": clause.source, "operation": clause.operation,
            "drift": clause.drift, "versions": clause.versions, "verdict": verdict, "expectation": None, "tests": tests,
        }
        if expectations and clause_id in expectations:
            apply_expectation(entry, expectations[clause_id])
        clauses.append(entry)

    verdicts = Counter(c["verdict"] for c in clauses)
    gate = all(c["verdict"] not in ("fail", "error") for c in clauses if c["level"] == "MUST")
    return {
        "format": FORMAT,
        "accord_version": __version__,
        "vendor": {"name": contract.vendor, "title": title, "api_version": str(contract.meta["api_version"])},
        "documentation": contract.documentation(),
        "run": run,
        "summary": {
            "must": score(clauses, "MUST"), "should": score(clauses, "SHOULD"), "may": score(clauses, "MAY"),
            "verdicts": dict(verdicts), "passed": gate,
        },
        "clauses": clauses,
        "cleanup": cleanup,
        "problems": problems,
        "doc_issues": [issue.as_dict() for issue in contract.doc_issues],
    }


def apply_expectation(entry: dict[str, Any], expectation: dict[str, Any]) -> None:
    """A known failure: expected-fail while it fails; flagged when it passes again or has expired."""
    status = expectation.get("status")
    if status == "expired":
        entry["expectation"] = {**expectation}
        return
    if entry["verdict"] in ("fail", "error"):
        entry["verdict"] = "expected-fail"
        entry["expectation"] = {**expectation, "status": "expected-fail"}
    elif entry["verdict"] == "pass":
        entry["expectation"] = {**expectation, "status": "passes-again-remove-it"}
