"""Writing reports fails soft: each report is written on its own, and one that cannot be is named
on stderr in one line while the others are still written."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

import accord.report as report
from accord.report import render_vendor_html, write_reports

from .factory import exchange


def nested_body(depth: int = 100_000) -> str:
    return "[" * depth + "]" * depth


def with_body(results: dict[str, Any], body: str, content_type: str = "text/plain") -> dict[str, Any]:
    """acme's results with one failing test whose response evidence is ``body``."""
    data = copy.deepcopy(results)
    failing = next(c for c in data["clauses"] if c["verdict"] == "fail")
    failing["tests"][0]["evidence"] = [exchange(response_body=body,
                                                response_headers={"Content-Type": content_type})]
    return data


def test_a_deeply_nested_text_body_renders_as_text(acme):
    page = render_vendor_html(with_body(acme, nested_body()))
    assert "[[[[" in page and "body-text" in page


def test_one_report_that_cannot_be_rendered_costs_only_itself(acme, tmp_path, monkeypatch, capsys):
    def broken(results: dict[str, Any]) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(report, "render_vendor_html", broken)
    failed: list[Path] = []
    written = write_reports([acme], tmp_path, failed=failed)
    names = {path.name for path in written}
    assert names == {"acme.json", "acme.junit.xml", "index.html"}
    assert failed == [tmp_path / "acme.html"] and not (tmp_path / "acme.html").exists()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "acme.html" in err[0] and "RecursionError" in err[0]
    assert not list(tmp_path.glob(".*tmp*")), "a temporary file was left behind"


@pytest.mark.parametrize("which", ["_json_bytes", "render_junit"])
def test_each_writer_fails_on_its_own(acme, tmp_path, monkeypatch, capsys, which):
    monkeypatch.setattr(report, which, lambda results: (_ for _ in ()).throw(MemoryError()))
    written = {path.name for path in write_reports([acme], tmp_path)}
    assert "acme.html" in written and "index.html" in written
    assert len(written) == 3
    assert capsys.readouterr().err.count("\n") == 1


def test_a_report_dir_holding_a_deeply_nested_json_still_gets_an_index(acme, tmp_path):
    (tmp_path / "hostile.json").write_text(nested_body())
    written = {path.name for path in write_reports([acme], tmp_path)}
    assert "index.html" in written
