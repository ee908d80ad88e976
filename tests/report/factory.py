"""Synthetic, schema-valid results dicts for the reporters' tests.

`acme_results()` holds every verdict kind, JSON and non-JSON bodies, a long body, a request that
got no response, and hostile vendor text (XSS payloads, XML-illegal characters) in every place a
vendor controls; `bolt_results()` is a second, smaller vendor with partly different clause groups.
"""

from __future__ import annotations

import copy
import json
from typing import Any

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_ATTR = '"><svg onload=alert(2)>'
PAYLOADS = (XSS_IMG, XSS_SCRIPT, XSS_ATTR)
LONG_BODY_ITEMS = 3000


def exchange(method: str = "GET", url: str = "https://api.acme.example/api/customers/1",
             status: int | None = 200, response_body: str | None = '{"id": 1, "name": "ACME"}',
             **extra: Any) -> dict[str, Any]:
    data = {
        "method": method,
        "url": url,
        "request_headers": {"Accept": "application/json", "Authorization": "[REDACTED]"},
        "request_body": None,
        "status": status,
        "response_headers": {"Content-Type": "application/json"} if status is not None else {},
        "response_body": response_body,
        "truncated": False,
        "error": None,
        "elapsed_ms": 12.5,
        "curl": f"curl -X {method} -H 'Authorization: [REDACTED]' '{url}'",
    }
    data.update(extra)
    return data


def make_test(nodeid: str, outcome: str, message: str | None = None, evidence: list | None = None,
               **extra: Any) -> dict[str, Any]:
    data = {"nodeid": nodeid, "outcome": outcome, "duration_s": 0.25, "message": message,
            "details": None, "falsifying_example": None, "seed": None, "evidence": evidence or []}
    data.update(extra)
    return data


def clause(cid: str, level: str, group: str, section: str, verdict: str, tests: list,
           **extra: Any) -> dict[str, Any]:
    data = {"id": cid, "level": level, "group": group, "section": section, "summary": f"{cid} holds",
            "source": f"Docs#{section}", "operation": "GET /api/customers", "drift": None,
            "verdict": verdict, "expectation": None, "tests": tests}
    data.update(extra)
    return data


