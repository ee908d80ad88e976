"""The shared machinery on its own: redaction, rate limits, retries, guard, ledger, paging, bodies, auth."""

from __future__ import annotations

import json

import pytest
import requests

from accord.auth import BasicAuth, BearerAuth, CombinedAuth, FormLoginCookie, HeaderAuth
from accord.bodies import encode
from accord.cleanup import REMOVED, Ledger
from accord.errors import RunSafetyError, TargetError
from accord.evidence import EvidenceLog, evidence
from accord.http import RateLimit, RateLimiter, Session
from accord.pagination import MaxOffset, NoPagination, OffsetNext, PageSize
from accord.redact import MASK, Redactor
from accord.simulate import Request, Response, Simulator, json_response
from accord.simulate.server import InProcessAdapter, SimulatorServer


class Scripted(Simulator):
    """A tiny simulator answering from a script, to drive the session through edge cases."""

    def __init__(self, answers: list[Response]) -> None:
        self.answers = answers
        self.seen: list[Request] = []
        super().__init__()

    def routes(self) -> None:
        for method in ("GET", "POST", "PATCH", "DELETE"):
            self.router.add(method, "/{rest}", self.answer)

    def answer(self, request: Request) -> Response:
        self.seen.append(request)
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def session_for(simulator: Simulator, auth=None, **kwargs) -> Session:
    session = Session("http://sim.invalid", auth or BearerAuth("s3cret-token"), **kwargs)
    session.mount("http://sim.invalid", InProcessAdapter(simulator))
    return session


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_redactor_masks_secrets_everywhere():
    redactor = Redactor(["s3cret-token"])
    assert redactor.headers({"Authorization": "Bearer x", "X-AUTH-TOKEN": "y", "Accept": "a s3cret-token"}) == {
        "Authorization": MASK, "X-AUTH-TOKEN": MASK, "Accept": f"a {MASK}"}
    assert json.loads(redactor.body('{"password": "hunter2", "name": "s3cret-token"}')) == {"password": MASK, "name": MASK}
    assert redactor.body("j_username=a&j_password=hunter2") == f"j_username=a&j_password={MASK}"
    assert redactor.text("https://h/?token=s3cret-token") == f"https://h/?token={MASK}"


def test_basic_auth_secrets_include_the_encoded_header():
    auth = BasicAuth("user", "pa55word")
    assert "pa55word" in auth.secrets and "dXNlcjpwYTU1d29yZA==" in auth.secrets


def test_evidence_is_made_only_when_asked_and_only_the_last_exchanges_are_held(monkeypatch):
    """Passing tests pay nothing for evidence: an exchange is redacted and formatted when a failure
    asks for it; a long test holds only its last EvidenceLog.KEPT exchanges, and mark/since still
    give exactly one request's exchanges."""
    redacted = []
    body = Redactor.body
    monkeypatch.setattr(Redactor, "body", lambda self, text: redacted.append(text) or body(self, text))
    count = EvidenceLog.KEPT * 3
    simulator = Scripted([json_response(200, {"n": i, "echo": "s3cret-token"}) for i in range(count + 1)])
    session = session_for(simulator)
    evidence.current = EvidenceLog()
    try:
        for i in range(count):
            session.post("/x", json={"i": i})
        assert redacted == [] and len(evidence.current) == count
        assert len(evidence.current.last(count)) == EvidenceLog.KEPT
        mark = evidence.current.mark()
        session.post("/x", json={"i": "last"})
        [last] = evidence.current.since(mark)
    finally:
        evidence.current = None
    assert '"last"' in last["request_body"] and json.loads(last["response_body"])["n"] == count
    assert "s3cret-token" not in repr(last) and redacted


