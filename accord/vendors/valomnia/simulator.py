"""A Valomnia API v2.1 customer service that behaves as its documentation says.

vendor-docs/valomnia-customers-api-v2.1.txt (chapter 11, Customers) is the contract; the login is
the documented Spring Security form login (VENDOR-NOTES §4.2). Where the documentation names an
error but not what provokes it, the simulator follows the framework the vendor runs on (Grails with
Spring Security: params binding, empty strings bound as null, a failed login redirected to
/login/authfail); contracts/valomnia/doc-issues.yaml lists the choices. Faults (faults.py) switch
single deviations on.

Routes: the API under ``/api/v<version>`` (the suite's base URL is ``http://HOST/api/v2.1``), the
login, logout and ajax pages and the uploaded images on the host root.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlencode

from accord.simulate import Request, Response, Simulator, Table, json_response
from accord.vendors.valomnia.faults import CATALOGUE
from accord.vendors.valomnia.forms import Form, MalformedBody, parse_bool, parse_int, read_form
from accord.vendors.valomnia.model import (
    CATEGORIES,
    DATE_FILTERS,
    DEFAULTS,
    DEPRECATION_WARNING,
    DUE_DATE_TYPES,
    IMAGE_DIR,
    LIST_PARAMS,
    LOGIN_USER,
    ORGANIZATION,
    PAYMENT_TYPES,
    REGIONS,
    SEED_EPOCH,
    SEGMENTATIONS,
    SERVER_ERROR,
    SORTABLE,
    USERS,
    WILDCARD_FILTERS,
    Refused,
    bad_type,
    parse_stamp,
    stamp,
    wildcard,
)
from accord.vendors.valomnia.rules import FormRules
from accord.vendors.valomnia.sessions import Sessions

DEFAULT_VERSION = "2.1"
TEST_USERNAME, TEST_PASSWORD = "foobar@example.com", "vm-test-Pa55-w0rd-y5"
TEST_SESSION = "0A11CE5E5510A00000000000000ACC0D"  # a fixed JSESSIONID without idle timeout (ACCORD_VALOMNIA_SESSION)
EXPIRED_SESSION = "0E1A5ED5E5510A0000000000000ACC0D"  # issued once, idle longer than the session lifetime
SESSION_LIFETIME = 30 * 60.0  # Tomcat's default session-timeout

# Target facts a suite needs besides the credentials (for a Vendor's simulator_settings; on a live
# target the user names their own): an expired session, and reference data the forms point at.
SIMULATOR_SETTINGS = {
    "EXPIRED_SESSION": EXPIRED_SESSION, "CATEGORY_ID": "6", "CATEGORY_REFERENCE": "Ref-6", "SEGMENTATION_ID": "1",
    "USER_ID": "1", "PAYMENT_TYPE_IDS": "7,8", "CURRENCY": "USD", "UNCONFIGURED_CURRENCY": "GBP", "REGION_ID": "3",
}


class ValomniaSimulator(FormRules, Simulator):
    """Customers, sessions and uploaded logos of one organisation; ``clock`` (seconds since the epoch)
    and ``session_lifetime`` (idle seconds) let tests move time instead of waiting for it."""

    catalogue = CATALOGUE
    credentials = {"USERNAME": TEST_USERNAME, "PASSWORD": TEST_PASSWORD, "SESSION": TEST_SESSION}
    base_path = f"/api/v{DEFAULT_VERSION}"  # the instance's own follows its version
    # Paths relative to the base URL. Grails reads query and form parameters alike: the upsert's form
    # rides in the query string, so the sample needs no body encoding (creates first, updates after).
    sample_requests = {
        "GET customers": ("GET", "/customers", "", b""),
        "GET customers?name=*zz*": ("GET", "/customers", "name=%2Azz%2A", b""),
        "GET customers/1": ("GET", "/customers/1", "", b""),
        "POST customers/reference/accord-sample": ("POST", "/customers/reference/accord-sample", "name=accord+sample", b""),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, version: str | None = None,
                 session_lifetime: float = SESSION_LIFETIME, clock: Callable[[], float] = time.time) -> None:
        self.version = version or DEFAULT_VERSION
        self.api = self.base_path = f"/api/v{self.version}"
        self.clock = clock
        self.customers = Table(indexed=("reference", "parentId"))
        self.images: dict[str, bytes] = {}
        self._stamps = threading.Lock()
        self._last_stamp = 0
        super().__init__(faults)
        self.sessions = Sessions(session_lifetime, clock, never_expire=self.fault("session-never-expires"))
        self.sessions.open(LOGIN_USER, TEST_SESSION, permanent=True)  # `accord serve` users keep it all day
        self.sessions.open(LOGIN_USER, EXPIRED_SESSION, idle_for=session_lifetime + 60)
        for index in range(seed_records):
            self.seed_customer({"reference": f"SEED-{index + 1:05d}", "name": f"Existing customer {index + 1:05d}",
                                "comment": "pre-existing record"}, SEED_EPOCH + 60 * index)

    def seed_customer(self, values: dict[str, Any], created: int | None = None) -> dict[str, Any]:
        """A record that exists before the run (the run must leave it byte-for-byte unchanged)."""
        when = created if created is not None else self._stamp()
        return self.customers.insert({**DEFAULTS, **values, "dateCreated": when, "lastUpdated": when})

    def snapshot(self) -> dict[str, Any]:
        """Every customer, deep-copied (accord's do-no-harm tests compare two). Uploaded logo files are
        not records of the API: it offers no way to list or delete them, so a run cannot be asked to."""
        return {"customers": self.customers.snapshot()}

    def secrets_issued(self) -> list[str]:
        """Every JSESSIONID handed out, the fixed ones included: none may appear in a report."""
        return self.sessions.issued()

    def _stamp(self) -> int:
        """The time of a write, in whole seconds, strictly after the previous write's: filters at an
        exact timestamp (gt against gte) then tell records apart."""
        with self._stamps:
            self._last_stamp = max(int(self.clock()), self._last_stamp + 1)
            return self._last_stamp

    def routes(self) -> None:
        add, api = self.router.add, self.api
        add("POST", "/j_spring_security_check", self.login)
        add("GET", "/j_spring_security_logout", self.logout)
        add("POST", "/j_spring_security_logout", self.logout)
        add("GET", "/login/ajaxSuccess", self.ajax_success)
        add("GET", "/login/authfail", self.auth_fail)
        add("GET", "/login/auth", self.login_page)
        add("GET", f"/{IMAGE_DIR}/{{name}}", self.image)
        add("GET", f"{api}/customers", self.guarded(self.list_customers))
        add("POST", f"{api}/customers", self.guarded(self.create_customer))
        add("GET", f"{api}/customers/reference/{{reference}}", self.guarded(self.show_by_reference))
        add("POST", f"{api}/customers/reference/{{reference}}", self.guarded(self.upsert_customer))
        add("DELETE", f"{api}/customers/reference/{{reference}}", self.guarded(self.delete_by_reference))
        add("GET", f"{api}/customers/{{id}}", self.guarded(self.show_by_id))
        add("POST", f"{api}/customers/{{id}}", self.guarded(self.update_by_id))
        add("DELETE", f"{api}/customers/{{id}}", self.guarded(self.delete_by_id))

    # --- answers ------------------------------------------------------------------------------------
    def ok(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        response = json_response(status, payload, headers)
        if self.fault("json-as-text-plain"):
            response.headers["Content-Type"] = "text/plain;charset=UTF-8"
        return response

    def error(self, status: int, code: str, description: str) -> Response:
        if self.fault("error-envelope-message"):
            return self.ok(status, {"message": description})
        return self.ok(status, {"error": code, "error_description": description})

    def refused(self, refusal: Refused) -> Response:
        return self.error(refusal.status, refusal.code, refusal.description)

    def not_found(self, request: Request) -> Response:
        return self.error(404, "not_found", f"No resource found at {request.path}.")

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        response = self.error(405, "method_not_allowed", f"The method {request.method} is not allowed here.")
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def server_error(self, request: Request, error: Exception) -> Response:
        return self.error(500, "server_error", SERVER_ERROR)

    # --- authentication -------------------------------------------------------------------------------
    @staticmethod
    def session_id(request: Request) -> str | None:
        for pair in request.headers.get("Cookie", "").split(";"):
            name, _, value = pair.strip().partition("=")
            if name == "JSESSIONID":
                return value.strip()
        return None

    def current_user(self, request: Request) -> int | None:
        session = self.session_id(request)
        if session is None:
            return LOGIN_USER if self.fault("missing-session-accepted") else None
        user = self.sessions.user(session)
        if user is None and self.fault("any-session-accepted"):
            return LOGIN_USER
        return user

    def guarded(self, handler: Callable[[Request], Response]) -> Callable[[Request], Response]:
        def serve(request: Request) -> Response:
            if self.current_user(request) is None:
                return self.error(401, "unauthorized", "Full authentication is required to access this resource.")
            try:
                return handler(request)
            except Refused as refusal:
                return self.refused(refusal)

        return serve

    def login(self, request: Request) -> Response:
        """POST /j_spring_security_check (VENDOR-NOTES §4.2): a session cookie and a 302, to
        /login/ajaxSuccess when it worked, to /login/authfail when it did not (Spring Security's
        ajax-aware handlers; a failed attempt still leaves an anonymous session behind)."""
        try:
            form = read_form(request.headers.get("Content-Type"), request.body, request.query)
        except MalformedBody:
            form = Form()
        ajax = form.fields.get("ajax") == "true"
        user_ok = form.fields.get("j_username") == TEST_USERNAME
        password_ok = form.fields.get("j_password") == TEST_PASSWORD or self.fault("wrong-password-accepted")
        if user_ok and password_ok:
            session = self.sessions.open(LOGIN_USER)
            target = "/login/ajaxSuccess" if ajax else "/"
            headers = {"Location": target}
            if not self.fault("login-sets-no-cookie"):
                headers["Set-Cookie"] = f"JSESSIONID={session}; Path=/; HttpOnly"
            else:
                headers["Location"] = f"{target}?token={session}" if ajax else target
            return Response(302, b"", headers)
        session = self.sessions.open(None)
        target = "/login/authfail?ajax=true" if ajax else "/login/auth?login_error=1"
        return Response(302, b"", {"Location": target, "Set-Cookie": f"JSESSIONID={session}; Path=/; HttpOnly"})

    def ajax_success(self, request: Request) -> Response:
        """The documented JSON after a successful ajax login (authentication.html, Success Output)."""
        session = self.session_id(request) or request.arg("token")
        if self.sessions.user(session) is None:
            return self.error(401, "unauthorized", "Full authentication is required to access this resource.")
        token = session if not self.fault("ajax-success-token-mismatch") else session[::-1]
        return self.ok(200, {
            "warning": {"warning_code": "deprecated_version", "warning_description": DEPRECATION_WARNING},
            "success": True,
            "token": token,
            "user": {
                "firstName": "Jane", "lastName": "Doe", "email": TEST_USERNAME, "address": None, "city": None,
                "country": None, "postalCode": None, "gender": None, "phone": None, "job": None,
                "avatar": "1455115600210_1448038178_supportfemale.png", "birthday": None, "companyName": ORGANIZATION,
                "companyDescription": None, "companyPhone": None, "companyFax": None, "companyEmail": TEST_USERNAME,
                "companyWebSite": None, "companyAddress": None, "companyPostalCode": None, "companyCity": "Sousse",
                "companyCountry": "TN", "isGeoLocationActivated": True, "enableCheckStock": True,
                "enableAssignRegionToCustomer": True, "role": ["ROLE_ADMIN"], "enabled": True,
            },
        })

    def auth_fail(self, request: Request) -> Response:
        """Spring Security core's ajax failure page: 200 with {"error": ...} and no session."""
        return self.ok(200, {"error": "Sorry, we were not able to find a user with that username and password."})

    def login_page(self, request: Request) -> Response:
        return Response(200, b"<html><body><form action=\"/j_spring_security_check\" method=\"POST\"></form></body></html>",
                        {"Content-Type": "text/html;charset=UTF-8"})

    def logout(self, request: Request) -> Response:
        if not self.fault("logout-keeps-session"):
            self.sessions.close(self.session_id(request))
        return Response(302, b"", {"Location": "/"})

    # --- rendering ----------------------------------------------------------------------------------
    def href(self, kind: str, item_id: int) -> str:
        return f"{self.api}/{kind}/{item_id}"

    def view(self, row: dict[str, Any]) -> dict[str, Any]:
        """A customer as the documentation shows it (11.1-11.5 Success Output), field for field."""
        category_ref, category_name = CATEGORIES[row["categoryId"]]
        segmentation = row["segmentationId"]
        parent = self.customers.get(row["parentId"]) if row["parentId"] is not None else None
        user = row["createdBy"]
        created_by = {"userId": user, "reference": USERS[user], "href": self.href("users", user)}
        if self.fault("nested-href-missing"):
            del created_by["href"]
        region = row["regionId"]
        out: dict[str, Any] = {
            "id": row["id"], "reference": row["reference"], "reference2": row["reference2"], "name": row["name"],
            "categoryReference": category_ref,
            "customerCategory": {"id": row["categoryId"], "reference": category_ref, "name": category_name,
                                 "href": self.href("customerCategories", row["categoryId"])},
            "isSubCustomer": row["isSubCustomer"],
            "parentCustomer": None if parent is None else {"id": parent["id"], "reference": parent["reference"],
                                                           "href": self.href("customers", parent["id"])},
            "billWithParent": row["billWithParent"],
            "customerSegmentationReference": SEGMENTATIONS[segmentation][0] if segmentation else None,
            "customerSegmentation": None if not segmentation else {
                "id": segmentation, "reference": SEGMENTATIONS[segmentation][0], "name": SEGMENTATIONS[segmentation][1],
                "href": self.href("customerSegmentations", segmentation)},
            "pocTenus": None,
        }
        for name in ("email", "logo", "phone", "mobile", "fax", "comment", "barcode", "isSameAddress", "billingCountry",
                     "billingCity", "billingPostalCode", "billingAddress", "billingLat", "billingLng", "country", "city",
                     "postalCode", "address", "latitude", "longitude"):
            out[name] = row[name]
        out.update({
            "isCredit": None, "creditLimit": row["creditLimit"], "balance": None, "maxChequePeriod": None,
            "maxChequeValue": None, "appliedCashBackOutput": None, "returnDiscount": None, "invoicesPerRoute": None,
            "isActive": row["isActive"], "onHold": row["onHold"], "onHoldReason": row["onHoldReason"], "paymentTerm": None,
            "createdBy": created_by, "dueDateConfigNumber": row["dueDateConfigNumber"],
            "dueDateConfigType": (row["dueDateConfigType"] if self.fault("due-date-type-numeric")
                                  else DUE_DATE_TYPES.get(row["dueDateConfigType"] or "")),
            "paymentTypes": [{"id": pid, "reference": PAYMENT_TYPES[pid][0], "name": PAYMENT_TYPES[pid][1],
                              "href": self.href("paymentTypes", pid)} for pid in row["paymentTypes"]],
            "website": row["website"], "taxNumber": row["taxNumber"],
            "companyRegistrationNumber": row["companyRegistrationNumber"],
            "contacts": [], "currency": row["currency"], "customerRisk": row["customerRisk"],
            "customerRiskColor": row["customerRiskColor"], "organization": ORGANIZATION,
            "dateCreated": stamp(row["dateCreated"]), "lastUpdated": stamp(row["lastUpdated"]),
            "region": None if region is None else {"id": region, "name": REGIONS[region], "href": self.href("regions", region)},
        })
        if self.fault("credit-limit-as-string") and out["creditLimit"] is not None:
            out["creditLimit"] = str(out["creditLimit"])
        return out

    # --- list ---------------------------------------------------------------------------------------
    def list_customers(self, request: Request) -> Response:
        unknown = [name for name in request.query if name not in LIST_PARAMS]
        if unknown and not self.fault("unknown-parameter-accepted"):
            names = ", ".join(unknown)
            raise Refused(400, "invalid_param", f"The parameters [{names}] you provided are not valid for this request.")
        if request.arg("name") == "" and self.fault("empty-filter-500"):
            return self.server_error(request, RuntimeError("empty name filter"))
        lenient = self.fault("invalid-value-ignored")
        default_max = 20 if self.fault("default-max-20") else 100
        size = self._count(request, "max", default_max, lenient)
        offset = 0 if self.fault("offset-ignored") else self._count(request, "offset", 0, lenient)
        order = request.arg("order") or "asc"
        if order not in ("asc", "desc"):
            if not lenient:
                raise bad_type("order")
            order = "asc"
        sort = request.arg("sort") or "dateCreated"
        if sort not in SORTABLE:
            if not lenient:
                raise bad_type("sort")
            sort = "dateCreated"
        where = self._filters(request, lenient)
        key_field = "dateCreated" if self.fault("sort-ignored") else sort
        matches: list[tuple[tuple[Any, ...], int]] = []

        def collect(row: dict[str, Any]) -> bool:
            """Keep the sort key and id of a match, and copy no row: only the page is read in full
            (a list of 100,000 seeded customers costs a sort, not 100,000 deep copies)."""
            if where(row):
                matches.append((self._sort_key(row, key_field), row["id"]))
            return False

        self.customers.select(collect)
        if self.fault("list-drops-newest") and matches:
            newest = max(row_id for _, row_id in matches)
            matches = [match for match in matches if match[1] != newest]
        matches.sort(reverse=order == "desc" and not self.fault("order-ignored"))
        page_ids = [row_id for _, row_id in matches[offset:offset + size + (1 if self.fault("max-plus-one") else 0)]]
        rows = matches
        data = [self.view(row) for row in (self.customers.get(row_id) for row_id in page_ids) if row is not None]
        if self.fault("list-bare-array"):
            return self.ok(200, data)
        total = len(data) if self.fault("paging-total-page-size") else len(rows)
        kept = [(name, value) for name, values in request.query.items() if name not in ("max", "offset", "sort", "order")
                for value in values]
        if self.fault("next-drops-filters"):
            kept = []

        def link(to: int) -> str:
            query = [("max", size), ("offset", to), ("sort", sort), ("order", order), *kept]
            return f"{self.api}/customers?{urlencode(query)}"

        paging = {
            "total": total, "max": size, "offset": offset,
            "previous": link(max(0, offset - size)) if offset > 0 or self.fault("previous-on-first-page") else None,
            "next": link(offset + size) if size > 0 and offset + size < len(rows) else None,
        }
        return self.ok(200, {"paging": paging, "data": data})

    @staticmethod
    def _count(request: Request, name: str, default: int, lenient: bool) -> int:
        raw = request.arg(name)
        if raw in (None, ""):
            return default
        value = parse_int(raw)
        if value is None or value < 0:
            if lenient:
                return default
            raise bad_type(name)
        return value

    @staticmethod
    def _sort_key(row: dict[str, Any], field: str) -> tuple[Any, ...]:
        value = CATEGORIES[row["categoryId"]][0] if field == "categoryReference" else row.get(field)
        if isinstance(value, str):
            value = value.casefold()
        return (value is not None, value if value is not None else 0, row["id"])

    def _filters(self, request: Request, lenient: bool) -> Callable[[dict[str, Any]], bool]:
        tests: list[Callable[[dict[str, Any]], bool]] = []
        for name, (field, op) in DATE_FILTERS.items():
            raw = request.arg(name)
            if not raw:
                continue
            bound = parse_stamp(raw)
            if bound is None:
                if self.fault("bad-datetime-ignored"):
                    continue
                raise Refused(400, "invalid_datetime_format", f"Invalid datetime filter (not ISO-8601 formatted): [{raw}]")
            tests.append(self._date_test(field, op, bound))
        for name in WILDCARD_FILTERS:
            raw = request.arg(name)
            if not raw or (name == "categoryReference" and self.fault("category-filter-ignored")):
                continue
            pattern = wildcard(raw, literal=name == "reference" and self.fault("wildcard-as-exact"),
                               leading=not (name == "name" and self.fault("name-wildcard-prefix-only")))
            if name == "categoryReference":
                tests.append(lambda row, p=pattern: p.fullmatch(CATEGORIES[row["categoryId"]][0]) is not None)
            else:
                tests.append(lambda row, p=pattern, f=name: row[f] is not None and p.fullmatch(row[f]) is not None)
        raw = request.arg("isActive")
        if raw:
            active = parse_bool(raw)
            if active is None and not lenient:
                raise bad_type("isActive")
            if active is not None and not self.fault("is-active-filter-ignored"):
                tests.append(lambda row: row["isActive"] is active)
        return lambda row: all(test(row) for test in tests)

    def _date_test(self, field: str, op: str, bound: int) -> Callable[[dict[str, Any]], bool]:
        if field == "lastUpdated" and self.fault("last-updated-filters-use-date-created"):
            field = "dateCreated"
        swaps = {"gt": ("gt-as-gte", "gte"), "gte": ("gte-as-gt", "gt"), "lt": ("lt-as-lte", "lte"), "lte": ("lte-as-lt", "lt")}
        fault, other = swaps[op]
        if self.fault(fault):
            op = other
        compare = {"gt": lambda v: v > bound, "gte": lambda v: v >= bound,
                   "lt": lambda v: v < bound, "lte": lambda v: v <= bound}[op]
        return lambda row: compare(row[field])

    # --- show ---------------------------------------------------------------------------------------
    def _by_id(self, request: Request, numeric_fault: str) -> dict[str, Any]:
        raw = unquote(request.path_params["id"])
        if not raw.isdigit():
            if self.fault(numeric_fault):
                raise Refused(404, "not_found", f"The customer with the id {raw} doesn't exist.")
            raise bad_type("id")
        row = self.customers.get(int(raw))
        if row is None:
            raise Refused(404, "not_found", f"The customer with the id {raw} doesn't exist.")
        return row

    def _by_reference(self, reference: str) -> dict[str, Any] | None:
        found = self.customers.find("reference", reference)
        return found[0] if found else None

    def show_by_id(self, request: Request) -> Response:
        try:
            row = self._by_id(request, "non-numeric-id-404")
        except Refused as refusal:
            if refusal.status == 404 and self.fault("unknown-id-400"):
                raise Refused(400, "not_found", refusal.description) from None
            raise
        view = self.view(row)
        return self.ok(200, {"data": view} if self.fault("show-wrapped") else view)

    def show_by_reference(self, request: Request) -> Response:
        reference = unquote(request.path_params["reference"])
        row = self._by_reference(reference)
        if row is None or self.fault("show-by-reference-404"):
            status = 400 if self.fault("unknown-id-400") and row is None else 404
            raise Refused(status, "not_found", f"The customer with the reference {reference} doesn't exist.")
        return self.ok(200, self.view(row))

    def image(self, request: Request) -> Response:
        """Uploaded logos; small_ and medium_ name the resized copies (11.2)."""
        name = unquote(request.path_params["name"])
        original = re.sub(r"^(small|medium)_", "", name)
        if original != name and self.fault("no-resized-images"):
            return self.not_found(request)
        data = self.images.get(original)
        if data is None:
            return self.not_found(request)
        kinds = {b"\xff\xd8": "image/jpeg", b"\x89P": "image/png", b"GI": "image/gif", b"BM": "image/bmp"}
        kind = kinds.get(data[:2], "image/png")
        return Response(200, data, {"Content-Type": kind})

    # --- create, update, upsert -------------------------------------------------------------------
    def create_customer(self, request: Request, path_reference: str | None = None, unique: bool = True) -> Response:
        form = self._form(request, creating=True)
        values = self._validate(form, None, True, self.host(request), path_reference, unique)
        if self.fault("is-active-default-false"):
            values.setdefault("isActive", False)
        row = self.seed_customer({**DEFAULTS, **{k: v for k, v in values.items() if k != "dateCreated"}})
        if "dateCreated" in values:
            row = self.customers.update(row["id"], {"dateCreated": values["dateCreated"]}) or row
        return self.ok(200 if self.fault("create-answers-200") else 201, self.view(row))

    def update_customer(self, request: Request, current: dict[str, Any]) -> Response:
        form = self._form(request, creating=False)
        values = self._validate(form, current, False, self.host(request))
        base = {**DEFAULTS, "reference": current["reference"], "name": current["name"], "createdBy": current["createdBy"],
                "dateCreated": current["dateCreated"]} if self.fault("update-replaces") else current
        merged = {**base, **values, "id": current["id"]}
        if not self.fault("last-updated-unchanged"):
            merged["lastUpdated"] = self._stamp()
        if self.fault("date-created-bumped-on-update"):
            merged["dateCreated"] = merged["lastUpdated"]
        if not self.fault("update-not-persisted"):
            self.customers.replace(current["id"], merged)
        return self.ok(201 if self.fault("update-answers-201") else 200, self.view(merged))

    def update_by_id(self, request: Request) -> Response:
        try:
            current = self._by_id(request, "non-numeric-id-404")
        except Refused as refusal:
            if refusal.status == 404 and self.fault("update-unknown-400"):
                raise Refused(400, "not_found", refusal.description) from None
            raise
        return self.update_customer(request, current)

    def upsert_customer(self, request: Request) -> Response:
        """POST /customers/reference/{reference}: an update of the customer with that reference
        (11.4), or its creation when there is none (11.5)."""
        reference = unquote(request.path_params["reference"])
        current = self._by_reference(reference)
        if current is None or self.fault("upsert-duplicates"):
            if current is None and self.fault("upsert-absent-404"):
                raise Refused(404, "not_found", f"The customer with the reference {reference} doesn't exist.")
            return self.create_customer(request, path_reference=reference, unique=current is None)
        return self.update_customer(request, current)

    # --- delete -------------------------------------------------------------------------------------
    def _delete(self, row: dict[str, Any]) -> Response:
        if self.customers.find("parentId", row["id"]) and not self.fault("delete-parent-orphans"):
            raise Refused(400, "delete_failed", "Failed to delete instance.")
        if not self.fault("delete-keeps-customer"):
            for child in self.customers.find("parentId", row["id"]):
                self.customers.update(child["id"], {"parentId": None})
            self.customers.delete(row["id"])
        success: Any = True if self.fault("delete-body-wrong") else "true"
        return self.ok(200, {"success": success, "success_description": "Instance deleted successfully"})

    def delete_by_id(self, request: Request) -> Response:
        try:
            row = self._by_id(request, "delete-non-numeric-404")
        except Refused as refusal:
            if refusal.status == 404 and self.fault("delete-unknown-200"):
                return self.ok(200, {"success": "true", "success_description": "Instance deleted successfully"})
            raise
        return self._delete(row)

    def delete_by_reference(self, request: Request) -> Response:
        reference = unquote(request.path_params["reference"])
        row = self._by_reference(reference)
        if row is None or self.fault("delete-by-reference-404"):
            if row is None and self.fault("delete-unknown-200"):
                return self.ok(200, {"success": "true", "success_description": "Instance deleted successfully"})
            raise Refused(404, "not_found", f"The customer with the reference {reference} doesn't exist.")
        return self._delete(row)
