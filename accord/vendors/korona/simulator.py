"""A KORONA.cloud API v3 customer service that behaves as its documentation says (VENDOR-NOTES §1, §6).

Two documentation versions: "3.0" (the default) follows the seed, COMBASE's JS client docs of June
2018 (id-or-number look-up, number-keyed batch update, empty 200 answers); "3.2" follows KORONA's
official OpenAPI 3.2-SNAPSHOT (id-only look-up, 204 answers, writeMode, batch delete). Where both
are silent, the choices are the ones doc-issues.yaml records. Faults (faults.py) switch single
deviations on.
"""

from __future__ import annotations

import base64
import copy
import json
import math
import re
import threading
import uuid
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jsonschema
from packaging.version import InvalidVersion, Version
from referencing import Registry, Resource

from accord.simulate import Request, Response, Simulator, Table, json_response
from accord.simulate.app import empty_response
from accord.vendors.korona.faults import CATALOGUE

SCHEMAS = Path(__file__).resolve().parents[3] / "contracts" / "korona" / "schemas"
BASE_PATH = "/web/api/v3"  # the documented base URL's path; the simulator answers with and without it
TEST_USER, TEST_PASSWORD = "accord", "kr-test-Pa55-w0rd-x3"
ACCOUNT_ID = "6f1c2a9e-0d4b-4c8e-9a51-3b7e0c2d4a01"
OTHER_ACCOUNT_ID = "6f1c2a9e-0d4b-4c8e-9a51-3b7e0c2d4a02"
ACCOUNTS = (ACCOUNT_ID, OTHER_ACCOUNT_ID)  # the test user's two accounts, for tenant isolation
VERSIONS = ("3.0", "3.2")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
DEFAULT_SIZE = 50  # undocumented; [I]
MAX_SORT = 5  # "multiple separated by comma; max. 5"
MAX_BATCH = 1000  # BATCH_SIZE_OUT_OF_RANGE exists, its limit is undocumented; [I]
SEED_FIELDS = ("number", "address", "birthday", "cards", "company", "customerGroup", "economicZone", "email",
               "firstname", "gender", "informations", "lastname", "phone", "taxId", "privacyPolicyAccepted",
               "marketingContactPermitted")
LATER_FIELDS = ("externalId", "useEmailForDigitalReceipt", "lockDeliveryNoteSales")  # 2.17+, served at 3.2
SORTABLE = ("id", "number", "revision", "active", "firstname", "lastname", "company", "email", "phone", "taxId",
            "gender", "birthday", "externalId")
WRITE_MODES = ("DEFAULT", "ADD_OR_UPDATE", "ADD_OR_REPLACE")
NOT_AN_OBJECT = "INVALID_MODEL_PROPERTY: the entry is not a Customer object"