def test_evidence_is_redacted_and_has_a_curl_command():
    simulator = Scripted([json_response(200, {"echo": "s3cret-token"})])
    evidence.current = EvidenceLog()
    try:
        session_for(simulator).post("/x", json={"password": "hunter2"})
        [exchange] = evidence.current.last(10)
    finally:
        evidence.current = None
    text = repr(exchange)
    assert "s3cret-token" not in text and "hunter2" not in text
    assert exchange["status"] == 200 and exchange["curl"].startswith("curl -X POST")
    assert MASK in exchange["request_headers"]["Authorization"]


def test_rate_limiter_never_exceeds_the_window():
    clock = FakeClock()
    limiter = RateLimiter(RateLimit(per_minute=5), clock=clock, sleep=clock.sleep)
    sent_at = []
    for _ in range(12):
        limiter.acquire()
        sent_at.append(clock.now)
    for start in sent_at:
        assert sum(1 for t in sent_at if start <= t < start + 60) <= 5
    assert clock.slept, "the limiter never waited"


def test_rate_limiter_waits_when_the_server_says_none_remain():
    clock = FakeClock()
    limiter = RateLimiter(None, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    answer = requests.Response()
    answer.headers["X-RateLimit-Minutely-Remaining"] = "0"
    limiter.observe(answer)
    limiter.acquire()
    assert clock.slept == [60.0]


def test_429_is_retried_after_retry_after_and_bounded():
    too_many = Response(429, b"{}", {"Retry-After": "2", "Content-Type": "application/json"})
    simulator = Scripted([too_many, too_many, json_response(200, [])])
    clock = FakeClock()
    session = session_for(simulator)
    session.limiter.sleep = clock.sleep
    assert session.get("/x").status_code == 200
    assert clock.slept == [2.0, 2.0]
    always = Scripted([too_many])
    stubborn = session_for(always, max_429_retries=2)
    stubborn.limiter.sleep = clock.sleep
    assert stubborn.get("/x").status_code == 429 and len(always.seen) == 3


def test_write_guard_refuses_before_sending():
    simulator = Scripted([json_response(200, {})])
    session = session_for(simulator)
    session.write_guard = lambda method, path, body=None: (_ for _ in ()).throw(RunSafetyError(f"no {method} {path}"))
    with pytest.raises(RunSafetyError):
        session.patch("/customers", json={})
    assert simulator.seen == []
    assert session.get("/customers").status_code == 200


def test_ledger_cleans_newest_first_and_reports_failures():
    order: list[str] = []
    ledger = Ledger("accord-test")
    ledger.add("customer", (1,), "customer 1", lambda: order.append("c1") or REMOVED)
    ledger.add("rate", (7,), "rate 7", lambda: order.append("r7") or REMOVED)
    ledger.add("customer", (2,), "customer 2", lambda: (_ for _ in ()).throw(TargetError("boom")))
    ledger.add("customer", (3,), "customer 3", lambda: order.append("c3") or "neutralised: hidden")
    ledger.add("customer", (4,), "customer 4", lambda: order.append("c4") or REMOVED)
    ledger.add("rate", (8,), "rate 8 of 3", lambda: order.append("r8") or REMOVED, parent=("customer", (3,)))
    ledger.add("rate", (9,), "rate 9 of 4", lambda: order.append("r9") or REMOVED, parent=("customer", (4,)))
    ledger.mark_removed("customer", (1,))
    report = ledger.clean()
    assert order == ["c4", "c3", "r7", "r8"], "parents first, newest first; rate 9 went with customer 4"
    assert report.created == 7 and report.removed == 5
    assert report.neutralised == ["customer 3: neutralised: hidden"] and "customer 2" in report.failed[0]


def page_fetcher(pages):
    calls = []

    def fetch(params):
        calls.append(params)
        answer = pages[len(calls) - 1]
        response = requests.Response()
        response.status_code = 204 if answer is None else 200
        response._content = b"" if answer is None else __import__("json").dumps(answer).encode()
        return response

    return fetch, calls


def test_pagination_walkers():
    fetch, _ = page_fetcher([[1, 2, 3]])
    assert list(NoPagination().walk(fetch)) == [1, 2, 3]
    fetch, calls = page_fetcher([{"results": [1, 2], "pagesTotal": 2}, {"results": [3], "pagesTotal": 2}])
    assert list(PageSize().walk(fetch)) == [1, 2, 3] and calls[1]["page"] == 2
    fetch, _ = page_fetcher([{"results": [1]}, None])
    assert list(PageSize().walk(fetch)) == [1]
    fetch, calls = page_fetcher([{"customers": [1], "pagination": {"next_offset": 500}},
                                 {"customers": [2], "pagination": {"next_offset": None}}])
    assert list(OffsetNext(items="customers").walk(fetch)) == [1, 2] and calls[1]["offset"] == 500
    fetch, calls = page_fetcher([{"data": [1, 2], "paging": {"next": "/x?offset=2"}}, {"data": [3], "paging": {"next": None}}])
    assert list(MaxOffset(page_size=2).walk(fetch)) == [1, 2, 3] and calls[1]["offset"] == 2


def test_body_encoders():
    assert encode({"a": 1}) == {"json": {"a": 1}}
    assert encode({"a": 1}, "form") == {"data": {"a": 1}}
    files = encode({"name": "x", "imageFile": ("a.png", b"png", "image/png")}, "multipart")["files"]
    assert files["name"] == (None, "x") and files["imageFile"][0] == "a.png"
    with pytest.raises(ValueError):
        encode({}, "xml")


def test_auth_strategies_put_credentials_on_requests():
    simulator = Scripted([json_response(200, {})])
    combined = CombinedAuth(HeaderAuth({"x-api-key": "key-123"}, ("x-api-key",), "api key"), BearerAuth("tok-456"))
    session_for(simulator, combined).get("/x")
    headers = simulator.seen[-1].headers
    assert headers["x-api-key"] == "key-123" and headers["authorization"] == "Bearer tok-456"
    assert set(combined.secrets) == {"key-123", "tok-456"}


class LoginSimulator(Simulator):
    def routes(self) -> None:
        self.router.add("POST", "/j_spring_security_check", self.login)
        self.router.add("GET", "/customers", self.customers)

    def login(self, request: Request) -> Response:
        ok = b"j_password=pw" in request.body
        return Response(302, b"", {"Set-Cookie": "JSESSIONID=abc123; Path=/; HttpOnly"} if ok else {})

    def customers(self, request: Request) -> Response:
        ok = request.headers.get("Cookie") == "JSESSIONID=abc123"
        return json_response(200 if ok else 401, [])


def test_form_login_cookie_over_real_http():
    with SimulatorServer(LoginSimulator()) as server:
        auth = FormLoginCookie("/j_spring_security_check", {"j_username": "u", "j_password": "pw", "ajax": "true"},
                               ("j_password",), "JSESSIONID")
        session = Session(server.base_url, auth)
        assert session.get("/customers").status_code == 200
        assert "abc123" in auth.secrets and "abc123" in session.redactor.secrets


class RateLimitedSimulator(Simulator):
    """Enforces a per-minute limit on a shared fake clock, counts, and says what remains."""

    def __init__(self, clock: FakeClock, per_minute: int) -> None:
        self.clock, self.per_minute = clock, per_minute
        self.times: list[float] = []
        self.refused = 0
        super().__init__()

    def routes(self) -> None:
        self.router.add("GET", "/x", self.answer)

    def answer(self, request: Request) -> Response:
        now = self.clock()
        recent = [t for t in self.times if now - t < 60]
        if len(recent) >= self.per_minute:
            self.refused += 1
            return Response(429, b"", {"Retry-After": "5"})
        self.times.append(now)
        left = self.per_minute - len(recent) - 1
        return json_response(200, {}, {"X-RateLimit-Minutely-Limit": str(self.per_minute),
                                       "X-RateLimit-Minutely-Remaining": str(left)})

    def max_in_window(self) -> int:
        return max(sum(1 for t in self.times if start <= t < start + 60) for start in self.times)


def test_a_run_never_exceeds_the_documented_limit():
    clock = FakeClock()
    simulator = RateLimitedSimulator(clock, per_minute=20)
    session = session_for(simulator, rate_limit=RateLimit(per_minute=20))
    session.limiter.clock, session.limiter.sleep = clock, clock.sleep
    answers = [session.get("/x").status_code for _ in range(75)]
    assert answers == [200] * 75 and simulator.refused == 0
    assert simulator.max_in_window() <= 20


def test_the_server_headers_slow_a_run_with_no_documented_limit():
    clock = FakeClock()
    simulator = RateLimitedSimulator(clock, per_minute=10)
    session = session_for(simulator)  # the vendor documents no limit; the headers still count
    session.limiter.clock, session.limiter.sleep = clock, clock.sleep
    answers = [session.get("/x").status_code for _ in range(30)]
    assert answers == [200] * 30 and simulator.refused == 0


def test_simulator_routing_404_405_with_allow_and_int_requirements():
    """A wrong method on a known path is 405 with ``Allow`` (RFC 9110 15.5.6, as Symfony answers);
    an unknown path, or a non-numeric id where the route needs digits, is 404."""

    class Routed(Simulator):
        def routes(self) -> None:
            ok = lambda request: json_response(200, request.path_params)  # noqa: E731
            self.router.add("GET", "/items", ok)
            self.router.add("POST", "/items", ok)
            self.router.add("GET", "/items/{id:int}", ok)

    simulator = Routed()
    assert simulator.handle(Request("GET", "/items/7")).body == b'{"id":7}'
    wrong_method = simulator.handle(Request("DELETE", "/items"))
    assert (wrong_method.status, wrong_method.headers["Allow"]) == (405, "GET, POST")
    assert simulator.handle(Request("GET", "/items/seven")).status == 404
    assert simulator.handle(Request("GET", "/nothing")).status == 404


def test_table_index_follows_every_write():
    """``find`` answers from the index; it must agree with a scan after inserts, updates, replaces
    and deletes, or a unique-number check would pass or refuse wrongly."""
    from accord.simulate.store import Table

    table = Table(indexed=("number",))
    first = table.insert({"number": "0001", "name": "a"})
    second = table.insert({"number": "0002", "name": "b"})
    table.insert({"number": None, "name": "no number"})
    table.update(first["id"], {"number": "0002"})
    assert [row["name"] for row in table.find("number", "0002")] == ["a", "b"]
    assert table.find("number", "0001") == []
    table.replace(second["id"], {"number": "0003", "name": "b"})
    table.delete(first["id"])
    assert table.find("number", "0002") == [] and table.find("number", None) == []
    assert [row["id"] for row in table.find("number", "0003")] == [second["id"]]
    found = table.find("number", "0003")[0]
    found["name"] = "changed"  # a copy, never the live row
    assert table.get(second["id"])["name"] == "b"
    for number in ("0001", "0002", "0003"):
        assert table.find("number", number) == table.select(lambda row, n=number: row["number"] == n)


def test_the_environment_is_read_once_per_session_and_still_honoured(monkeypatch):
    """Proxy and CA-bundle variables apply to a live target as requests would apply them, read once
    for the target's host; the built-in simulator is never reached through a proxy."""
    from accord.targets import resolve_target
    from accord.vendors import get_vendor

    monkeypatch.setenv("HTTP_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = Session("https://vendor.example/api", BearerAuth("t0ken-for-the-test"))
    assert session.proxies.get("https") == "http://proxy.invalid:3128" and not session.trust_env
    assert session.verify == "/etc/ssl/certs/ca-certificates.crt"
    monkeypatch.setenv("NO_PROXY", "vendor.example")
    assert Session("https://vendor.example/api", BearerAuth("t0ken-for-the-test")).proxies == {}
    monkeypatch.delenv("NO_PROXY")
    target = resolve_target(get_vendor("kimai")).start()
    try:
        simulated = target.session()
        assert simulated.proxies == {} and simulated.get("/api/version").status_code == 200
    finally:
        target.server.stop()
