"""Reports of real runs: a vendor answering with markup stays text in a real browser, and known
failures (expectations) keep a CI gate green until they pass again or expire."""

from __future__ import annotations

import datetime as dt

from .report.test_report_browser import Watched, browser, need, screenshot, shots  # noqa: F401 - fixtures

MARKUP = "<img src=x onerror=alert(1)>"


def test_vendor_markup_is_shown_as_text_and_never_runs(accord, browser, shots):  # noqa: F811
    outcome = accord("run", "kimai", "--fault", "markup-in-name", "--fault", "patch-replaces")
    assert outcome.code == 1
    html = (outcome.report_dir / "kimai.html").read_text()
    assert MARKUP not in html and "<script>alert('accord')</script>" not in html
    watched = Watched(need(browser))
    page = watched.open(outcome.report_dir / "kimai.html")
    clause = page.locator("article[id='clause-kimai.customers.create.read-back']")
    assert clause.get_attribute("data-verdict") == "fail"
    clause.locator("details").first.evaluate("d => d.open = true")
    for details in clause.locator("details").all():
        details.evaluate("d => d.open = true")
    assert MARKUP in clause.inner_text(), "the vendor's markup should be visible as text"
    assert page.locator("img[src=x]").count() == 0
    screenshot(page, shots / "kimai-markup-fault.png")
    assert watched.problems == [], watched.problems
    index = watched.open(outcome.report_dir / "index.html")
    screenshot(index, shots / "kimai-index.png")
    assert watched.problems == []
    watched.context.close()


def expectations(tmp_path, entries: str):
    path = tmp_path / "expectations.yml"
    path.write_text(entries)
    return str(path)


def test_known_failure_keeps_the_gate_green(accord, tmp_path):
    known = expectations(tmp_path, """
- clause: kimai.customers.update.partial-merge
  reason: PATCH replaces the customer (vendor ticket open)
  ticket: https://tracker.example/ISSUE-1
  expires: 2999-01-01
- clause: kimai.customers.list.order
  reason: listed by mistake; this clause passes
""")
    outcome = accord("run", "kimai", "--fault", "patch-replaces", "--expectations", known)
    clauses = {c["id"]: c for c in outcome.results("kimai")["clauses"]}
    merge = clauses["kimai.customers.update.partial-merge"]
    assert merge["verdict"] == "expected-fail" and merge["expectation"]["ticket"] == "https://tracker.example/ISSUE-1"
    assert clauses["kimai.customers.list.order"]["expectation"]["status"] == "passes-again-remove-it"
    others = {cid for cid, c in clauses.items() if c["verdict"] in ("fail", "error")}
    assert outcome.code == (1 if others else 0), others


def test_an_expired_expectation_fails_again(accord, tmp_path):
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    expired = expectations(tmp_path, f"""
- clause: kimai.customers.update.partial-merge
  reason: was to be fixed by yesterday
  expires: {yesterday}
""")
    outcome = accord("run", "kimai", "--fault", "patch-replaces", "--expectations", expired)
    merge = {c["id"]: c for c in outcome.results("kimai")["clauses"]}["kimai.customers.update.partial-merge"]
    assert merge["verdict"] == "fail" and merge["expectation"]["status"] == "expired"
    assert outcome.code == 1
