"""`<vendor>.junit.xml`: one testcase per clause, for CI systems that only read JUnit.

The unit is the clause, not the pytest test: a CI dashboard then lists the documented statements
that do not hold, each failure naming the clause, its level and the doc section to read.
Vendor text may hold characters XML 1.0 forbids; they are stripped so the file always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from .markup import replay_command

_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
DETAILS_MAX = 4000  # a traceback tail is useful in a CI log; a whole one drowns the message


def _x(value: object) -> str:
    return _ILLEGAL.sub("", "" if value is None else str(value))


def render_junit(results: dict[str, Any]) -> bytes:
    """The JUnit XML document (UTF-8 bytes with declaration) for one schema-valid results dict."""
    vendor, run, summary = results["vendor"]["name"], results["run"], results["summary"]
    clauses = results["clauses"]
    counts = {v: sum(1 for c in clauses if c["verdict"] == v) for v in ("fail", "error", "skip")}
    total_time = sum(t["duration_s"] for c in clauses for t in c["tests"])
    attrs = {"name": f"accord.{vendor}", "tests": str(len(clauses)), "failures": str(counts["fail"]),
             "errors": str(counts["error"]), "skipped": str(counts["skip"]), "time": f"{total_time:.3f}"}
    root = ET.Element("testsuites", {k: v for k, v in attrs.items() if k != "name"} | {"name": "accord"})
    suite = ET.SubElement(root, "testsuite", attrs | {"timestamp": _x(run["started_at"])})
    props = ET.SubElement(suite, "properties")
    target = run["target"]
    for name, value in (
        ("must_passed", summary["must"]["passed"]),
        ("must_applicable", summary["must"]["applicable"]),
        ("should_passed", summary["should"]["passed"]),
        ("should_applicable", summary["should"]["applicable"]),
        ("run_id", run["id"]), ("seed", run["seed"]), ("target", f"{target['kind']} {target['base_url']}"),
        ("faults", ",".join(target["faults"])), ("profile", run["profile"]),
        ("read_only", str(run["read_only"]).lower()), ("gate_passed", str(summary["passed"]).lower()),
        ("accord_version", results["accord_version"]),
    ):
        ET.SubElement(props, "property", {"name": name, "value": _x(value)})
    sections = {s["anchor"]: s for s in results["documentation"]["sections"]}
    for clause in clauses:
        _testcase(suite, vendor, clause, sections.get(clause["section"]), results)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _testcase(suite: ET.Element, vendor: str, clause: dict[str, Any], section: dict[str, Any] | None,
              results: dict[str, Any]) -> None:
    case = ET.SubElement(suite, "testcase", {
        "classname": _x(f"accord.{vendor}.{clause['group']}"), "name": _x(clause["id"]),
        "time": f"{sum(t['duration_s'] for t in clause['tests']):.3f}"})
    verdict = clause["verdict"]
    doc = (f"{section['title']} <{section['url']}>" if section
           else f"section {clause['section']!r} (not in the documentation list)")
    if verdict in ("fail", "error"):
        what = "does not hold" if verdict == "fail" else "could not be checked (error)"
        tag = "failure" if verdict == "fail" else "error"
        bad = [t for t in clause["tests"] if t["outcome"] == verdict] or clause["tests"]
        first = next((ln for t in bad for ln in (t.get("message") or "").split("\n") if ln.strip()), "")
        message = f"{clause['id']} [{clause['level']}] {what}; documented in {doc}"
        if first:
            message += f": {first.strip()}"
        node = ET.SubElement(case, tag, {"message": _x(message), "type": verdict})
        node.text = _x(_failure_text(clause, bad, results))
    elif verdict == "skip":
        reasons = "; ".join(dict.fromkeys(t["message"] for t in clause["tests"] if t.get("message")))
        ET.SubElement(case, "skipped", {"message": _x(reasons or "skipped")})
    notes = _expectation_note(clause)
    if notes:
        ET.SubElement(case, "system-out").text = _x(notes)


def _failure_text(clause: dict[str, Any], tests: list[dict[str, Any]], results: dict[str, Any]) -> str:
    lines = [f"{clause['id']} [{clause['level']}]: {clause['summary']}", f"source: {clause['source']}"]
    if clause.get("drift"):
        lines.append(f"documentation drift: {clause['drift']}")
    for t in tests:
        lines += ["", f"{t['nodeid']} ({t['outcome']})"]
        if t.get("message"):
            lines.append(t["message"])
        if t.get("falsifying_example"):
            lines += ["falsifying example:", t["falsifying_example"]]
        if t.get("seed") is not None:
            lines.append(f"replay with: {replay_command(results, t['seed'])}")
        for x in t["evidence"]:
            status = x["status"] if x["status"] is not None else f"no response ({x.get('error') or 'error'})"
            lines += [f"  {x['method']} {x['url']} -> {status}", f"  {x['curl']}"]
        if t.get("details"):
            details = t["details"]
            lines += ["details:", details if len(details) <= DETAILS_MAX else "…" + details[-DETAILS_MAX:]]
    return "\n".join(lines)


def _expectation_note(clause: dict[str, Any]) -> str:
    exp = clause.get("expectation") or {}
    if clause["verdict"] == "expected-fail":
        prefix = "expected failure (counted as passed in JUnit)"
    elif exp.get("status") == "passes-again-remove-it":
        prefix = "passes again: remove its expectation entry"
    elif exp.get("status") == "expired":
        prefix = "its expectation entry has expired"
    else:
        return ""
    bits = [exp.get("reason") or "", f"ticket {exp['ticket']}" if exp.get("ticket") else "",
            f"expires {exp['expires']}" if exp.get("expires") else ""]
    return f"{clause['id']}: {prefix}: " + "; ".join(b for b in bits if b)
