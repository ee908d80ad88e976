"""index.html combines every results file present: vendors × clause groups, each cell coloured."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from accord.report import render_index_html

from .factory import XSS_IMG


def cells(doc: str, vendor_link: str) -> list[tuple[str, str]]:
    row = re.search(rf'<tr><th scope="row" class="vcol"><a href="{vendor_link}">.*?</tr>', doc).group(0)
    return re.findall(r'<td class="cell cell-([a-z-]+)"[^>]*>([^<]*)</td>', row)


def test_index_combines_runs_written_separately(report_dir: Path) -> None:
    doc = (report_dir / "index.html").read_text(encoding="utf-8")
    assert 'href="acme.html"' in doc and 'href="bolt.html"' in doc
    groups = re.findall(r'<th scope="col" class="grp">(.*?)</th>', doc)
    assert [g.replace("<wbr>", "") for g in groups] == ["auth", "customer.create", "customer.delete",
                                                         "customer.list", "customer.search", "errors"]
    assert cells(doc, "acme.html") == [("skip", "0/0"), ("fail", "1/2"), ("expected-fail", "1/1"),
                                       ("fail", "0/2"), ("none", "—"), ("pass", "2/2")]
    assert cells(doc, "bolt.html") == [("none", "—"), ("pass", "1/1"), ("none", "—"), ("none", "—"),
                                       ("fail", "0/1"), ("none", "—")]
    assert "acme-20250101T120000-ab12" in doc and "bolt-20250101T120000-ab12" in doc


def test_index_scores_and_shading(report_dir: Path) -> None:
    doc = (report_dir / "index.html").read_text(encoding="utf-8")
    assert doc.count('score-label">MUST<') == 2 and doc.count('score-label">SHOULD<') == 2
    assert 'style="--ratio:50.0%"' in doc and 'style="--ratio:100.0%"' in doc


def test_index_escapes_vendor_text(acme: dict[str, Any], bolt: dict[str, Any]) -> None:
    acme["clauses"][0]["group"] = f"grp{XSS_IMG}"
    acme["run"]["id"] = XSS_IMG
    doc = render_index_html([acme, bolt])
    assert XSS_IMG not in doc and "<img" not in doc and "<script" not in doc
    assert html.escape(XSS_IMG) in doc
    assert "script-src 'none'" in doc


def test_empty_directory_index(tmp_path: Path) -> None:
    assert "No accord results" in render_index_html([])
