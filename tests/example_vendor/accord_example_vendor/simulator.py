"""acme's contacts API as its contract says, on accord's framework-free simulator base."""

from __future__ import annotations

import copy
import re
import secrets
import threading
from typing import Any

from accord.simulate import Request, Response, Simulator, json_response
from accord_example_vendor.faults import CATALOGUE

ACCOUNT, OTHER_ACCOUNT = "acme-1", "acme-2"
USERNAME, PASSWORD = "accord", "ac-test-Pa55-w0rd-m2"
BASE = "/acme/api/v1"
PHONE = re.compile(r"^\+?[0-9 ]{3,20}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FIELDS = ("name", "email", "phone")
PAGE = 10
VERSIONS = ("1.0", "1.1")  # 1.1 added the q filter of the list


class AcmeSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = {"USERNAME": USERNAME, "PASSWORD": PASSWORD}
    base_path = BASE
    sample_requests = {
        "GET contacts": ("GET", f"/accounts/{ACCOUNT}/contacts", "", b""),
        "GET one contact": ("GET", f"/accounts/{ACCOUNT}/contacts/1", "", b""),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, version: str = "1.1") -> None:
        if version not in VERSIONS:
            raise ValueError(f"the simulator imitates versions {', '.join(VERSIONS)}, not {version}")
        self.version = version
        self.contacts: dict[int, dict[str, Any]] = {}
        self.sessions: set[str] = set()
        self._next = 1
        self._lock = threading.Lock()
        super().__init__(faults)
        for n in range(seed_records):
            account = ACCOUNT if n % 2 == 0 else OTHER_ACCOUNT
            self._store({"name": f"existing contact {n}", "email": f"c{n}@example.com", "phone": None}, account)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"contacts": copy.deepcopy(self.contacts)}

    def secrets_issued(self) -> list[str]:
        return sorted(self.sessions)

    def routes(self) -> None:
        self.router.add("POST", "/login", self.login)
        self.router.add("GET", BASE + "/accounts/{account}/contacts", self.guarded(self.list))
        self.router.add("POST", BASE + "/accounts/{account}/contacts", self.guarded(self.create))
        self.router.add("GET", BASE + "/accounts/{account}/contacts/{id}", self.guarded(self.read))
        self.router.add("POST", BASE + "/accounts/{account}/contacts/{id}", self.guarded(self.update))
        self.router.add("DELETE", BASE + "/accounts/{account}/contacts/{id}", self.guarded(self.delete))

    def error_body(self, status: int, message: str) -> Response:
        return json_response(status, {"error": message.lower().replace(" ", "_"), "error_description": message})

    # --- auth ---------------------------------------------------------------------------------------
    def login(self, request: Request) -> Response:
        try:
            form = request.form()
        except ValueError:
            return self.error_body(400, "Bad Request")
        if form.get("username", [""])[-1] != USERNAME or form.get("password", [""])[-1] != PASSWORD:
            return self.error_body(401, "Bad credentials")
        token = secrets.token_hex(8)
        self.sessions.add(token)
        return Response(200, b'{"success": true}', {"Content-Type": "application/json",
                                                      "Set-Cookie": f"ACME_SESSION={token}; Path=/; HttpOnly"})

    def guarded(self, handler):  # noqa: ANN001, ANN202 - decorator over this class's handlers
        def serve(request: Request) -> Response:
            cookie = request.headers.get("Cookie") or ""
            token = dict(p.strip().split("=", 1) for p in cookie.split(";") if "=" in p).get("ACME_SESSION")
            if token not in self.sessions and not self.fault("login-not-required"):
                return self.error_body(401, "Authentication required")
            return handler(request)
        return serve

    # --- records ------------------------------------------------------------------------------------
    def _store(self, fields: dict[str, Any], account: str) -> dict[str, Any]:
        with self._lock:
            record = {"id": self._next, "account": account, **{f: fields.get(f) for f in FIELDS}}
            self.contacts[self._next] = record
            self._next += 1
        return record

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        view = {k: v for k, v in record.items() if k != "account"}
        if self.fault("id-as-string"):
            view["id"] = str(view["id"])
        return view

    def _find(self, request: Request) -> dict[str, Any] | None:
        try:
            record = self.contacts.get(int(request.path_params["id"]))
        except ValueError:
            if self.fault("unknown-id-500"):
                raise
            return None
        if record is None and self.fault("unknown-id-500"):
            raise LookupError("contact")
        if record is not None and record["account"] != request.path_params["account"] \
                and not self.fault("other-account-visible"):
            return None
        return record

    def _form(self, request: Request) -> dict[str, str] | Response:
        if request.media_type == "multipart/form-data" and self.fault("multipart-refused"):
            return self.error_body(415, "Unsupported Media Type")
        try:
            form = {k: v[-1] for k, v in request.form().items()} if request.body else {}
        except ValueError:
            return self.error_body(415, "Unsupported Media Type")
        unknown = sorted(set(form) - set(FIELDS))
        if unknown:
            return self.error_body(400, f"Unknown parameter {unknown[0]}")
        return form

    def _invalid(self, form: dict[str, str], creating: bool) -> str | None:
        name = form.get("name")
        if creating and not name and not self.fault("name-not-required"):
            return "name is required"
        if name is not None and not 1 <= len(name) <= 60 and not (name == "" and self.fault("name-not-required")):
            return "name must have 1 to 60 characters"
        if form.get("email") and (not EMAIL.match(form["email"]) or len(form["email"]) > 80):
            return "email is not an email address"
        if form.get("phone") and not PHONE.match(form["phone"]) and not self.fault("phone-pattern-ignored"):
            return "phone is not a phone number"
        return None

    def list(self, request: Request) -> Response:
        account = request.path_params["account"]
        query = (request.arg("q") or "") if self.version != "1.0" and not self.fault("q-ignored") else ""
        if request.arg("q") == "" and self.fault("empty-query-500"):
            raise ValueError("empty q")
        try:
            offset = int(request.arg("offset") or 0)
            limit = int(request.arg("limit") or PAGE)
        except ValueError:
            return self.error_body(400, "offset and limit are numbers")
        if offset < 0 or not 1 <= limit <= 100:
            return self.error_body(400, "offset must be >= 0 and limit 1 to 100")
        rows = [self._view(r) for r in self.contacts.values()
                if r["account"] == account and query.lower() in (r["name"] or "").lower()]
        page = rows[offset:offset + limit]
        following = offset + limit + (1 if self.fault("paging-skips-one") else 0)
        return json_response(200, {"items": page, "paging": {"next_offset": following if following < len(rows) else None}})

    def create(self, request: Request) -> Response:
        form = self._form(request)
        if isinstance(form, Response):
            return form
        problem = self._invalid(form, creating=True)
        if problem:
            return self.error_body(400, problem)
        if self.fault("email-dropped"):
            form.pop("email", None)
        record = self._store({k: (v if v != "" else None) for k, v in form.items()}, request.path_params["account"])
        return json_response(200 if self.fault("create-answers-200") else 201, self._view(record))

    def read(self, request: Request) -> Response:
        record = self._find(request)
        return json_response(200, self._view(record)) if record else self.not_found(request)

    def update(self, request: Request) -> Response:
        record = self._find(request)
        if record is None:
            return self.not_found(request)
        form = self._form(request)
        if isinstance(form, Response):
            return form
        problem = self._invalid(form, creating=False)
        if problem:
            return self.error_body(400, problem)
        with self._lock:
            if self.fault("update-replaces"):
                record.update({f: None for f in FIELDS if f != "name"})
            record.update({k: (v if v != "" else None) for k, v in form.items()})
        return json_response(202 if self.fault("update-answers-202") else 200, self._view(record))

    def delete(self, request: Request) -> Response:
        record = self._find(request)
        if record is None:
            return self.not_found(request)
        if not self.fault("delete-ignored"):
            with self._lock:
                self.contacts.pop(record["id"], None)
        return json_response(200, {"deleted": True})
