"""The one redactor: every form and every 8+ character fragment of a secret is masked, in one
linear pass, and bodies are masked after they are re-formatted, so no report can decode a secret back."""

from __future__ import annotations

import base64
import copy
import json
import re
from urllib.parse import quote, quote_plus

import pytest

from accord import redact
from accord.auth import BearerAuth
from accord.evidence import EvidenceLog, evidence
from accord.http import Session
from accord.redact import MASK, Redactor
from accord.report import render_junit, render_vendor_html
from accord.simulate import Response, Simulator
from accord.simulate.server import InProcessAdapter

from .report.factory import acme_results

TOKEN = "yoZ5/Qv8+Lw==Secr3t"  # base64-ish, with the characters that encodings change
LONG = "accord-kimai-test-token"


def masked(secret: str, text: str, *, redactor: Redactor | None = None) -> str:
    out = (redactor or Redactor([secret])).text(text)
    assert MASK in out, f"nothing masked in {text!r}"
    return out


@pytest.mark.parametrize("form", [
    TOKEN,
    json.dumps(TOKEN)[1:-1].replace("/", "\\/"),  # JSON with escaped slashes
    "".join(f"\\u{ord(c):04x}" for c in TOKEN),  # every character \u-escaped
    quote(TOKEN, safe=""), quote(TOKEN), quote_plus(TOKEN),
    re.sub("%[0-9A-F]{2}", lambda m: m.group().lower(), quote(TOKEN, safe="")),
    base64.b64encode(TOKEN.encode()).decode(), base64.urlsafe_b64encode(TOKEN.encode()).decode().rstrip("="),
])
def test_every_encoding_of_a_secret_is_masked(form):
    out = masked(TOKEN, f"before {form} after")
    assert out.startswith("before ") and out.endswith(" after")
    assert "Secr3t" not in out and "Lw==" not in out and "Qv8" not in out


def test_a_truncated_repr_leaves_no_part_of_eight_characters():
    shown = repr(f"{TOKEN} and more text")  # pytest shortens long reprs: 'yo...+Lw==Secr3t and...'
    shortened = shown[:3] + "..." + shown[10:]
    out = masked(TOKEN, f"AssertionError: assert {shortened} == 'x'")
    assert "Lw==Secr3t" not in out and "Secr3t" not in out


@pytest.mark.parametrize("secret", [LONG + "\n", "\t" + LONG, LONG + "\r\n"])
def test_a_secret_with_control_characters_is_masked_in_exception_messages(secret):
    error = f"InvalidHeader: Invalid header value b'Bearer {secret}'".replace("\n", "\\n").replace("\t", "\\t")
    error = error.replace("\r", "\\r")
    for text in (error, repr(error), json.dumps(error), f"ValueError({error!r})"):
        out = masked(secret, text)
        assert "kimai-test" not in out and "test-token" not in out and "accord-k" not in out


def test_any_fragment_of_eight_characters_is_masked_and_shorter_ones_are_not():
    redactor = Redactor([LONG])
    assert redactor.text("x test-tok y") == f"x {MASK} y"
    assert redactor.text("x test-to y") == "x test-to y", "a 7-character fragment is ordinary text"
    assert redactor.text("accord-run accord-kimai") == f"accord-run {MASK}"


def test_a_short_secret_is_masked_as_a_whole_only():
    redactor = Redactor(["hunt3r!"])
    assert redactor.text("pw hunt3r! and hunt3r") == f"pw {MASK} and hunt3r"
    assert redactor.text(json.dumps("hunt3r!")) == f'"{MASK}"'
    assert redactor.text(quote("hunt3r!")) == MASK


def test_basic_auth_pairs_are_masked_in_base64():
    redactor = Redactor()
    redactor.add_pair("accord", "pa55word")
    encoded = base64.b64encode(b"accord:pa55word").decode()
    assert redactor.text(f"Authorization: Basic {encoded}") == f"Authorization: Basic {MASK}"


def test_html_escaped_forms_as_in_pytest_html_logs_are_masked():
    secret = 'p&ss"w<rd>-0123456789'
    logged = json.dumps(__import__("html").escape(f"E  assert {secret!r}"))
    templated = logged.replace("&", "&amp;").replace('"', "&#34;")
    out = masked(secret, templated)
    assert "0123456789" not in out


def test_sensitive_names_are_masked_without_knowing_the_value():
    redactor = Redactor()
    body = json.dumps({"password": "a", "api_key": 7, "nested": {"JSESSIONID": "b", "name": "kept"},
                       "url": "https://h/?token=c&page=2", "form": "j_username=u&j_password=d"})
    out = redactor.body(body)
    data = json.loads(out)
    assert data["password"] == MASK and data["api_key"] == MASK and data["nested"]["JSESSIONID"] == MASK
    assert data["nested"]["name"] == "kept"
    assert data["url"] == f"https://h/?token={MASK}&page=2" and data["form"] == f"j_username=u&j_password={MASK}"
    assert redactor.form_or_json_fields("{'session_id': 'x', 'id': 1}") == f"{{'session_id': '{MASK}', 'id': 1}}"
    echoed = "GET /api/customers HTTP/1.1\nAuthorization: Bearer e\nX-AUTH-TOKEN: f\nAccept: */*\ntoken: g\n"
    assert redactor.body(echoed) == ("GET /api/customers HTTP/1.1\nAuthorization: " + MASK + "\nX-AUTH-TOKEN: "
                                     + MASK + "\nAccept: */*\ntoken: " + MASK + "\n")
    assert redactor.headers({"Cookie": "JSESSIONID=x", "X-Session-Id": "y", "Accept": "a"}) == {
        "Cookie": MASK, "X-Session-Id": MASK, "Accept": "a"}