def summarise(clauses: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary block as accord/results.py computes it: skip is not applicable, error is, and
    an expected failure counts as passed."""
    def score(level: str) -> dict[str, int]:
        mine = [c for c in clauses if c["level"] == level]
        return {"passed": sum(c["verdict"] in ("pass", "expected-fail") for c in mine),
                "applicable": sum(c["verdict"] != "skip" for c in mine), "total": len(mine)}
    verdicts: dict[str, int] = {}
    for c in clauses:
        verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
    gate = not any(c["level"] == "MUST" and c["verdict"] in ("fail", "error") for c in clauses)
    return {"must": score("MUST"), "should": score("SHOULD"), "may": score("MAY"),
            "verdicts": verdicts, "passed": gate}


def results(name: str, title: str, sections: list[dict[str, str]], clauses: list[dict[str, Any]],
            **run_extra: Any) -> dict[str, Any]:
    run = {"id": f"{name}-20250101T120000-ab12", "seed": 4242, "profile": "quick",
           "target": {"kind": "simulator", "base_url": "http://127.0.0.1:50123", "faults": []},
           "started_at": "2025-01-01T12:00:00+00:00", "duration_s": 83.4, "requests": 217,
           "read_only": False, "workers": 1, "expectations": None}
    run.update(run_extra)
    return {
        "format": "accord-results/1", "accord_version": "0.1.0",
        "vendor": {"name": name, "title": title, "api_version": "2.0"},
        "documentation": {"title": f"{title} API", "url": f"https://docs.{name}.example/api",
                          "sections": sections},
        "run": run, "summary": summarise(clauses), "clauses": clauses,
        "cleanup": {"strategy": "delete every record tagged with the run id", "created": 14, "removed": 14,
                    "neutralised": [], "failed": []},
        "problems": [],
    }


def acme_results() -> dict[str, Any]:
    """Every verdict kind, every evidence shape, and vendor text that tries to break out."""
    sections = [
        {"anchor": "create", "title": "Create a customer", "url": "https://docs.acme.example/api#create"},
        {"anchor": "list", "title": f"List customers {XSS_SCRIPT}", "url": "https://docs.acme.example/api#list"},
        {"anchor": "auth", "title": "Authentication", "url": "javascript:alert(3)"},
        {"anchor": "errors", "title": "Errors", "url": "https://docs.acme.example/api#errors"},
    ]
    long_body = json.dumps([{"id": i, "name": f"customer {i}", "email": f"c{i}@acme.example"}
                            for i in range(LONG_BODY_ITEMS)])
    hostile_url = f"https://api.acme.example/api/customers?q={XSS_IMG}"
    fail_evidence = [
        exchange("POST", hostile_url, 500, json.dumps({"error": XSS_SCRIPT, "hint": XSS_IMG}),
                 request_body='{"name": "accord-run-1", "email": "not-an-email"}',
                 response_headers={"Content-Type": "application/json", "X-Evil": XSS_ATTR},
                 curl=f"curl -X POST '{hostile_url}' -d '{{\"name\": \"accord-run-1\"}}'"),
        exchange("GET", "https://api.acme.example/api/customers/9", 200,
                 f"<html><body>{XSS_SCRIPT}{XSS_IMG}</body></html>",
                 response_headers={"Content-Type": "text/html"}),
    ]
    clauses = [
        clause("acme.customer.create.returns-entity", "MUST", "customer.create", "create", "pass",
               [make_test("suites/acme/test_crud.py::test_create", "pass", evidence=[exchange("POST")])],
               summary=f"POST answers 200 with the customer {XSS_IMG}"),
        clause("acme.customer.create.validates-email", "MUST", "customer.create", "create", "fail",
               [make_test("suites/acme/test_crud.py::test_bad_email", "fail",
                           f"expected 400, received 500 {XSS_SCRIPT}\x00\x1b[31m", evidence=fail_evidence,
                           details=f"Traceback (most recent call last):\n  AssertionError {XSS_IMG}",
                           falsifying_example=f"test_bad_email(email='{XSS_ATTR}')", seed=31337),
                make_test("suites/acme/test_crud.py::test_good_email", "pass")],
               drift=f"Kimai 2.x accepts any string {XSS_SCRIPT}"),
        clause("acme.customer.list.paginates", "SHOULD", "customer.list", "list", "error",
               [make_test("suites/acme/test_list.py::test_pages", "error", "ReadTimeout after 10 s",
                           evidence=[exchange("GET", "https://api.acme.example/api/customers?page=2", None,
                                              None, error="ReadTimeout: read timed out (10 s)")])]),
        clause("acme.customer.list.complete", "SHOULD", "customer.list", "list", "fail",
               [make_test("suites/acme/test_list.py::test_all", "fail", "expected 3001 items, received 3000",
                           evidence=[exchange("GET", "https://api.acme.example/api/customers", 200, long_body,
                                              truncated=True)])]),
        clause("acme.auth.rejects-missing-token", "MUST", "auth", "auth", "skip",
               [make_test("suites/acme/test_auth.py::test_no_token", "skip", "read-only run: skipped")]),
        clause("acme.customer.delete.idempotent", "SHOULD", "customer.delete", "errors", "expected-fail",
               [make_test("suites/acme/test_crud.py::test_delete_twice", "fail",
                          "expected 404, received 500")],
               expectation={"reason": f"vendor bug {XSS_IMG}", "ticket": "https://tracker.example/ACME-12",
                            "expires": "2099-01-01", "status": "expected-fail"}),
        clause("acme.errors.problem-json", "MAY", "errors", "errors", "pass",
               [make_test("suites/acme/test_errors.py::test_problem", "pass")],
               expectation={"reason": "was broken", "ticket": None, "expires": None,
                            "status": "passes-again-remove-it"}),
        clause("acme.errors.orphan", "SHOULD", "errors", "undocumented-anchor", "pass",
               [make_test("suites/acme/test_errors.py::test_orphan", "pass")]),
    ]
    data = results("acme", f"Acme CRM {XSS_IMG}", sections, clauses)
    data["doc_issues"] = acme_doc_issues()
    data["problems"] = [f"collection error in suites/acme/test_x.py {XSS_SCRIPT}"]
    data["cleanup"]["neutralised"] = [f"customer 17 renamed to accord-deleted {XSS_IMG}"]
    data["cleanup"]["failed"] = ["customer 18: 403 Forbidden"]
    data["run"]["target"]["faults"] = ["create-500"]
    return data


def acme_doc_issues() -> list[dict[str, Any]]:
    """Known documentation issues as a contract's doc-issues.yaml gives them, hostile in every field;
    the first names a clause in its resolution and in its clauses list."""
    return [
        {"id": f"create-sample-{XSS_ATTR}", "where": f"Create a customer, sample response {XSS_SCRIPT}",
         "says": f"email is optional {XSS_IMG}", "other_place_says": "The field table marks email required",
         "resolution": "The schema requires email; acme.customer.create.validates-email checks it (not acme.customer.x)",
         "clauses": ["acme.customer.create.validates-email"]},
        {"id": "list-order", "where": "List customers", "says": "sorted by name",
         "other_place_says": f"The example is sorted by id {XSS_SCRIPT}", "resolution": f"Order is not checked {XSS_ATTR}",
         "clauses": []},
    ]


def bolt_results() -> dict[str, Any]:
    """A second vendor: all pass but one, and a group acme does not have."""
    sections = [{"anchor": "customers", "title": "Customers", "url": "https://docs.bolt.example/customers"}]
    clauses = [
        clause("bolt.customer.create.ok", "MUST", "customer.create", "customers", "pass",
               [make_test("suites/bolt/test_crud.py::test_create", "pass")]),
        clause("bolt.customer.search.ok", "SHOULD", "customer.search", "customers", "fail",
               [make_test("suites/bolt/test_crud.py::test_search", "fail", "expected 1 hit, received 0")]),
    ]
    return results("bolt", "Bolt Booking", sections, clauses, target={
        "kind": "live", "base_url": "https://sandbox.bolt.example/api/v1", "faults": []})


def copied(data: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(data)
