"""A Kimai 2 customer API that behaves as its documentation and its source say (VENDOR-NOTES §2).

Status codes, error bodies, serializer views, form rules, permissions and auth answers follow
kimai/kimai 2.66 (1f421c276) where the documentation is silent; ``version`` makes it answer as an
older release does (era.py: 2.0-2.13 is the documented API's era). Faults (faults.py) switch
single deviations on, in every version.
"""

from __future__ import annotations

import collections
import json
import random
import re
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from accord.simulate import Request, Response, Simulator, Table, json_response
from accord.simulate.app import DROP, empty_response
from accord.vendors.kimai import people, search
from accord.vendors.kimai.era import ADDRESS_LINES, NEWEST, has, not_on_create, version_id
from accord.vendors.kimai.faults import CATALOGUE
from accord.vendors.kimai.forms import checkbox, duration_seconds, homepage, money, submitted
from accord.vendors.kimai.people import ADMIN, TEAMS, USERS, User

CONTRACT_FORM = Path(__file__).resolve().parents[3] / "contracts" / "kimai" / "schemas" / "CustomerEditForm.json"
META_FIELD = "location"
DEFAULTS = {"country": "DE", "currency": "EUR", "timezone": "Europe/Berlin", "language": "en"}
LIST_QUERY = {"visible": ("1", "2", "3"), "order": ("ASC", "DESC"), "orderBy": ("id", "name"), "full": ("0", "1")}

# Form text fields: (max length, nullable). Kimai's camel_keys normaliser also accepts snake_case keys.
TEXT_FIELDS: dict[str, tuple[int | None, bool]] = {
    "name": (150, False), "number": (50, True), "comment": (None, True), "company": (100, True),
    "vatId": (50, True), "contact": (100, True), "address": (None, True), "addressLine1": (150, True),
    "addressLine2": (150, True), "addressLine3": (150, True), "postCode": (20, True), "city": (50, True),
    "country": (2, False), "currency": (3, False), "phone": (30, True), "fax": (30, True), "mobile": (30, True),
    "email": (75, True), "homepage": (100, True), "timezone": (64, False), "language": (35, False),
    "invoiceEmail": (75, True), "buyerReference": (50, True), "color": (7, True), "invoiceText": (None, True),
}
BOOL_FIELDS = ("visible", "billable")
DETAILS = ("vatId", "addressLine1", "addressLine2", "addressLine3", "postCode", "city")  # Customer_Details
COLLECTION_VIEW = ("id", "name", "number", "comment", "visible", "billable", "company", "country", "language",
                   "currency", "phone", "fax", "mobile", "homepage", "timezone", "color", "color-safe", "metaFields", "teams")
ENTITY_VIEW = COLLECTION_VIEW + ("vatId", "contact", "address", "addressLine1", "addressLine2", "addressLine3",
                                 "postCode", "city", "email", "invoiceEmail", "buyerReference")