def test_bodies_are_decoded_before_they_are_masked():
    escaped = '{"echo": "' + "".join(f"\\u{ord(c):04x}" for c in LONG[:5]) + LONG[5:] + '"}'
    assert LONG in json.loads(escaped)["echo"]
    out = Redactor([LONG]).body(escaped)
    assert LONG not in json.dumps(json.loads(out), ensure_ascii=False)
    assert json.loads(out) == {"echo": MASK}


def test_pretty_survives_a_body_nested_too_deeply():
    deep = "[" * 100_000 + "]" * 100_000
    assert redact.pretty(deep) == deep


class Echo(Simulator):
    """Answers every request with a text/plain body that carries the caller's token \\u-escaped."""

    def routes(self) -> None:
        self.router.add("GET", "/{rest}", self.answer)

    def answer(self, request):
        token = request.headers.get("Authorization").removeprefix("Bearer ")
        escaped = "".join(f"\\u{ord(c):04x}" if i % 2 else c for i, c in enumerate(token))
        return Response(500, ('{"error": "bad token ' + escaped + '"}').encode(), {"Content-Type": "text/plain"})


def test_an_escaped_echo_in_a_text_body_never_reaches_a_report():
    session = Session("http://sim.invalid", BearerAuth(LONG))
    session.mount("http://sim.invalid", InProcessAdapter(Echo()))
    evidence.current = EvidenceLog()
    try:
        session.get("/customers")
        [exchange] = evidence.current.last(10)
    finally:
        evidence.current = None
    results = acme_results()
    failing = next(c for c in results["clauses"] if c["verdict"] == "fail")
    failing["tests"][0]["evidence"] = [exchange]
    page = render_vendor_html(results)
    junit = render_junit(results).decode()
    for written in (page, junit, json.dumps(results, ensure_ascii=False)):
        assert LONG not in written and "test-token" not in written
    assert MASK in exchange["response_body"]


def test_evidence_body_cuts_first_and_masks_a_secret_across_the_cut():
    redactor = Redactor([LONG])
    limit = 100
    body = "x" * (limit - 5) + LONG + "y" * 1_000
    kept, truncated = redactor.evidence_body(body, limit)
    assert truncated and LONG[:5] not in kept.replace("x", "") and "kimai" not in kept
    assert kept.startswith("x" * (limit - 5) + MASK)
    assert kept.endswith(f"[{len(body) - (limit - 5) - len(LONG)} more characters not kept]")
    small, cut = redactor.evidence_body(f"a {LONG} b", limit)
    assert (small, cut) == (f"a {MASK} b", False)


def test_evidence_body_does_not_mask_past_the_cut(monkeypatch):
    redactor = Redactor([LONG])
    seen: list[int] = []
    matcher = redactor._matcher()
    spans, names = type(matcher).spans, Redactor.form_or_json_fields
    monkeypatch.setattr(type(matcher), "spans", lambda self, text: seen.append(len(text)) or spans(self, text))
    monkeypatch.setattr(Redactor, "form_or_json_fields", lambda self, text: seen.append(len(text)) or names(self, text))
    kept, truncated = redactor.evidence_body(("token=z " * 10 + "\n") * 100_000, 16_384)
    assert truncated and seen and max(seen) < 17_000


def test_evidence_body_masks_a_sensitive_field_across_the_cut():
    body = "x" * 80 + " j_password=" + "p" * 50 + "&page=2\n" + "y" * 1_000
    kept, truncated = Redactor().evidence_body(body, 100)
    assert truncated and "ppp" not in kept and kept.startswith("x" * 80 + f" j_password={MASK}")
    assert kept.endswith("more characters not kept]")


def test_value_masks_a_whole_document():
    redactor = Redactor([LONG])
    doc = {"a": [LONG, ("x", f"k {LONG}")], LONG: 1, "n": 3, "b": None}
    out = redactor.value(copy.deepcopy(doc))
    assert LONG not in json.dumps(out) and out["n"] == 3 and out["b"] is None


def test_a_written_file_is_masked_in_place(tmp_path):
    path = tmp_path / "log.html"
    path.write_text(f"<pre>{LONG}</pre>", encoding="utf-8")
    assert Redactor([LONG]).file(path) is True
    assert path.read_text() == f"<pre>{MASK}</pre>"
    assert Redactor([LONG]).file(path) is False


def test_text_without_secrets_is_left_alone():
    report = render_vendor_html(acme_results())
    assert Redactor([TOKEN, LONG, "hunt3r!"]).text(report) == report


def test_the_run_masks_real_credentials_and_not_made_up_ones():
    """A check that sends a made-up token opens a session with it: that value is no secret, and
    masking its fragments would mask the clause id that names the check."""
    from types import SimpleNamespace

    from accord.plugin import run_redactor
    from accord.targets import resolve_target
    from accord.vendors import get_vendor

    target = resolve_target(get_vendor("kimai"))
    target.session()
    target.session({**target.credentials, "TOKEN": "accord-wrong-token-0000"})
    redactor = run_redactor(SimpleNamespace(vendors={"kimai"}, targets={"kimai": target}, config=None))
    assert redactor.text("kimai.auth.wrong-token-rejected") == "kimai.auth.wrong-token-rejected"
    assert redactor.text(f"echo {target.credentials['TOKEN']}") == f"echo {MASK}"
