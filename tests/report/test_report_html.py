"""The vendor HTML report: complete without JS, self-contained, and every vendor string inert."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from accord.report import render_vendor_html
from accord.report.markup import asset

from .factory import LONG_BODY_ITEMS, PAYLOADS, XSS_IMG, XSS_SCRIPT


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(doc: str) -> Elements:
    parser = Elements()
    parser.feed(doc)
    return parser


def test_vendor_payloads_are_text_never_markup(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    for payload in PAYLOADS:
        assert payload not in doc
        assert html.escape(payload, quote=True) in doc
    assert "<script>alert" not in doc and "<img" not in doc and "<svg" not in doc
    found = parse(doc)
    assert {tag for tag, _ in found.tags}.isdisjoint({"img", "svg", "iframe", "object", "embed", "link"})
    handlers = [(tag, name) for tag, attrs in found.tags for name in attrs if name.startswith("on")]
    assert handlers == []
    assert found.scripts == [asset("report.js")], "the only script is accord's own"


def test_only_http_links_and_no_external_resources(acme: dict[str, Any]) -> None:
    found = parse(render_vendor_html(acme))
    hrefs = [attrs["href"] or "" for tag, attrs in found.tags if tag == "a"]
    assert hrefs and all(h.startswith(("#", "https://", "http://")) for h in hrefs)
    assert not any("javascript:" in h for h in hrefs)
    assert not [attrs for _, attrs in found.tags if "src" in attrs]
    csp = next(a["content"] for t, a in found.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_header_shows_run_facts_and_scores(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    for text in ("acme-20250101T120000-ab12", "4242", "quick", "2025-01-01T12:00:00+00:00", "1 min 23 s",
                 "217", "http://127.0.0.1:50123", "create-500", "0.1.0", "MUST gate failed"):
        assert text in doc
    assert re.search(r'score-label">MUST</span><span class="score-num"><strong>1</strong>/2<', doc)
    assert re.search(r'score-label">SHOULD</span><span class="score-num"><strong>2</strong>/4<', doc)
    assert "1 skipped" in doc
    assert "Run problems" in doc and "Not cleaned" in doc and "customer 18: 403 Forbidden" in doc


def test_sections_follow_the_documentation_order(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    titles = re.findall(r'<section class="docsec" data-section="s\d+"><h2>(.*?) <', doc)
    assert titles == ["Create a customer", html.escape(f"List customers {XSS_SCRIPT}"), "Authentication",
                      "Errors", "undocumented-anchor"]
    assert "not in the documentation list" in doc


def test_failing_tests_show_message_example_replay_and_evidence(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    assert html.escape("expected 400, received 500") in doc
    assert "Falsifying example" in doc and "replay with: " in doc
    assert "accord run acme --seed 31337" in doc
    assert doc.count('<details class="exchange">') >= 4
    assert 'class="curl-cmd">curl -X POST' in doc
    assert "Documentation drift." in doc
    assert '<span class="status st-none">no response</span>' in doc and "ReadTimeout" in doc
    assert "\x00" not in doc and "\x1b" not in doc


def test_json_bodies_are_pretty_and_long_bodies_cut_with_a_note(acme: dict[str, Any]) -> None:
    doc = render_vendor_html(acme)
    assert '<pre class="body body-json">{\n  &quot;error&quot;: ' in doc
    assert '<pre class="body body-text">&lt;html&gt;' in doc
    assert re.search(r"Showing the first [\d,]+ of [\d,]+ characters", doc)
    assert f"customer {LONG_BODY_ITEMS - 1}" not in doc
    assert "accord truncated a body of this exchange" in doc
    assert len(doc) < 200_000


def test_live_replay_names_the_target(bolt: dict[str, Any]) -> None:
    bolt["run"]["profile"] = "full"
    bolt["clauses"][1]["tests"][0]["seed"] = 7
    assert "accord run bolt --seed 7 --profile full --base-url https://sandbox.bolt.example/api/v1" in \
        render_vendor_html(bolt)


def test_written_file_is_the_rendered_page(report_dir: Path, acme: dict[str, Any]) -> None:
    assert (report_dir / "acme.html").read_text(encoding="utf-8") == render_vendor_html(acme)
    assert XSS_IMG not in (report_dir / "acme.html").read_text(encoding="utf-8")


def test_pretty_json_keeps_invisible_characters_as_escapes(acme: dict[str, Any]) -> None:
    exchange = acme["clauses"][1]["tests"][0]["evidence"][0]
    exchange["response_body"] = '{"name": "a\\u007f\\u001f\\u00b3\\ud800"}'
    doc = render_vendor_html(acme)
    assert "&quot;name&quot;: &quot;a\\u007f\\u001f³\\ud800&quot;" in doc
