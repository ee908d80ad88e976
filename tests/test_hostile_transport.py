"""A broken or hostile target cannot make accord leak credentials to another host, hang, run out of
memory, flood its reports or the terminal: each misbehaviour is served on 127.0.0.1 (tests/hostile.py)
and accord is run against it as a user runs it. Every vendor gets every test."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import requests

from accord.auth import HeaderAuth
from accord.errors import ResponseTooLarge
from accord.evidence import HEADER_LIMIT, URL_LIMIT, EvidenceLog, evidence
from accord.http import Session
from accord.vendors import all_vendors, get_vendor
from accord.wire import DeadlineExceeded, probe

from .hostile import (
    MB,
    Hostile,
    Recorder,
    bomb_default,
    control_chars,
    echo_credentials,
    endless,
    faithful,
    free_port,
    huge,
    long_field,
    redirect,
    run_measured,
    slow,
    trickle,
)

VENDORS = sorted(all_vendors())
# A faithful run peaks at ~170 MB now that five vendors' modules load; the caps hold a gzip bomb's
# answer to 32 MB decoded (~300 MB peak with the copies), against 5.4 GB before them.
RSS_BOUND_MB = 400


def past_reachability(request) -> bool:
    """Every request but the reachability check (GET <base URL>/, the one path with a trailing
    slash), so that the run starts."""
    return not request.path.endswith("/")


def all_tests(results: dict) -> list[dict]:
    return [test for clause in results["clauses"] for test in clause["tests"]]


def exchanges(results: dict) -> list[dict]:
    return [exchange for test in all_tests(results) for exchange in test.get("evidence") or []]


def one_line(run) -> str:
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-3000:]
    return lines[0]


# --- finding 1: redirects -----------------------------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_redirect_is_the_answer_and_no_credential_reaches_the_other_host(vendor, tmp_path):
    with Recorder() as elsewhere, Hostile(vendor, redirect(elsewhere.base_url), when=past_reachability) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, env=target.env, report_dir=tmp_path)
    assert run.code == 1, run.stdout[-2000:] + run.stderr[-2000:]
    assert elsewhere.requests == [], f"accord followed a redirect to another origin: {elsewhere.requests[:2]}"
    assert 302 in {e["status"] for e in exchanges(run.results(vendor))}, "the 3xx is not kept as evidence"


def test_the_session_answers_a_redirect_as_is_whatever_the_method():
    secret = "accord-redirect-secret"
    with Recorder() as elsewhere, Hostile(VENDORS[0], redirect(elsewhere.base_url)) as target:
        session = Session(target.base_url, HeaderAuth({"X-AUTH-TOKEN": secret}, ("X-AUTH-TOKEN",), "test"))
        session.write_guard = None
        for method in ("GET", "HEAD", "POST", "PATCH", "DELETE"):
            response = session.request(method, "/anything", allow_redirects=True)
            assert response.status_code == 302, method
    assert elsewhere.requests == [], elsewhere.requests[:2]


def test_a_redirect_with_an_endless_body_is_capped_like_any_answer():
    """requests reads a 3xx body whole to follow it, even with redirects off; accord reads it as any answer."""
    with Recorder() as elsewhere, Hostile(VENDORS[0], redirect(elsewhere.base_url, endless)) as target:
        session = Session(target.base_url, HeaderAuth({}, (), "none"), max_response_bytes=MB)
        with pytest.raises(ResponseTooLarge):
            session.get("/anything")
        probe(target.base_url + "/", 5)  # the reachability check reads no body at all


# --- finding 4: control characters in the configuration -----------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("junk", ["\n", "\r\n", "\x1b[2J", "\x07"], ids=["newline", "crlf", "escape", "bell"])
def test_a_control_character_in_a_variable_is_a_configuration_error(vendor, junk, tmp_path):
    declared = get_vendor(vendor)
    simulator = declared.simulator()
    env = {declared.env_name(name): value for name, value in simulator.credentials.items()}
    secret = next(c for c in declared.credentials if c.secret)
    name, value = declared.env_name(secret.field), simulator.credentials[secret.field]
    env[name] = value + junk
    run = run_measured("run", vendor, "--base-url", f"http://127.0.0.1:{free_port()}", env=env, report_dir=tmp_path,
                       timeout=60)
    assert run.code == 2, run.stderr[-2000:]
    line = one_line(run)
    assert name in line and "control character" in line
    assert value not in run.stdout + run.stderr, "the value was echoed"


# --- finding 10: byte caps ----------------------------------------------------------------------
OVERSIZED = {
    "200MB-body": (huge(200 * MB), "--max-response-bytes"),
    "endless-chunked-body": (endless, "--max-response-bytes"),
    "gzip-bomb-1GiB": (bomb_default, "--max-decoded-bytes"),
}


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("case", list(OVERSIZED))
def test_an_oversized_answer_is_an_error_with_evidence_in_bounded_memory(vendor, case, tmp_path):
    behaviour, option = OVERSIZED[case]
    with Hostile(vendor, behaviour, when=past_reachability, limit=3) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, env=target.env, report_dir=tmp_path,
                           timeout=120)
    assert run.code == 1, f"exit {run.code} after {run.wall_s:.0f} s: {run.stderr[-2000:]}"
    assert run.peak_rss_mb < RSS_BOUND_MB, f"peak RSS {run.peak_rss_mb:.0f} MB"
    errored = [t for t in all_tests(run.results(vendor)) if t["outcome"] == "error" and option in (t["message"] or "")]
    assert errored, "no error verdict names the cap"
    kept = errored[0]["evidence"][-1]
    assert kept["status"] == 200 and option in kept["error"] and kept["truncated"], kept
    assert 0 < len(kept["response_body"]) < 20_000


def test_the_caps_are_the_sessions_and_content_still_works():
    with Hostile(VENDORS[0], huge(5_000)) as target:
        session = Session(target.base_url, HeaderAuth({}, (), "none"), max_response_bytes=4_096)
        with pytest.raises(ResponseTooLarge, match="4,096"):
            session.get("/")
    with Hostile(VENDORS[0], bomb_default) as target:
        session = Session(target.base_url, HeaderAuth({}, (), "none"), max_decoded_bytes=MB)
        with pytest.raises(ResponseTooLarge, match="1,048,576"):
            session.get("/")
    with Hostile(VENDORS[0], faithful) as target:  # a normal answer is read whole, on one kept-alive connection
        session = Session(target.base_url, HeaderAuth({}, (), "none"))
        first, second = session.get("/no-such-path"), session.get("/no-such-path")
        assert first.content and first.content == second.content and first.json() is not None


# --- finding 11: a total deadline per request ---------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("body_only", [False, True], ids=["trickled-headers", "trickled-body"])
def test_a_trickled_answer_ends_at_the_timeout(vendor, body_only, tmp_path):
    creates = lambda request: request.method == "POST"  # noqa: E731 - answers with a body of some length
    with Hostile(vendor, trickle(0.4, body_only), when=creates, limit=3) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, "--timeout", "1", env=target.env,
                           report_dir=tmp_path, timeout=90)
    assert run.code == 1, f"exit {run.code} after {run.wall_s:.0f} s: {run.stderr[-2000:]}"
    seen = exchanges(run.results(vendor))
    late = [e for e in seen if "DeadlineExceeded" in (e["error"] or "")]
    assert late, "no request ended at the deadline"
    assert max(e["elapsed_ms"] for e in seen) < 1_600, "a request outlived --timeout 1"


@pytest.mark.parametrize("vendor", VENDORS)
def test_a_trickled_reachability_check_exits_3_in_time(vendor, tmp_path):
    with Hostile(vendor, trickle(0.4)) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, "--timeout", "2", env=target.env,
                           report_dir=tmp_path, timeout=60)
    assert run.code == 3, f"exit {run.code} after {run.wall_s:.0f} s"
    assert target.base_url in one_line(run)
    assert run.wall_s < 20


def test_the_deadline_holds_for_headers_body_and_probe():
    with Hostile(VENDORS[0], trickle(0.3)) as target:
        session = Session(target.base_url, HeaderAuth({}, (), "none"), timeout=1)
        with pytest.raises(DeadlineExceeded):
            session.get("/no-such-path")
        with pytest.raises(DeadlineExceeded):
            probe(target.base_url + "/", 1)
    with Hostile(VENDORS[0], trickle(0.3, body_only=True)) as target:
        session = Session(target.base_url, HeaderAuth({}, (), "none"), timeout=1)
        with pytest.raises(requests.Timeout):  # callers that catch requests' timeouts catch it
            session.get("/no-such-path")


# --- finding 12: the fuzz obeys --timeout -------------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_the_fuzz_obeys_the_timeout(vendor, tmp_path):
    fuzzed = lambda request: "X-Schemathesis-TestCaseId" in request.headers  # noqa: E731
    with Hostile(vendor, slow(4), when=fuzzed, limit=2) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, "--timeout", "1", env=target.env,
                           report_dir=tmp_path, timeout=120)
    assert target.chosen == 2, "no fuzzed request was delayed"
    seen = exchanges(run.results(vendor))
    assert any("Timeout" in (e["error"] or "") or "Deadline" in (e["error"] or "") for e in seen), "no fuzz call timed out"
    assert max(e["elapsed_ms"] for e in seen) < 1_600, "a fuzz call outlived --timeout 1"


# --- finding 13: very long values ---------------------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_a_megabyte_field_gives_capped_messages_evidence_and_reports(vendor, tmp_path):
    with Hostile(vendor, long_field(MB), when=past_reachability) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, env=target.env, report_dir=tmp_path)
    assert run.code == 1, run.stderr[-2000:]
    sizes = {path.name: path.stat().st_size for path in tmp_path.iterdir()}
    results = run.results(vendor)
    # Bounded by the caps, whatever the field's size: per failing test at most 8 exchanges of two
    # 16 KB bodies and capped headers, plus three capped texts, twice over for escaping.
    failing = sum(1 for test in all_tests(results) if test["outcome"] in ("fail", "error"))
    bound = 256 * 1024 + failing * 2 * (8 * (2 * 17_000 + 64 * HEADER_LIMIT // 8) + 3 * 4_200)
    assert max(sizes.values()) < min(bound, 8 * MB), (sizes, failing)
    for test in all_tests(results):
        for text in [test["message"], test.get("details"), test.get("falsifying_example")]:
            assert len(text or "") < 4_200, text[:200]
    for exchange in exchanges(results):
        assert len(exchange["url"]) <= URL_LIMIT + 100
        assert all(len(value) <= HEADER_LIMIT + 100 for value in exchange["response_headers"].values())
        assert len(exchange["response_body"] or "") < 17_000
    assert run.wall_s < 60


# --- finding 14: control characters never reach the terminal ------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_control_characters_from_the_vendor_never_reach_the_terminal(vendor, tmp_path):
    with Hostile(vendor, control_chars, when=past_reachability) as target:
        run = run_measured("run", vendor, "--base-url", target.base_url, "-v", env=target.env, report_dir=tmp_path)
    assert run.code == 1, run.stderr[-2000:]
    printed = run.stdout + run.stderr
    assert "\\x1b[2J" in printed, "the vendor's strings did not reach the output at all: the test proves nothing"
    for char in ("\x1b", "\x07", "\x00"):
        assert char not in printed, f"{char!r} reached the terminal"


# --- a target that echoes the credentials -------------------------------------------------------
@pytest.mark.parametrize("vendor", VENDORS)
def test_credentials_echoed_by_the_target_reach_neither_terminal_nor_reports(vendor, tmp_path):
    declared = get_vendor(vendor)
    with Hostile(vendor, echo_credentials, when=past_reachability) as target:
        secrets = [target.simulator.credentials[c.field] for c in declared.credentials
                   if c.secret and c.field in target.simulator.credentials]
        run = run_measured("run", vendor, "--base-url", target.base_url, "-v", env=target.env, report_dir=tmp_path)
    assert run.code == 1, run.stderr[-2000:]
    assert secrets and target.chosen > 0
    for secret in secrets:
        assert secret not in run.stdout + run.stderr, "a secret reached the terminal"
        for path in tmp_path.iterdir():
            assert secret not in path.read_text(errors="replace"), f"a secret is in {path.name}"


# --- finding 16: the report folder is checked before the run -------------------------------------
@pytest.mark.parametrize("where", ["is-a-file", "under-a-file", "unwritable"])
def test_a_report_dir_that_cannot_hold_reports_is_a_configuration_error(where, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    report_dir = {"is-a-file": blocker, "under-a-file": blocker / "reports", "unwritable": tmp_path / "ro"}[where]
    if where == "unwritable":
        if os.geteuid() == 0:
            pytest.skip("root writes anywhere")
        report_dir.mkdir()
        report_dir.chmod(0o500)
    run = run_measured("run", VENDORS[0], report_dir=report_dir, timeout=60)
    assert run.code == 2, run.stderr[-2000:]
    assert "--report-dir" in one_line(run)
    assert run.wall_s < 15, "the run went ahead before the folder was checked"


def test_the_report_dir_probe_leaves_nothing_behind():
    with tempfile.TemporaryDirectory() as folder:
        from accord.cli import check_report_dir

        check_report_dir(Path(folder) / "new" / "reports")
        assert list((Path(folder) / "new" / "reports").iterdir()) == []


def test_evidence_is_kept_per_exchange_with_a_note():
    evidence.current = EvidenceLog()
    try:
        with Hostile(VENDORS[0], huge(50_000)) as target:
            session = Session(target.base_url, HeaderAuth({}, (), "none"), max_response_bytes=20_000)
            with pytest.raises(ResponseTooLarge):
                session.get("/")
        [kept] = evidence.current.last(10)
        assert kept["status"] == 200 and "20,000" in kept["error"] and kept["truncated"]
    finally:
        evidence.current = None
