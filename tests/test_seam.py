"""The vendor seam: declarations in, safety rules out, for any API style (issue findings as tests)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import requests

from accord.api import Api, Resource
from accord.auth import FormLoginCookie
from accord.cleanup import Ledger
from accord.client import VendorClient
from accord.contracts import load_contract
from accord.errors import LoginFailed, RunSafetyError, TargetError
from accord.http import Session
from accord.mutations import violations
from accord.pagination import MaxOffset, OffsetNext, PageSize
from accord.simulate import Request, Response, Simulator, json_response
from accord.simulate.server import SimulatorServer
from accord.vendors import all_vendors

ROOT = Path(__file__).resolve().parent.parent
API = Api(resources=(Resource("item", "/things", "/things/{id}", tag_field="name"),
                     Resource("part", "/things/{id}/parts", "/things/{id}/parts/{partId}", id_param="partId",
                              parent="item", readable_item=False)))


class Things(Simulator):
    """A tiny API under /api/v9 with a cookie login at the root, sessions that can be expired."""

    base_path = "/api/v9"

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.logins = 0
        self.records = {1: {"id": 1, "name": "someone else's"}}
        super().__init__()

    def routes(self) -> None:
        self.router.add("POST", "/login", self.login)
        self.router.add("GET", "/api/v9/things", self.list)
        self.router.add("POST", "/api/v9/things", self.create)
        self.router.add("GET", "/api/v9/things/{id:int}", self.read)
        self.router.add("PATCH", "/api/v9/things/{id:int}", self.read)

    def login(self, request: Request) -> Response:
        self.logins += 1
        if request.form().get("password") != ["pw"]:
            return json_response(401, {"error": "bad credentials"})
        token = f"session-{self.logins}-secret"
        self.sessions.add(token)
        return Response(200, b"{}", {"Set-Cookie": f"SID={token}; Path=/"})

    def authed(self, request: Request) -> bool:
        return any(f"SID={s}" in (request.headers.get("Cookie") or "") for s in self.sessions)

    def list(self, request: Request) -> Response:
        return json_response(200 if self.authed(request) else 401, list(self.records.values()))

    def create(self, request: Request) -> Response:
        if not self.authed(request):
            return json_response(401, {})
        return json_response(201, {"id": 1, "name": request.json().get("name")})  # someone else's id

    def read(self, request: Request) -> Response:
        record = self.records.get(request.path_params["id"])
        return json_response(200, record) if record else json_response(404, {})


def session_on(server: SimulatorServer, password: str = "pw") -> Session:
    auth = FormLoginCookie("../../login", {"user": "u", "password": password}, ("password",), "SID")
    return Session(server.base_url, auth)


def test_login_runs_once_outside_the_guard_and_again_when_the_session_ends():
    with SimulatorServer(Things(), prefix="/proxy") as server:
        session = session_on(server)
        session.write_guard = lambda method, path, body=None: (_ for _ in ()).throw(RunSafetyError("read-only"))
        assert session.get("/things").status_code == 200  # the login POST did not meet the guard
        assert server.simulator.logins == 1
        server.simulator.sessions.clear()  # the vendor ends the session mid-run
        assert session.get("/things").status_code == 200
        assert server.simulator.logins == 2
        assert "session-2-secret" in session.redactor.secrets


def test_a_failed_login_is_one_error_not_a_run_of_401s():
    with SimulatorServer(Things()) as server:
        session = session_on(server, password="wrong")
        with pytest.raises(LoginFailed, match="answered 401"):
            session.get("/things")
        with pytest.raises(LoginFailed):  # not retried on every request
            session.get("/things")
        assert server.simulator.logins == 1


def redirect_to_failure_page(response: requests.Response) -> str | None:
    location = response.headers.get("Location", "")
    return f"redirected to {location}" if "fail" in location else None


class RedirectingThings(Things):
    """A login that always hands out a cookie and says how it went only in its redirect."""

    def login(self, request: Request) -> Response:
        self.logins += 1
        token = f"session-{self.logins}-secret"
        if request.form().get("password") == ["pw"]:
            self.sessions.add(token)
            return Response(302, b"", {"Location": "/welcome", "Set-Cookie": f"SID={token}; Path=/"})
        return Response(302, b"", {"Location": "/login/fail", "Set-Cookie": f"SID={token}; Path=/"})


@pytest.mark.parametrize("password", ["pw", "wrong"])
def test_a_login_judged_by_its_answer_not_only_by_its_cookie(password):
    with SimulatorServer(RedirectingThings()) as server:
        auth = FormLoginCookie("../../login", {"user": "u", "password": password}, ("password",), "SID",
                               success_check=redirect_to_failure_page)
        session = Session(server.base_url, auth)
        if password == "pw":
            assert session.get("/things").status_code == 200
        else:
            with pytest.raises(LoginFailed, match="redirected to /login/fail"):
                session.get("/things")
        unchecked = Session(server.base_url, FormLoginCookie("../../login", {"user": "u", "password": password},
                                                             ("password",), "SID"))
        unchecked.ensure_login()  # without the check, any cookie passes for a login


def test_paths_are_relative_to_a_base_url_with_a_path():
    session = Session("http://127.0.0.1:9/web/api/v3", FormLoginCookie("/l", {}, (), "c", "x"))
    assert session.relative("http://127.0.0.1:9/web/api/v3/accounts/1/customers") == "/accounts/1/customers"
    client = VendorClient(session, Ledger("accord-t"), {}, API)
    client.check_write("POST", "/things")  # a create is always the run's own
    with pytest.raises(RunSafetyError):
        client.check_write("PATCH", "/things/7")


def test_a_create_answered_with_someone_elses_id_never_leads_to_a_write():
    with SimulatorServer(Things()) as server:
        session = session_on(server)
        ledger = Ledger("accord-t")
        client = VendorClient(session, ledger, {}, API)
        assert client.send("POST", "/things", {"name": client.tagged("x")}).status_code == 201
        assert ledger.owns("item", ("1",))  # the target said so
        with pytest.raises(RunSafetyError, match="does not carry the run tag"):
            client.send("PATCH", "/things/{id}", {"name": "y"}, id=1)
        assert not ledger.owns("item", ("1",))
        assert any("not touched" in line for line in ledger.report().failed)


def test_mutations_leave_required_fields_out_and_send_null():
    found = violations(load_contract("kimai"), "CustomerEditForm.json")
    assert any(v.field == "name" and v.drops for v in found)
    assert any(v.field == "name" and v.value is None for v in found)
    assert "name" not in next(v for v in found if v.drops).apply({"name": "x", "comment": "c"})


def test_form_bodies_are_mutated_only_in_ways_a_form_can_say():
    found = violations(load_contract("kimai"), "CustomerEditForm.json", media_type="application/x-www-form-urlencoded")
    assert found and all(isinstance(v.value, str) or v.drops for v in found if v.field != "accordUnexpectedField")


def test_simulators_parse_form_and_multipart_bodies():
    prepared = requests.Request("POST", "http://x/f", files={"a": (None, "1"), "img": ("p.png", b"\x89PNG", "image/png")}
                                ).prepare()
    request = Request.build("POST", "/f", "", dict(prepared.headers), prepared.body)
    assert request.form() == {"a": ["1"]} and request.files()["img"] == ("p.png", "image/png", b"\x89PNG")
    urlencoded = Request.build("POST", "/f", "", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1&a=2&b=")
    assert urlencoded.form() == {"a": ["1", "2"], "b": [""]}


def test_every_simulator_answers_errors_in_its_own_envelope():
    for name, vendor in all_vendors().items():
        simulator = vendor.simulator()
        answer = simulator.handle(Request.build("GET", simulator.base_path + "/accord-no-such-path", "", {}, b""))
        assert answer.status == 404, name
    kimai = all_vendors()["kimai"].simulator()
    assert b'"code":404' in kimai.handle(Request.build("GET", "/nope", "", {}, b"")).body


def test_the_falsifying_example_shows_the_input(accord):
    outcome = accord("run", "kimai", "--fault", "number-ignored")
    examples = [t["falsifying_example"] for c in outcome.results("kimai")["clauses"] for t in c["tests"]
                if t.get("falsifying_example")]
    assert examples and all(re.search(r"\(\s*form=\{'name'", e) for e in examples if "round_trip" in e), examples


def test_no_vendor_is_named_in_shared_code():
    names = [n for n in all_vendors() if n != "acme"] + ["korona", "cyclesoftware", "valomnia", "bokamera"]
    for path in (ROOT / "accord").rglob("*"):
        if path.is_file() and "vendors" not in path.relative_to(ROOT / "accord").parts[:1] and path.suffix in (
                ".py", ".js", ".css", ".json"):
            text = path.read_text().lower()
            assert not [n for n in names if n in text], path


def test_vendor_clients_hold_operations_only():
    """The safety rules live once, in accord.client: no vendor client defines a guard or a sweep."""
    for name, vendor in all_vendors().items():
        assert issubclass(vendor.client, VendorClient), name
        source = Path(__import__(vendor.client.__module__, fromlist=["x"]).__file__).read_text()
        defined = {n.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)}
        assert not defined & {"check_write", "observe", "sweep", "verify"}, (name, defined)


def _page(body: dict) -> requests.Response:
    response = requests.Response()
    response.status_code, response._content = 200, __import__("json").dumps(body).encode()
    return response


def test_skip_take_walks_every_page_and_stops_at_the_total():
    from accord.pagination import SkipTake

    rows = list(range(7))
    asked: list[dict] = []

    def fetch(params):
        asked.append(params)
        return _page({"Offset": params["Skip"], "Total": 7, "Results": rows[params["Skip"]:params["Skip"] + params["Take"]]})

    assert list(SkipTake(page_size=3).walk(fetch, {"Search": "x"})) == rows
    assert [a["Skip"] for a in asked] == [0, 3, 6] and all(a["Search"] == "x" for a in asked)
    endless = SkipTake(page_size=1).walk(lambda params: _page({"Total": 10**9, "Results": [1]}))
    assert sum(1 for _ in endless) == 200  # bounded by MAX_PAGES


RPC_API = Api(resources=(Resource("thing", "/things", "/things/{Id}", id_param="Id", id_field="Id", id_style="uuid",
                                  readable_item=False,
                                  create_paths=("/api/CreateThing",), body_id_paths=("/api/UpdateThing", "/api/DeleteThing")),))


class _Response:
    def __init__(self, status: int, body: dict) -> None:
        self.status_code, self._body = status, body

    def json(self) -> dict:
        return self._body


def test_rpc_routes_write_only_to_records_the_body_or_query_names_as_the_runs_own():
    session = Session("http://127.0.0.1:9", FormLoginCookie("/l", {}, (), "c", "x"))
    ledger = Ledger("accord-t")
    client = VendorClient(session, ledger, {}, RPC_API)
    client.check_write("POST", "/api/CreateThing", {"Name": "x"})  # an RPC create is a create
    client.observe("POST", "/api/CreateThing", _Response(200, {"Id": "own"}))
    assert ledger.owns("thing", ("own",))
    ledger.mark_verified("thing", ("own",))
    client.check_write("PUT", "/api/UpdateThing", {"Id": "own", "Name": "y"})
    client.check_write("PUT", "/api/UpdateThing", b'{"id": "own"}')  # any letter case, encoded or not
    for body in ({"Name": "no id"}, {"Id": "someone"}, {"Id": "own", "id": "someone"}, b"not json"):
        with pytest.raises(RunSafetyError):
            client.check_write("PUT", "/api/UpdateThing", body)
    with pytest.raises(RunSafetyError, match="body names"):
        client.check_write("PUT", "/things/own", {"Id": "someone"})  # the body's id may win over the path's
    client._query = {"Id": "someone"}
    with pytest.raises(RunSafetyError):
        client.check_write("DELETE", "/api/DeleteThing", None)
    client._query = {"Id": "own"}
    client.check_write("DELETE", "/api/DeleteThing", None)
    client.observe("DELETE", "/api/DeleteThing", _Response(200, {"Id": "own"}))
    assert ledger.entry("thing", ("own",)).done is not None


def test_a_vendor_may_vouch_for_a_fixed_record_of_its_own_simulator():
    class Vouching(VendorClient):
        def allow_item_write(self, method, resource, key):
            return key == ("fixture",)

    client = Vouching(Session("http://127.0.0.1:9", FormLoginCookie("/l", {}, (), "c", "x")), Ledger("accord-t"), {}, RPC_API)
    client.check_write("PUT", "/things/fixture", {})
    client.check_write("PUT", "/api/UpdateThing", {"Id": "fixture"})
    with pytest.raises(RunSafetyError):
        client.check_write("PUT", "/things/other", {})


def test_a_clause_outside_the_target_version_is_not_applicable_never_failed(accord):
    """acme 1.0 has no q filter: checked as 1.0, the q clause is not applicable (skip, with why),
    the rest still pass; the report header says which version and where it came from."""
    outcome = accord("run", "acme", "--target-version", "1.0")
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    clause = next(c for c in outcome.results("acme")["clauses"] if c["id"] == "acme.contacts.list.q-filter")
    assert clause["verdict"] == "skip" and "version 1.0" in clause["tests"][0]["message"]
    target = outcome.results("acme")["run"]["target"]
    assert (target["version"], target["version_source"]) == ("1.0", "option")
    assert "from the option" in (outcome.report_dir / "acme.html").read_text()
    newest = accord("run", "acme", "--clause", "acme.contacts.list.q-filter")
    assert newest.verdicts("acme")["acme.contacts.list.q-filter"] == "pass"
    assert newest.results("acme")["run"]["target"]["version_source"] == "default"


def test_the_environment_names_the_version_and_a_bad_one_is_a_configuration_error(accord):
    outcome = accord("run", "acme", "--clause", "acme.contacts.list.q-filter", env={"ACCORD_ACME_VERSION": "1.0"})
    assert outcome.verdicts("acme")["acme.contacts.list.q-filter"] == "skip"
    assert outcome.results("acme")["run"]["target"]["version_source"] == "environment"
    bad = accord("run", "acme", env={"ACCORD_ACME_VERSION": "one"})
    assert bad.code == 2 and "ACCORD_ACME_VERSION" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_no_simulator_secret_looks_like_words_a_report_must_show():
    """The redactor masks any 8 characters of a secret, in every report of the run: a test credential
    holding a vendor's name, a word of a clause or of a documentation issue ("password"), or the start
    of a run tag would mask those in every vendor's report of a run that includes that vendor."""
    texts = ["accord-0123456789abcdef"]
    for name, vendor in all_vendors().items():
        contract = load_contract(name)
        texts += [name, vendor.title, *contract.clauses]
        texts += [part for c in contract.clauses.values() for part in (c.summary, c.source, c.drift or "")]
        texts += [part for issue in contract.doc_issues for part in (issue.where, issue.says, issue.other_place_says,
                                                                       issue.resolution)]
    words = " ".join(texts).lower()
    for name, vendor in all_vendors().items():
        secret_fields = {c.field for c in vendor.credentials if c.secret}
        for field, value in vendor.simulator.credentials.items() if isinstance(vendor.simulator.credentials, dict) else ():
            if field in secret_fields:
                shared = [value[i:i + 8] for i in range(len(value) - 7) if value[i:i + 8].lower() in words]
                assert not shared, (name, field, shared)
        assert not any(v.startswith("accord-") and v[7:8] in "0123456789abcdef"
                       for f, v in vendor.simulator.credentials.items() if f in secret_fields), name


def test_an_enveloped_page_that_is_not_an_object_is_a_target_error():
    """A target answering a bare array where its documented paging envelope belongs must not crash the
    walk: the verification listing before clean-up and the sweep catch TargetError, not AttributeError."""
    from accord.errors import TargetError
    from accord.pagination import MaxOffset, OffsetNext, PageSize

    for walker in (PageSize(), OffsetNext(items="items"), MaxOffset()):
        def fetch(params):
            response = requests.Response()
            response.status_code, response._content = 200, b"[1, 2]"
            return response

        with pytest.raises(TargetError, match="JSON list"):
            list(walker.walk(fetch))


@pytest.mark.parametrize("walker", [MaxOffset(), OffsetNext(items="data"), PageSize()], ids=type)
def test_a_page_that_is_no_envelope_is_a_target_error_not_a_crash(walker):
    """A target that answers a bare array where its paging envelope belongs must not crash the sweep."""
    bare = requests.Response()
    bare.status_code, bare._content = 200, b'[{"id": 1}]'
    with pytest.raises(TargetError, match="not the paging envelope"):
        list(walker.walk(lambda params: bare))