BUDGET_VIEW = ("budget", "timeBudget", "budgetType")
# The list before 2.45 (kimai/kimai@2.13.0 tests/API/APIControllerBaseTest.php CustomerCollection)
LEGACY_COLLECTION_VIEW = ("id", "name", "visible", "billable", "color", "number", "comment", "metaFields", "teams", "currency")
EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                   r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$")
# Symfony's Url constraint, reduced: http(s), optional user info, a host name or IPv4, port, path.
URL = re.compile(r"^https?://(?:[^\s:/?#@]+(?::[^\s/?#@]*)?@)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*"
                 r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?(?:[/?#][^\s]*)?$", re.I)
EXTRA_FIELDS = "This form should not contain extra fields."
PAIR_FAILURES_PER_MINUTE = 5  # config/packages/rate_limiter.yaml (old_api_tokens)


@cache
def _allowed(field: str) -> frozenset[str]:
    """Countries, currencies, time zones, languages and theme colours: the contract's lists, so the
    simulator and the contract cannot disagree on reference data."""
    schema = json.loads(CONTRACT_FORM.read_text())
    node = schema["properties"][field]
    values = node.get("enum") or next((s["enum"] for s in node.get("anyOf", []) + node.get("oneOf", []) if "enum" in s), [])
    return frozenset(v for v in values if isinstance(v, str))


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _has_special(value: str) -> bool:
    """Kimai's NoSpecialCharacters (src/Validator/Constraints): none of < > " = in the value."""
    return any(ch in '<>"=' for ch in value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_credentials(version: str | None) -> dict[str, str]:
    """The simulator's fixed test credentials for a release: Bearer tokens only where Kimai has them."""
    pair = {"USER": people.TEST_USER, "API_PASSWORD": people.TEST_API_PASSWORD,
            "LIMITED_USER": people.LIMITED_USER, "LIMITED_API_PASSWORD": people.LIMITED_API_PASSWORD}
    if has(version, "bearer"):
        return {"TOKEN": people.TEST_TOKEN, "LIMITED_TOKEN": people.LIMITED_TOKEN, **pair}
    return pair


class KimaiSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = test_credentials(None)  # the newest release's; an instance holds its own release's
    sample_requests = {
        "GET /api/customers": ("GET", "/api/customers", "", b""),  # every customer: grows with the target
        "GET /api/customers?term=zz": ("GET", "/api/customers", "term=zz", b""),
        "GET /api/customers/1": ("GET", "/api/customers/1", "", b""),
        "POST /api/customers": ("POST", "/api/customers", "", b'{"name": "accord sample"}'),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, version: str | None = None,
                 pair_delay: tuple[float, float] = (0.2, 0.5)) -> None:
        self.version = version or NEWEST
        self.customers = Table(indexed=("number",))
        self.rates = Table()
        self._numbers = threading.Lock()
        self._pair_failures: collections.deque[float] = collections.deque()
        self.pair_delay = pair_delay
        self.credentials = test_credentials(self.version)
        super().__init__(faults)
        for index in range(seed_records):
            self.seed_customer({"name": f"Existing customer {index + 1:05d}", "comment": "pre-existing record"})

    def seed_customer(self, form: dict[str, Any]) -> dict[str, Any]:
        """A record that exists before the run (the run must leave it byte-for-byte unchanged)."""
        return self.customers.insert(self._new_customer(form))

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/api/version", self.guarded(self.get_version))
        add("GET", "/api/users/me", self.guarded(self.get_me))
        add("GET", "/api/customers", self.guarded(self.list_customers))
        add("POST", "/api/customers", self.guarded(self.create_customer))
        add("GET", "/api/customers/{id:int}", self.guarded(self.get_customer))
        add("PATCH", "/api/customers/{id:int}", self.guarded(self.update_customer))
        add("DELETE", "/api/customers/{id:int}", self.guarded(self.delete_customer))
        add("PATCH", "/api/customers/{id:int}/meta", self.guarded(self.set_meta))
        add("GET", "/api/customers/{id:int}/rates", self.guarded(self.list_rates))
        add("POST", "/api/customers/{id:int}/rates", self.guarded(self.add_rate))
        add("DELETE", "/api/customers/{id:int}/rates/{rateId:int}", self.guarded(self.delete_rate))

    def has(self, feature: str) -> bool:
        return has(self.version, feature)

    # --- responses --------------------------------------------------------------------------------
    def ok(self, status: int, payload: Any) -> Response:
        response = json_response(status, payload)
        if self.fault("json-as-text-plain"):
            response.headers["Content-Type"] = "text/plain; charset=UTF-8"
        return response

    def error(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> Response:
        if self.fault("errors-as-html"):
            page = f"<html><body><h1>Error {status}</h1></body></html>".encode()
            return Response(status, page, {"Content-Type": "text/html; charset=UTF-8", **(headers or {})})
        return json_response(status, payload, headers)

    def snapshot(self) -> dict[str, Any]:
        return {"customers": self.customers.snapshot(), "rates": self.rates.snapshot()}

    def error_body(self, status: int, message: str) -> Response:
        """Symfony's JSON error answer as Kimai's API gives it: {code, message}."""
        return self.error(status, {"code": status, "message": message})

    def not_found(self, request: Request) -> Response:
        if self.fault("non-numeric-id-400") and re.match(r"^/api/customers/[^/]*\D", request.path):
            return self.bad_request()
        return self.error_body(404, "Not Found")

    def bad_request(self) -> Response:
        return self.error(400, {"code": 400, "message": "Bad Request"})

    def forbidden(self) -> Response:
        return self.error(403, {"code": 403, "message": "Forbidden"})

    def validation_failed(self, children: dict[str, list[str]], form_errors: list[str]) -> Response:
        payload = {
            "code": 400, "message": "Validation Failed",
            "errors": {"children": {name: {"errors": errors} for name, errors in children.items()},
                       **({"errors": form_errors} if form_errors else {})},
        }
        return self.error(400, payload)

    # --- auth -------------------------------------------------------------------------------------
    def guarded(self, handler):  # noqa: ANN001, ANN202 - decorator over this class's handlers
        def serve(request: Request) -> Response:
            user = self.authenticate(request)
            if isinstance(user, Response):
                return user
            request.path_params["user"] = user
            return handler(request)

        return serve

    def authenticate(self, request: Request) -> User | Response:
        """The user a request authenticates as, or Kimai's refusal (VENDOR-NOTES §2.2, §2.4a)."""
        authorization = request.headers.get("Authorization", "")
        name, password = request.headers.get("X-AUTH-USER"), request.headers.get("X-AUTH-TOKEN")
        if self.has("bearer") and authorization.startswith("Bearer "):
            if self.fault("bearer-rejected"):
                return self._unauthorized()
            user = people.by_token(authorization[7:]) or (ADMIN if self.fault("wrong-token-accepted") else None)
            return user or Response(401, b"", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if name is None and password is None and self.fault("missing-auth-accepted"):
            return ADMIN
        if name is None and password is None and self.fault("missing-auth-401-in-legacy-era"):
            return self.error(401, {"code": 401, "message": "Unauthorized"})
        # 2.14+ takes the pair only when both headers are there; 2.0-2.13 read every /api request as a pair
        if not self.has("bearer") or (name is not None and password is not None):
            if self.fault("legacy-headers-rejected"):
                return self._unauthorized()
            return self._pair(name, password)
        return self._unauthorized()

    def _pair(self, name: str | None, password: str | None) -> User | Response:
        """TokenAuthenticator: the deprecated API password, slowed and throttled since 2.54."""
        if not name:
            return self.error(403, {"message": "Authentication required, missing user header: X-AUTH-USER"})
        if not password:
            return self.error(403, {"message": "Authentication required, missing token header: X-AUTH-TOKEN"})
        if self.has("pair-throttled") and self.pair_delay[1] > 0:
            time.sleep(random.uniform(*self.pair_delay))
        user = people.by_name(name)
        if user is None and self.fault("wrong-user-accepted"):
            user = next((u for u in USERS.values() if u.api_password == password), None)
        if user is not None and (user.api_password == password or self.fault("wrong-token-accepted")):
            return user
        if self.has("pair-throttled") and self._throttled():
            return self.bad_request()
        return self.error(403, {"message": "Invalid credentials"})

    def _throttled(self) -> bool:
        now = time.monotonic()
        with self._numbers:
            while self._pair_failures and now - self._pair_failures[0] > 60:
                self._pair_failures.popleft()
            self._pair_failures.append(now)
            return len(self._pair_failures) > PAIR_FAILURES_PER_MINUTE

    def _unauthorized(self) -> Response:
        if not self.has("unauthorized-401"):
            return self.error(403, {"message": "Authentication required, missing user header: X-AUTH-USER"})
        return self.error(401, {"code": 401, "message": "Unauthorized"})

    def get_version(self, request: Request) -> Response:
        """StatusController::versionAction (model Version)."""
        name, number = version_id(self.version)
        return self.ok(200, {"version": name, "versionId": number, "copyright": f"Kimai {name} by Kevin Papst."})

    def get_me(self, request: Request) -> Response:
        """UserController::meAction, reduced to the fields a rate's user shows."""
        return self.ok(200, request.path_params["user"].view())

    # --- customers --------------------------------------------------------------------------------
    def _next_number(self) -> str | None:
        """CustomerService: format {cc,4}, the customer count plus one, zero-padded; the next free
        one of 100 tries; none when all are taken."""
        with self._numbers:
            count = len(self.customers)
            for step in range(1, 102):
                number = f"{count + step:04d}"
                if not self.customers.find("number", number):
                    return number
        return None

    def _new_customer(self, form: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = {name: None for name in TEXT_FIELDS}
        record.update(DEFAULTS)
        record.update({"visible": True, "billable": True, "budget": 0.0, "timeBudget": 0, "budgetType": None,
                       "metaFields": [], "teams": []})
        # CustomerService fills the next number before the form is applied; a number the form sends,
        # even an empty one (which the form reads as null), replaces it.
        if "number" not in form or self.fault("number-ignored"):
            form = {**form, "number": self._next_number()}
        record.update(form)
        return record

    def view(self, record: dict[str, Any], fields: tuple[str, ...], user: User, budget: bool = True) -> dict[str, Any]:
        hidden = set()
        if not self.has("language-invoice-email"):
            hidden |= {"language", "invoiceEmail"}
        if not self.has("address-lines"):
            hidden |= set(ADDRESS_LINES)
        # before 2.13 a ROLE_USER saw budgets (kimai/kimai@90a0fd8a2 testGetEntity as ROLE_USER)
        may_budget = people.allowed(user, "budget") or not self.has("user-view-refused")
        extra = BUDGET_VIEW if budget and may_budget else ()
        out = {name: record.get(name) for name in fields + extra if name not in hidden and name != "color-safe"}
        if self.has("color-safe"):
            out["color-safe"] = people.color_safe(record.get("color"), record.get("name"))
        if "teams" in out:
            out["teams"] = [TEAMS[team] for team in record.get("teams", [])]
        if self.fault("id-as-string"):
            out["id"] = str(record["id"])
        if self.fault("markup-in-name"):
            out["name"] = "<img src=x onerror=alert(1)>" + str(record["name"])
            out["comment"] = "<script>alert('accord')</script>"
        return out

    def entity(self, record: dict[str, Any], user: User) -> dict[str, Any]:
        return self.view(record, ENTITY_VIEW, user)

    def _customer(self, request: Request, action: str) -> dict[str, Any] | Response:
        """The customer of the path, or 404 (the entity is resolved first), or 403 without the permission."""
        record = self.customers.get(request.path_params["id"])
        if record is None:
            return self.not_found(request)
        user = request.path_params["user"]
        may = people.allowed(user, action) or (
            action == "view" and not self.has("user-view-refused") and people.can_see(user, record["teams"]))
        if not may and not self._lenient(action):
            return self.forbidden()
        return record

    def _lenient(self, action: str) -> bool:
        return self.fault({"view": "limited-user-views", "edit": "limited-user-edits",
                           "rates": "limited-user-reads-rates"}.get(action, ""))

    def list_customers(self, request: Request) -> Response:
        user: User = request.path_params["user"]
        checked = LIST_QUERY if self.has("list-full") else {k: v for k, v in LIST_QUERY.items() if k != "full"}
        query = {name: request.arg(name) for name in LIST_QUERY}
        for name, allowed in checked.items():
            if query[name] is not None and query[name] not in allowed and not self.fault("invalid-parameter-ignored"):
                return self.bad_request()
        if self.fault("list-stalls") and not request.query:
            time.sleep(1.5)
        term = request.arg("term")
        if term == "" and self.fault("empty-term-500"):
            return self.server_error(request, RuntimeError("empty term"))
        visible = query["visible"] if query["visible"] in LIST_QUERY["visible"] else "1"
        if self.fault("visible-default-all") and query["visible"] is None:
            visible = "3"
        if self.fault("visible-filter-ignored"):
            visible = "3"
        words = self.has("term-words") and not self.fault("term-phrase")
        parts = search.parse(term, words=words) if term and not self.fault("term-ignored") else []
        rows = self.customers.select(  # filtered before copying: a term search stays cheap on a big table
            lambda row: (visible == "3" or (row["visible"] is True) == (visible == "1"))
            and people.can_see(user, row["teams"]) and (not parts or self._matches(row, parts)))
        order_by = query["orderBy"] if query["orderBy"] in LIST_QUERY["orderBy"] else "name"
        if self.fault("order-by-ignored"):
            order_by = "name"
        descending = query["order"] == "DESC" and not self.fault("order-ignored")
        rows.sort(key=lambda row: (str(row["name"]).casefold(), row["id"]) if order_by == "name" else row["id"],
                  reverse=descending)
        if self.fault("list-drops-newest") and rows:
            newest = max(row["id"] for row in rows)
            rows = [row for row in rows if row["id"] != newest]
        fields = COLLECTION_VIEW if self.has("collection-details") else LEGACY_COLLECTION_VIEW
        full = query["full"] == "1" and self.has("list-full") and people.allowed(user, "details")
        if full and not self.fault("full-ignored"):
            fields += DETAILS
        items = [self.view(row, fields, user, budget=self.has("collection-budget")) for row in rows]
        if self.fault("list-currency-number"):
            for item in items:
                item["currency"] = 978
        return self.ok(200, {"items": items} if self.fault("list-wrapped") else items)

    def _matches(self, row: dict[str, Any], parts: list[search.Part]) -> bool:
        return search.matches(row, parts, ("name",) if self.fault("term-name-only") else search.FIELDS)

    def get_customer(self, request: Request) -> Response:
        record = self.customers.get(request.path_params["id"])
        if record is None and self.fault("unknown-id-500"):
            return self.server_error(request, LookupError("customer"))
        record = self._customer(request, "view")
        if isinstance(record, Response):
            return record
        if self.fault("get-answers-html"):
            return Response(200, b"<html><body>Customer</body></html>", {"Content-Type": "text/html"})
        entity = self.entity(record, request.path_params["user"])
        if self.fault("billable-as-string"):
            entity["billable"] = "yes" if record["billable"] else "no"
        return self.ok(200, entity)

    def _read_form(self, request: Request) -> tuple[dict[str, Any] | None, Response | None]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            if self.fault("malformed-json-500"):
                return None, self.server_error(request, ValueError("malformed JSON"))
            return None, self.bad_request()
        if not isinstance(body, dict):
            return None, self.bad_request()
        return {_camel(key): value for key, value in body.items()}, None

    def form_fields(self, current: dict[str, Any] | None) -> set[str]:
        """CustomerEditForm's fields in this release, for a new customer (current None) or an existing one."""
        fields = set(TEXT_FIELDS) | set(BOOL_FIELDS) | {"budget", "timeBudget", "budgetType"}
        fields -= not_on_create(self.version)
        if "address" not in fields and (self.fault("address-accepted-on-create") or (current and current.get("address"))):
            fields.add("address")  # the deprecated field stays while a customer has an address
        if current is None:
            fields.add("teams")
        return fields

    def validate_form(self, form: dict[str, Any], current: dict[str, Any] | None) -> tuple[dict[str, Any], Response | None]:
        """The form's clean values, or Kimai's 400 with every problem at once."""
        known = self.form_fields(current)
        children: dict[str, list[str]] = {}
        extra = [key for key in form if key not in known]
        form_errors = [EXTRA_FIELDS] if extra and not self.fault("extra-fields-accepted") else []
        clean: dict[str, Any] = {}
        for key, value in form.items():
            if key not in known:
                continue
            problem, clean_value = self._check_field(key, value)
            if problem:
                children[key] = [problem]
            else:
                clean[key] = clean_value
        number = clean.get("number")
        updating = current["id"] if current else None
        if number and not self.fault("duplicate-number-accepted") and any(
                row["id"] != updating for row in self.customers.find("number", number)):
            children["number"] = ["The number is already used."]
        if current is None and "name" not in form:
            children["name"] = ["This value should not be blank."]
        if current is None and self.fault("name-only-rejected"):
            for key in ("country", "currency", "timezone"):
                if key not in form:
                    children[key] = ["This value should not be blank."]
        if children or form_errors:
            return clean, self.validation_failed(children, form_errors)
        return clean, None

    def _check_field(self, key: str, value: Any) -> tuple[str | None, Any]:
        if key in BOOL_FIELDS:  # YesNoType's false_values; rest-api.md's "null is true" is drift
            if isinstance(value, dict | list):
                return "This value is not valid.", None
            return None, (value is not False) if self.fault("false-values-true") else checkbox(value)
        if key == "budget":
            amount = money(value)
            ok = amount is not None and 0 <= amount <= 900_000_000_000
            return (None, round(amount, 2)) if ok else ("This value should be between 0 and 900000000000.", None)
        if key == "timeBudget":  # the form takes a duration (hours); the entity holds seconds
            seconds = duration_seconds(value, self.version)
            ok = seconds is not None and 0 <= seconds <= 2_145_600_000
            return (None, seconds) if ok else ("This value is not a valid duration.", None)
        if key == "budgetType":
            return (None, value) if value in ("month", None) else ("The selected choice is invalid.", None)
        if key == "teams":
            ok = isinstance(value, list) and all(str(team) in map(str, TEAMS) for team in value)
            return (None, sorted({int(team) for team in value})) if ok else ("This value is not valid.", None)
        max_length, nullable = TEXT_FIELDS[key]
        if isinstance(value, bool):
            value = "1" if value else ""
        elif _is_number(value):
            value = str(value)  # the form reads every JSON scalar as a string
        value = submitted(value)  # Symfony trims text and turns "" into null
        if value is None:
            return (None, None) if nullable else ("This value should not be blank.", None)
        if not isinstance(value, str):
            return "This value is not valid.", None
        if key == "homepage":
            if self.fault("homepage-scheme-refused") and not URL.match(value):
                return "This value is not a valid URL.", None
            value = homepage(value)
        return self._check_text(key, value, max_length), value

    def _check_text(self, key: str, value: str, max_length: int | None) -> str | None:
        if key in ("name", "country", "currency", "timezone", "language") and not value.strip():
            return "This value should not be blank."
        if max_length is not None and len(value) > max_length:
            return f"This value is too long. It should have {max_length} characters or less."
        checked = self.has("email-url-checked") and not self.fault("email-url-unchecked")
        rules = {
            "name": lambda v: len(v) >= 2 and not _has_special(v),
            "number": lambda v: not (self.has("number-special-chars") and _has_special(v))
            or self.fault("number-special-accepted"),
            "country": lambda v: v in _allowed("country"),
            "currency": lambda v: v in _allowed("currency"),
            "timezone": lambda v: v in _allowed("timezone"),
            "language": lambda v: v in _allowed("language"),
            "email": lambda v: not checked or EMAIL.match(v) is not None,
            "invoiceEmail": lambda v: not checked or EMAIL.match(v) is not None,
            "homepage": lambda v: not checked or URL.match(v) is not None,
            "color": lambda v: v in _allowed("color"),
        }
        rule = rules.get(key)
        return None if rule is None or rule(value) else "This value is not valid."

    def create_customer(self, request: Request) -> Response:
        user: User = request.path_params["user"]
        if not people.allowed(user, "create") and not self.fault("limited-user-creates"):
            return self.forbidden()
        form, refused = self._read_form(request)
        if refused:
            return refused
        clean, invalid = self.validate_form(form, None)
        if invalid and self.fault("invalid-form-accepted"):
            clean, invalid = {k: v for k, v in form.items() if k in self.form_fields(None)}, None
        if invalid:
            return invalid
        record = self.customers.insert(self._new_customer(clean))
        return self.ok(201 if self.fault("create-answers-201") else 200, self.entity(record, user))

    def update_customer(self, request: Request) -> Response:
        if self.customers.get(request.path_params["id"]) is None and self.fault("update-unknown-500"):
            return self.server_error(request, LookupError("customer"))
        current = self._customer(request, "edit")
        if isinstance(current, Response):
            return current
        customer_id = current["id"]
        form, refused = self._read_form(request)
        if refused:
            return refused
        clean, invalid = self.validate_form(form, current)
        if invalid and self.fault("update-invalid-accepted"):
            clean, invalid = {k: v for k, v in form.items() if k in self.form_fields(current)}, None
        if invalid:
            return invalid
        if self.fault("patch-replaces"):
            merged = self._new_customer({"name": current["name"], "number": current["number"], **clean})
            merged["id"] = customer_id
        else:
            merged = {**current, **clean}
        if not self.fault("update-not-persisted"):
            self.customers.replace(customer_id, merged)
        if self.fault("update-answers-204"):
            return empty_response(204)
        return self.ok(200, self.entity(merged, request.path_params["user"]))

    def delete_customer(self, request: Request) -> Response:
        if not self.has("customer-delete"):
            return self.method_not_allowed(request, ["GET", "PATCH"])
        if self.customers.get(request.path_params["id"]) is None and self.fault("delete-unknown-204"):
            return empty_response(204)
        record = self._customer(request, "delete")
        if isinstance(record, Response):
            return record
        if not self.fault("delete-keeps-customer"):
            self.customers.delete(record["id"])
            for rate in self.rates.select(lambda row: row["customer"] == record["id"]):
                self.rates.delete(rate["id"])
        return empty_response(204)

    # --- meta fields ------------------------------------------------------------------------------
    def set_meta(self, request: Request) -> Response:
        record = self._customer(request, "edit")
        if isinstance(record, Response):
            return record
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return self.bad_request()
        if not isinstance(body, dict):
            return self.bad_request()
        name, value = body.get("name"), body.get("value")
        lenient = self.fault("meta-incomplete-accepted")
        scalar = isinstance(value, str | int | float) and not isinstance(value, bool)
        if not isinstance(name, str) or not (scalar or (lenient and value is None)):
            return self.bad_request()
        same = (lambda a, b: a == b) if self.fault("meta-name-case-sensitive") else (lambda a, b: a.casefold() == b.casefold())
        if not same(name, META_FIELD) and not self.fault("unknown-meta-accepted"):
            return self.not_found(request)
        name = META_FIELD if same(name, META_FIELD) else name
        value = None if value is None else str(value)  # meta values are strings
        metas = [m for m in record["metaFields"] if m["name"] != name] + [{"name": name, "value": value}]
        record["metaFields"] = metas
        if not self.fault("meta-not-persisted"):
            self.customers.update(record["id"], {"metaFields": metas})
        return self.ok(200, self.entity(record, request.path_params["user"]))

    # --- rates ------------------------------------------------------------------------------------
    def rate_view(self, rate: dict[str, Any]) -> dict[str, Any]:
        user = rate["user"]
        return {
            "id": rate["id"],
            "user": None if user is None else USERS[user].view(),
            "rate": rate["rate"],
            "internalRate": rate["internalRate"],
            "isFixed": str(rate["isFixed"]).lower() if self.fault("rate-fixed-as-string") else rate["isFixed"],
        }

    def list_rates(self, request: Request) -> Response:
        if self.customers.get(request.path_params["id"]) is None and self.fault("rates-unknown-customer-empty"):
            return self.ok(200, [])
        record = self._customer(request, "rates")
        if isinstance(record, Response):
            return record
        if self.fault("rates-reset-connection"):
            return DROP
        leak = self.fault("rates-leak-across-customers")
        rates = [self.rate_view(r) for r in self.rates.select(lambda row: leak or row["customer"] == record["id"])]
        status = 203 if self.fault("rates-list-answers-203") else 200
        return self.ok(status, {"rates": rates} if self.fault("rates-list-wrapped") else rates)

    def add_rate(self, request: Request) -> Response:
        record = self._customer(request, "rates")
        if isinstance(record, Response):
            return record
        customer_id = record["id"]
        form, refused = self._read_form(request)
        if refused:
            return refused
        children: dict[str, list[str]] = {}
        extra = [key for key in form if key not in ("user", "rate", "internalRate", "isFixed")]
        rate, internal, user = money(form.get("rate", 0)), form.get("internalRate"), form.get("user")
        if rate is None or (rate < 0 and not self.fault("negative-rate-accepted")):
            children["rate"] = ["This value should be greater than or equal to 0."]
        if internal is not None:  # Rate.php: no range on internalRate
            internal = money(internal)
            if internal is None:
                children["internalRate"] = ["This value is not valid."]
        if isinstance(user, str) and user.isdigit():
            user = int(user)
        known_user = isinstance(user, int) and not isinstance(user, bool) and user in USERS
        if user is not None and not known_user and not self.fault("unknown-rate-user-accepted"):
            children["user"] = ["This value is not valid."]
        taken = self.rates.select(lambda r: r["customer"] == customer_id and r["user"] == user)
        if "user" not in children and taken and not self.fault("duplicate-rate-accepted"):
            children["user"] = ["This value is already used."]  # UniqueEntity(user, customer), null included
        if children or extra:
            return self.validation_failed(children, [EXTRA_FIELDS] if extra else [])
        stored = self.rates.insert({"customer": customer_id, "user": user if known_user else None, "rate": rate,
                                    "internalRate": internal, "isFixed": checkbox(form.get("isFixed", False))})
        return self.ok(200, self.rate_view(stored))

    def delete_rate(self, request: Request) -> Response:
        record = self._customer(request, "rates")
        if isinstance(record, Response):
            return record
        rate = self.rates.get(request.path_params["rateId"])
        if rate is None:
            return empty_response(204) if self.fault("rate-delete-unknown-204") else self.not_found(request)
        if rate["customer"] != record["id"] and not self.fault("rate-delete-any-customer"):
            return self.not_found(request)
        self.rates.delete(rate["id"])
        if self.fault("rate-delete-answers-200"):
            return self.ok(200, {"deleted": rate["id"]})
        return empty_response(204)