@cache
def _entry_validator() -> jsonschema.Draft202012Validator:
    """The contract's request Customer, open to unknown keys (KORONA ignores them), so the
    simulator and the contract cannot disagree on field types."""
    schemas = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    schema = dict(schemas["CustomerInput.json"])
    schema.pop("additionalProperties", None)
    schema["$id"] = "CustomerEntry.json"
    registry = Registry().with_resources((name, Resource.from_contents(s)) for name, s in schemas.items())
    return jsonschema.Draft202012Validator(schema, registry=registry,
                                           format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


class Refusal(Exception):
    """A request-level 4xx: status, KORONA error code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class KoronaSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = {"USERNAME": TEST_USER, "PASSWORD": TEST_PASSWORD, "ACCOUNT_ID": ACCOUNT_ID}
    other_account_id = OTHER_ACCOUNT_ID
    versions = VERSIONS  # the documentation versions it imitates; any 3.x below 3.2 acts as 3.0, any above as 3.2
    base_path = BASE_PATH
    sample_requests = {
        "GET customers": ("GET", f"/accounts/{ACCOUNT_ID}/customers", "", b""),
        "GET customers?page=2&size=10": ("GET", f"/accounts/{ACCOUNT_ID}/customers", "page=2&size=10", b""),
        "GET customers?revision=1": ("GET", f"/accounts/{ACCOUNT_ID}/customers", "revision=1", b""),
        "GET customers/1": ("GET", f"/accounts/{ACCOUNT_ID}/customers/1", "", b""),
        "POST customers": ("POST", f"/accounts/{ACCOUNT_ID}/customers", "", b'[{"lastname": "accord sample"}]'),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, version: str | None = None) -> None:
        self.version = version or "3.0"
        try:
            parsed = Version(self.version)
        except InvalidVersion as error:
            known = ", ".join(VERSIONS)
            raise ValueError(f"KORONA documentation version {self.version!r} is not a version; known: {known}") from error
        if not Version("3.0") <= parsed < Version("4"):
            raise ValueError(f"KORONA API v3 has no documentation version {self.version!r}; known: {', '.join(VERSIONS)}")
        self.v32 = parsed >= Version("3.2")  # below 3.2 the seed's behaviour, from 3.2 on the official spec's
        self.customers = Table(indexed=("uuid", "key"))
        self._lock = threading.RLock()
        self._revision = 0
        self._last_number = 0
        super().__init__(faults)
        for index in range(seed_records):
            self.seed_customer({"lastname": f"Existing customer {index + 1:05d}", "company": "pre-existing record"})
        for index in range(min(seed_records, 3)):
            self.seed_customer({"lastname": f"Other account customer {index + 1}"}, account=OTHER_ACCOUNT_ID)

    def seed_customer(self, fields: dict[str, Any], account: str = ACCOUNT_ID) -> dict[str, Any]:
        """A customer that exists before the run (the run must leave it unchanged); its view."""
        row = self._insert(account, fields, None)
        return self.view(row)

    def routes(self) -> None:
        add = self.router.add
        for prefix in ("", BASE_PATH):
            collection, item = f"{prefix}/accounts/{{accountId}}/customers", f"{prefix}/accounts/{{accountId}}/customers/{{ref}}"
            add("GET", collection, self.guarded(self.list_customers))
            add("POST", collection, self.guarded(self.add_customers))
            add("PATCH", collection, self.guarded(self.update_customers))
            add("DELETE", collection, self.guarded(self.delete_customers))
            add("GET", item, self.guarded(self.get_customer))
            add("PATCH", item, self.guarded(self.update_customer))
            add("DELETE", item, self.guarded(self.delete_customer))

    # --- responses --------------------------------------------------------------------------------
    def ok(self, status: int, payload: Any) -> Response:
        response = json_response(status, payload)
        if self.fault("json-as-text-plain"):
            response.headers["Content-Type"] = "text/plain; charset=UTF-8"
        return response

    def error(self, status: int, code: str, message: str) -> Response:
        return self.ok(status, {"message": message} if self.fault("errors-without-code") else {"message": message, "code": code})

    def not_found(self, request: Request) -> Response:
        return self.error(404, "INDEX_NOT_FOUND", "no such resource")

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        response = self.error(405, "INDEX_NOT_FOUND", "method not allowed")
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def server_error(self, request: Request, error: Exception) -> Response:
        return json_response(500, {"message": "internal server error"})

    def empty(self, status_30: int = 200) -> Response:
        """The answer without content: the seed's 'empty response body' (200) or 3.2's 204."""
        return empty_response(204 if self.v32 else status_30)

    # --- auth and accounts ------------------------------------------------------------------------
    def guarded(self, handler):  # noqa: ANN001, ANN202 - decorator over this class's handlers
        def serve(request: Request) -> Response:
            if not self.authenticated(request):
                return Response(401, b"", {"WWW-Authenticate": 'Basic realm="KORONA.cloud API v3"'})
            if request.path_params["accountId"] not in ACCOUNTS:
                return self.error(404, "ACCOUNT_NOT_FOUND", "account not found")
            try:
                if request.method == "GET":
                    return handler(request)
                with self._lock:  # a batch checks numbers, then writes: one writer at a time keeps them unique
                    return handler(request)
            except Refusal as refusal:
                return self.error(refusal.status, refusal.code, refusal.message)

        return serve

    def authenticated(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header:
            return self.fault("missing-auth-accepted")
        if self.fault("basic-auth-rejected"):
            return False
        scheme, _, encoded = header.partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        password_ok = password == TEST_PASSWORD or self.fault("wrong-password-accepted")
        return scheme.lower() == "basic" and user == TEST_USER and password_ok

    # --- store ------------------------------------------------------------------------------------
    def _next_revision(self) -> int:
        with self._lock:
            self._revision += 1
            return self._revision

    def _next_number(self, account: str) -> str:
        with self._lock:
            while True:
                self._last_number += 1
                if not self.customers.find("key", (account, str(self._last_number))):
                    return str(self._last_number)

    def _insert(self, account: str, fields: dict[str, Any], revision: int | None) -> dict[str, Any]:
        fields = dict(fields)
        fields.setdefault("number", self._next_number(account))  # [I] the back office numbers customers
        customer_id = fields.pop("id", None) or str(uuid.uuid4())
        return self.customers.insert({
            "account": account, "uuid": customer_id.lower(), "key": (account, fields["number"]), "deleted": False,
            "revision": revision or self._next_revision(), "created": date.today().isoformat(), "fields": fields,
        })

    def _save(self, row: dict[str, Any], fields: dict[str, Any]) -> None:
        changes = {"fields": fields, "key": (row["account"], fields["number"]) if "number" in fields else None}
        if not self.fault("update-keeps-revision"):
            changes["revision"] = self._next_revision()
        self.customers.update(row["id"], changes)

    def by_number(self, account: str, number: str) -> dict[str, Any] | None:
        rows = self.customers.find("key", (account, number))
        return rows[0] if rows else None

    def by_id(self, account: str, customer_id: str) -> dict[str, Any] | None:
        rows = [r for r in self.customers.find("uuid", customer_id.lower()) if not r["deleted"]]
        return next((r for r in rows if r["account"] == account), None)

    def resolve(self, account: str, ref: str) -> dict[str, Any] | None:
        """customerIdOrNumber: a UUID-shaped value is an id, anything else a number (3.0); 3.2 takes ids only."""
        if UUID.match(ref):
            if self.fault("id-lookup-broken"):
                return None
            if self.fault("uuid-rule-inverted") and not self.v32:
                return self.by_number(account, ref) or self.by_id(account, ref)
            return self.by_id(account, ref)
        if self.v32 and not self.fault("number-lookup-kept"):
            raise Refusal(400, "MALFORMED_MODEL_ID_OR_NUMBER", "the customer id must be in uuid format")
        if self.fault("number-lookup-missing") and not self.v32:
            return None
        return self.by_number(account, ref)

    def resolve_for(self, request: Request, leak_fault: str) -> dict[str, Any] | None:
        """The customer a single-object path names, in its account (or any account, under the fault)."""
        accounts = ACCOUNTS if self.fault(leak_fault) else (request.path_params["accountId"],)
        for account in accounts:
            row = self.resolve(account, request.path_params["ref"])
            if row is not None:
                return row
        return None

    def view(self, row: dict[str, Any]) -> dict[str, Any]:
        fields = {k: v for k, v in row["fields"].items() if k in SEED_FIELDS or (self.v32 and k in LATER_FIELDS)}
        if row["deleted"] and not self.fault("deleted-keeps-number"):
            fields.pop("number", None)  # "will be removed when active=false"
        active = not row["deleted"] or self.fault("deleted-marked-active")
        out = {"active": active, "id": row["uuid"], "revision": row["revision"], **copy.deepcopy(fields)}
        if self.v32:
            out["createTime"] = row["created"]
        if self.fault("revision-as-string"):
            out["revision"] = str(row["revision"])
        return out

    # --- bodies -----------------------------------------------------------------------------------
    def read_json(self, request: Request) -> Any:
        if not request.body:
            raise Refusal(400, "MISSING_MODEL", "the request has no body")
        try:
            return request.json()
        except (ValueError, UnicodeDecodeError) as error:
            if self.fault("malformed-json-500"):
                raise RuntimeError("malformed JSON") from error
            raise Refusal(400, "SUBMITTED_DATA_NOT_WELLFORMED", "the submitted data is not well-formed JSON") from error

    def read_batch(self, request: Request) -> list[Any]:
        """The entries of a batch body. An entry that is not an object is an ERROR at its position
        (like any entry that breaks the Customer model); a body that is not an array is a 400."""
        body = self.read_json(request)
        if isinstance(body, dict) and self.fault("non-array-body-accepted"):
            body = [body]
        if not isinstance(body, list):
            raise Refusal(400, "SUBMITTED_DATA_NOT_WELLFORMED", "the body must be an array of customers")
        if len(body) > MAX_BATCH:
            raise Refusal(400, "BATCH_SIZE_OUT_OF_RANGE", f"at most {MAX_BATCH} objects per request")
        return body

    def clean(self, entry: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
        """The entry's known writable fields, or the first way it breaks the Customer model."""
        problems = sorted(_entry_validator().iter_errors(entry), key=lambda e: list(e.absolute_path))
        if problems:
            where = "/".join(map(str, problems[0].absolute_path)) or "(body)"
            return {}, f"INVALID_MODEL_PROPERTY: {where}: {problems[0].message}"
        known = SEED_FIELDS + (LATER_FIELDS if self.v32 else ())
        return {k: copy.deepcopy(v) for k, v in entry.items() if k in known}, None

    # --- getCustomers -----------------------------------------------------------------------------
    def query_int(self, request: Request, name: str, minimum: int | None, bits: int = 32) -> int | None:
        """An int32 (page, size) or int64 (revision) query parameter, as both official specs type them."""
        raw = request.arg(name)
        if raw is None:
            return None
        try:
            value = int(raw)
        except ValueError:
            value = None
        low = minimum if minimum is not None else -(2 ** (bits - 1))
        if value is None or not low <= value < 2 ** (bits - 1):
            if self.fault("invalid-query-ignored"):
                return None
            raise Refusal(400, "INVALID_QUERY_PARAMETER", f"{name} must be an integer" + (f" >= {minimum}" if minimum else ""))
        return value

    def sort_keys(self, request: Request) -> list[str]:
        raw = request.arg("sort")
        if raw is None:
            return []
        if raw == "" and self.fault("empty-sort-500"):
            raise RuntimeError("empty sort")
        keys = [key.strip() for key in raw.split(",") if key.strip()]
        limit = 2 if self.fault("sort-limit-two") else MAX_SORT
        if len(keys) > limit:
            if not self.fault("sort-over-five-accepted") or len(keys) <= MAX_SORT:
                raise Refusal(400, "INVALID_QUERY_PARAMETER", f"sort takes at most {limit} attributes")
            keys = keys[:MAX_SORT]
        unknown = [key for key in keys if key not in SORTABLE]
        if unknown and not self.fault("invalid-query-ignored"):
            raise Refusal(400, "INVALID_QUERY_PARAMETER", f"cannot sort by {unknown[0]!r}")
        return [key for key in keys if key in SORTABLE]

    def list_customers(self, request: Request) -> Response:
        account = request.path_params["accountId"]
        page = self.query_int(request, "page", 1) or 1
        size = self.query_int(request, "size", 1) or DEFAULT_SIZE
        revision = self.query_int(request, "revision", None, bits=64)
        include_raw = request.arg("includeDeleted")
        if include_raw is not None and include_raw.lower() not in ("true", "false") and not self.fault("invalid-query-ignored"):
            raise Refusal(400, "INVALID_QUERY_PARAMETER", "includeDeleted must be true or false")
        include_deleted = (include_raw or "").lower() == "true" and not self.fault("include-deleted-ignored")
        if self.fault("deleted-listed-by-default"):
            include_deleted = True
        keys = self.sort_keys(request)
        if self.fault("size-ignored"):
            size = DEFAULT_SIZE
        if revision is not None and self.fault("revision-filter-ignored"):
            revision = None
        inclusive = self.fault("revision-filter-inclusive")
        accounts = ACCOUNTS if self.fault("list-leaks-across-accounts") else (account,)
        number = request.arg("number") if self.v32 and not self.fault("number-filter-ignored") else None  # 2.13.40+
        sort_on = [] if self.fault("sort-ignored") else keys
        found: list[tuple[tuple[Any, ...], int, str]] = []
        max_revision = 0

        def scan(row: dict[str, Any]) -> bool:
            """Collects (sort key, id) of the matches on the live rows: no copy of the whole table."""
            nonlocal max_revision
            if row["account"] == account:
                max_revision = max(max_revision, row["revision"])
            rev = row["revision"]
            if (row["account"] in accounts and (include_deleted or not row["deleted"])
                    and (revision is None or rev > revision or (inclusive and rev == revision))
                    and (number is None or row["key"] == (row["account"], number))):
                found.append((tuple(_sort_value(_row_value(row, key)) for key in sort_on), row["id"], row["account"]))
            return False

        self.customers.select(scan)
        found.sort()  # by the sort attributes, the first first; then in the order of creation
        if self.fault("list-drops-newest"):
            newest = max((row_id for _, row_id, owner in found if owner == account), default=None)
            found = [entry for entry in found if entry[1] != newest]
        total = len(found)
        pages = math.ceil(total / size)
        start = (page - 1) * size - (1 if self.fault("page-overlap") and page > 1 else 0)
        rows = [self.customers.get(row_id) for _, row_id, _ in found[start:start + size]]
        results = [self.view(row) for row in rows if row is not None]
        if not results and (self.fault("empty-list-204") if not self.v32 else not self.fault("empty-list-200")):
            return empty_response(204)  # 3.2: "the list is empty" (also a page past the last)
        if self.fault("list-bare-array"):
            return self.ok(200, results)
        payload: dict[str, Any] = {
            "currentPage": page - 1 if self.fault("current-page-zero-based") else page,
            "pagesTotal": pages, "resultsOfPage": len(results), "resultsTotal": total,
            "links": self.links(request, page, pages), "results": results,
        }
        if self.v32:
            payload["maxRevision"] = max_revision
        return self.ok(200, payload)

    def links(self, request: Request, page: int, pages: int) -> dict[str, str]:
        def at(number: int) -> str:
            query = {name: values[-1] for name, values in request.query.items()}
            return f"{request.path}?{urlencode({**query, 'page': number})}"

        links = {"self": at(page)}
        if page > 1:
            links["previous"] = at(min(page - 1, max(pages, 1)))
        if page < pages:
            links["next"] = at(page if self.fault("links-next-repeats-page") else page + 1)
        return links

    # --- getCustomer ------------------------------------------------------------------------------
    def missing(self, ref: str) -> Refusal:
        code = "MODEL_ID_NOT_FOUND" if UUID.match(ref) else "NUMBER_NOT_FOUND"
        return Refusal(404, code, f"no customer {ref}")

    def get_customer(self, request: Request) -> Response:
        row = self.resolve_for(request, "get-ignores-account")
        if row is None:
            if self.fault("unknown-id-500"):
                raise RuntimeError("customer not found")
            raise self.missing(request.path_params["ref"])
        customer = self.view(row)
        return self.ok(200, {"customer": customer} if self.fault("get-wrapped") else customer)

    # --- addCustomers -----------------------------------------------------------------------------
    def write_mode(self, request: Request) -> str:
        if not self.v32 or self.fault("write-mode-ignored"):
            return "DEFAULT"
        mode = request.arg("writeMode")
        if mode is None:
            return "ADD_OR_UPDATE" if (request.arg("upsert") or "").lower() == "true" else "DEFAULT"
        if mode not in WRITE_MODES:
            raise Refusal(400, "INVALID_QUERY_PARAMETER", f"writeMode must be one of {', '.join(WRITE_MODES)}")
        return mode

    def add_customers(self, request: Request) -> Response:
        account = request.path_params["accountId"]
        mode = self.write_mode(request)
        entries = self.read_batch(request)
        shared = self._next_revision() if self.fault("revision-shared-by-batch") else None
        results = [self.add_one(request, account, entry, mode, shared) for entry in entries]
        if self.fault("batch-errors-last"):
            results = [r for r in results if r["status"] == "OK"] + [r for r in results if r["status"] != "OK"]
        return self.ok(200, results)

    def add_one(self, request: Request, account: str, entry: Any, mode: str, shared: int | None) -> dict[str, Any]:
        if not isinstance(entry, dict):
            return _error(NOT_AN_OBJECT, None)
        fields, problem = self.clean(entry)
        number = entry.get("number") if isinstance(entry.get("number"), str) else None
        if problem:
            return _error(problem, number)
        if self.fault("empty-strings-dropped"):
            fields = {k: v for k, v in fields.items() if v != ""}
        if self.fault("create-drops-address"):
            fields.pop("address", None)
        existing = self.by_number(account, number) if number is not None else None
        wanted_id = entry.get("id") if self.v32 and isinstance(entry.get("id"), str) and UUID.match(entry["id"]) else None
        if existing is None and wanted_id and self.customers.find("uuid", wanted_id.lower()):
            existing = self.by_id(account, wanted_id)
            if existing is None:
                return _error(f"MALFORMED_MODEL_ID_OR_NUMBER: id {wanted_id} is already in use", number)
        if existing is not None and mode != "DEFAULT":
            keep = existing["fields"] if mode == "ADD_OR_UPDATE" else {"number": existing["fields"]["number"]}
            merged = {**keep, **fields}
            self._save(existing, merged)
            return self.result("UPDATED", request, self.customers.get(existing["id"]))
        if existing is not None and not self.fault("duplicate-number-accepted"):
            return _error(f"NUMBER_ALREADY_IN_USE: number {number} is already in use", number)
        if wanted_id:
            fields["id"] = wanted_id
        return self.result("ADDED", request, self._insert(account, fields, shared))

    def result(self, action: str, request: Request, row: dict[str, Any]) -> dict[str, Any]:
        base = request.path if request.path.endswith("/customers") else request.path.rsplit("/", 1)[0]
        out = {"action": action, "status": "OK", "id": row["uuid"], "href": f"{base}/{row['uuid']}"}
        if row["fields"].get("number") is not None and not row["deleted"]:
            out["number"] = row["fields"]["number"]
        if self.v32:
            out["revision"] = row["revision"]
        if self.fault("create-result-without-id") and action == "ADDED":
            del out["id"], out["href"]
        return out

    # --- updateCustomer and updateCustomers -------------------------------------------------------
    def apply(self, row: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any] | None:
        """Merge (or, under the fault, replace) the fields into the customer; the error text if the new
        number is taken."""
        new_number = fields.get("number")
        if new_number is not None and new_number != row["fields"].get("number"):
            holder = self.by_number(row["account"], new_number)
            if holder is not None and holder["id"] != row["id"]:
                raise Refusal(400, "NUMBER_ALREADY_IN_USE", f"number {new_number} is already in use")
        keep = {"number": row["fields"]["number"]} if self.fault("patch-replaces") else row["fields"]
        merged = {**keep, **fields}
        if not self.fault("update-not-persisted"):
            self._save(row, merged)
        return self.customers.get(row["id"])

    def update_customer(self, request: Request) -> Response:
        row = self.resolve_for(request, "update-ignores-account")
        body = self.read_json(request)
        if row is None:
            if self.fault("update-unknown-creates") and not UUID.match(request.path_params["ref"]) and isinstance(body, dict):
                fields = {**self.clean(body)[0], "number": request.path_params["ref"]}
                self._insert(request.path_params["accountId"], fields, None)
                return self.empty_update(None)
            raise self.missing(request.path_params["ref"])
        if not isinstance(body, dict):
            raise Refusal(400, "SUBMITTED_DATA_NOT_WELLFORMED", "the body must be a Customer object")
        fields, problem = self.clean(body)
        if problem and self.fault("update-invalid-accepted"):
            fields, problem = {k: v for k, v in body.items() if k in SEED_FIELDS}, None
        if problem:
            raise Refusal(400, "INVALID_MODEL_PROPERTY", problem.removeprefix("INVALID_MODEL_PROPERTY: "))
        updated = self.apply(row, fields)
        return self.empty_update(updated)

    def empty_update(self, row: dict[str, Any] | None) -> Response:
        if self.fault("update-returns-customer") and not self.v32 and row is not None:
            return self.ok(200, self.view(row))
        if self.fault("update-answers-200") and self.v32:
            return empty_response(200)
        return self.empty()

    def update_customers(self, request: Request) -> Response:
        account = request.path_params["accountId"]
        entries = self.read_batch(request)
        results: list[dict[str, Any]] = []
        stopped = False
        for entry in entries:
            if stopped:
                results.append(_error("not applied: an earlier entry failed", None))
                continue
            result = self.update_one(request, account, entry)
            results.append(result)
            stopped = result["status"] == "ERROR" and self.fault("batch-update-stops-at-error")
        return self.ok(200, results)

    def update_one(self, request: Request, account: str, entry: Any) -> dict[str, Any]:
        if not isinstance(entry, dict):
            return _error(NOT_AN_OBJECT, None)
        number = entry.get("number") if isinstance(entry.get("number"), str) else None
        customer_id = entry.get("id") if isinstance(entry.get("id"), str) and UUID.match(entry["id"]) else None
        by_id = not self.fault("batch-update-id-ignored") if self.v32 else self.fault("batch-update-by-id")
        if number is None and not (by_id and customer_id):
            return _error("number must be set in the objects, otherwise the object cannot be updated"
                          if not self.v32 else "id or number required", None)
        fields, problem = self.clean(entry)
        if problem:
            return _error(problem, number)
        accounts = ACCOUNTS if self.fault("update-ignores-account") else (account,)
        row = None
        for acc in accounts:
            row = (self.by_id(acc, customer_id) if by_id and customer_id else None) or (
                self.by_number(acc, number) if number is not None else None)
            if row is not None:
                break
        if row is None:
            return _error(f"NUMBER_NOT_FOUND: no customer {number or customer_id}", number)
        try:
            updated = self.apply(row, fields)
        except Refusal as refusal:
            return _error(f"{refusal.code}: {refusal.message}", number)
        return self.result("ADDED" if self.fault("batch-update-action-added") else "UPDATED", request, updated)

    # --- deleteCustomer and deleteCustomers -------------------------------------------------------
    def remove(self, row: dict[str, Any]) -> None:
        if not self.fault("delete-keeps-customer"):
            self.customers.update(row["id"], {"deleted": True, "key": None, "revision": self._next_revision()})

    def delete_customer(self, request: Request) -> Response:
        row = self.resolve_for(request, "delete-ignores-account")
        if row is None:
            if self.fault("delete-unknown-succeeds"):
                return self.empty()
            raise self.missing(request.path_params["ref"])
        self.remove(row)
        if self.fault("delete-returns-customer") and not self.v32:
            return self.ok(200, self.view(row))
        if self.fault("delete-answers-200") and self.v32:
            return empty_response(200)
        return empty_response(202) if self.fault("delete-answers-202") else self.empty()

    def delete_customers(self, request: Request) -> Response:
        if not self.v32:
            return self.method_not_allowed(request, ["GET", "PATCH", "POST"])
        account = request.path_params["accountId"]
        results = []
        for entry in self.read_batch(request):
            if not isinstance(entry, dict):
                results.append(_error(NOT_AN_OBJECT, None))
                continue
            number = entry.get("number") if isinstance(entry.get("number"), str) else None
            customer_id = entry.get("id") if isinstance(entry.get("id"), str) else None
            if customer_id is not None and not UUID.match(customer_id):
                results.append(_error("MALFORMED_MODEL_ID_OR_NUMBER: id must be in uuid format", number))
                continue
            row = (self.by_id(account, customer_id) if customer_id else None) or (
                self.by_number(account, number) if number is not None else None)
            if row is None:
                results.append(_error("id or number of an existing customer required", number))
                continue
            if not self.fault("batch-delete-ignored"):
                self.remove(row)
            results.append(self.result("DELETED", request, self.customers.get(row["id"])))
        return self.ok(200, results)


def _row_value(row: dict[str, Any], key: str) -> Any:
    """A sort attribute of a stored customer, as its view shows it."""
    if key == "id":
        return row["uuid"]
    if key == "revision":
        return row["revision"]
    if key == "active":
        return not row["deleted"]
    return None if key == "number" and row["deleted"] else row["fields"].get(key)


def _sort_value(value: Any) -> tuple[bool, Any]:
    """Absent values first; numbers (revision) by value, everything else by its text."""
    return value is not None, value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _error(message: str, number: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"status": "ERROR", "message": message}
    if isinstance(number, str):
        out["number"] = number
    return out
