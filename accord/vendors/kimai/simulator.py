"""A Kimai 2 customer API that behaves as its documentation and its source say (VENDOR-NOTES §2).

Status codes, error bodies, serializer views, form rules and auth answers follow kimai/kimai
2.66 where the documentation is silent. Faults (faults.py) switch single deviations on.
"""

from __future__ import annotations

import json
import re
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

from accord.simulate import Request, Response, Simulator, Table, json_response
from accord.simulate.app import DROP, empty_response
from accord.vendors.kimai.faults import CATALOGUE
from accord.vendors.kimai.forms import duration_seconds, submitted

CONTRACT_FORM = Path(__file__).resolve().parents[3] / "contracts" / "kimai" / "schemas" / "CustomerEditForm.json"
USERS = {1: "accord"}
TEST_USER, TEST_TOKEN = "accord", "accord-kimai-test-token"
META_FIELD = "location"
DEFAULTS = {"country": "DE", "currency": "EUR", "timezone": "Europe/Berlin", "language": "en"}
LIST_QUERY = {"visible": ("1", "2", "3"), "order": ("ASC", "DESC"), "orderBy": ("id", "name"), "full": ("0", "1")}

# Form fields: (max length, nullable). Kimai's camel_keys normaliser also accepts snake_case keys.
TEXT_FIELDS: dict[str, tuple[int | None, bool]] = {
    "name": (150, False), "number": (50, True), "comment": (None, True), "company": (100, True),
    "vatId": (50, True), "contact": (100, True), "address": (None, True), "addressLine1": (150, True),
    "addressLine2": (150, True), "addressLine3": (150, True), "postCode": (20, True), "city": (50, True),
    "country": (2, False), "currency": (3, False), "phone": (30, True), "fax": (30, True), "mobile": (30, True),
    "email": (75, True), "homepage": (100, True), "timezone": (64, False), "language": (35, False),
    "invoiceEmail": (75, True), "buyerReference": (50, True), "color": (7, True),
}
BOOL_FIELDS = ("visible", "billable")
FORM_FIELDS = set(TEXT_FIELDS) | set(BOOL_FIELDS) | {"budget", "timeBudget", "budgetType"}
DEFAULT_VIEW = ("id", "name", "number", "comment", "visible", "billable", "company", "country", "language",
                "currency", "phone", "fax", "mobile", "homepage", "timezone", "color", "color-safe", "metaFields")
ENTITY_VIEW = DEFAULT_VIEW + ("teams", "vatId", "contact", "address", "addressLine1", "addressLine2",
                              "addressLine3", "postCode", "city", "email", "invoiceEmail", "buyerReference")
BUDGET_VIEW = ("budget", "timeBudget", "budgetType")
EMAIL = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                   r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.I)
EXTRA_FIELDS = "This form should not contain extra fields."


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


class KimaiSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = {"USER": TEST_USER, "TOKEN": TEST_TOKEN}
    sample_requests = {
        "GET /api/customers": ("GET", "/api/customers", "", b""),  # every customer: grows with the target
        "GET /api/customers?term=zz": ("GET", "/api/customers", "term=zz", b""),
        "GET /api/customers/1": ("GET", "/api/customers/1", "", b""),
        "POST /api/customers": ("POST", "/api/customers", "", b'{"name": "accord sample"}'),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0) -> None:
        self.customers = Table(indexed=("number",))
        self.rates = Table()
        self._numbers = threading.Lock()
        self._last_number = 0
        super().__init__(faults)
        for index in range(seed_records):
            self.seed_customer({"name": f"Existing customer {index + 1:05d}", "comment": "pre-existing record"})

    def seed_customer(self, form: dict[str, Any]) -> dict[str, Any]:
        """A record that exists before the run (the run must leave it byte-for-byte unchanged)."""
        return self.customers.insert(self._new_customer(form))

    def routes(self) -> None:
        add = self.router.add
        add("GET", "/api/customers", self.guarded(self.list_customers))
        add("POST", "/api/customers", self.guarded(self.create_customer))
        add("GET", "/api/customers/{id:int}", self.guarded(self.get_customer))
        add("PATCH", "/api/customers/{id:int}", self.guarded(self.update_customer))
        add("DELETE", "/api/customers/{id:int}", self.guarded(self.delete_customer))
        add("PATCH", "/api/customers/{id:int}/meta", self.guarded(self.set_meta))
        add("GET", "/api/customers/{id:int}/rates", self.guarded(self.list_rates))
        add("POST", "/api/customers/{id:int}/rates", self.guarded(self.add_rate))
        add("DELETE", "/api/customers/{id:int}/rates/{rateId:int}", self.guarded(self.delete_rate))

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

    def bad_request(self) -> Response:
        return self.error(400, {"code": 400, "message": "Bad Request"})

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
            refused = self.authenticate(request)
            return refused if refused is not None else handler(request)

        return serve

    def authenticate(self, request: Request) -> Response | None:
        """None when the request may proceed; otherwise Kimai 2.66's answer (VENDOR-NOTES §2.4)."""
        authorization = request.headers.get("Authorization", "")
        user, token = request.headers.get("X-AUTH-USER"), request.headers.get("X-AUTH-TOKEN")
        if authorization.startswith("Bearer "):
            if self.fault("bearer-rejected"):
                return self._unauthorized()
            if authorization[7:] == TEST_TOKEN or self.fault("wrong-token-accepted"):
                return None
            return Response(401, b"", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if token is not None:
            if self.fault("legacy-headers-rejected"):
                return self._unauthorized()
            if user is None:
                return self.error(401, {"code": 401, "message": "Authentication required, missing user header: X-AUTH-USER"})
            user_ok = user == TEST_USER or self.fault("wrong-user-accepted")
            token_ok = token == TEST_TOKEN or self.fault("wrong-token-accepted")
            return None if user_ok and token_ok else self.error(403, {"message": "Invalid credentials"})
        if self.fault("missing-auth-accepted"):
            return None
        return self._unauthorized()

    def _unauthorized(self) -> Response:
        return self.error(401, {"code": 401, "message": "Unauthorized"})

    # --- customers --------------------------------------------------------------------------------
    def _next_number(self) -> str:
        with self._numbers:
            while True:
                self._last_number += 1
                number = f"{self._last_number:04d}"
                if not self.customers.find("number", number):
                    return number

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

    def view(self, record: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
        out = {name: record.get(name) for name in fields + BUDGET_VIEW if name != "color-safe"}
        out["color-safe"] = record.get("color") or "#d2d6de"
        if self.fault("id-as-string"):
            out["id"] = str(record["id"])
        if self.fault("markup-in-name"):
            out["name"] = "<img src=x onerror=alert(1)>" + str(record["name"])
            out["comment"] = "<script>alert('accord')</script>"
        return out

    def entity(self, record: dict[str, Any]) -> dict[str, Any]:
        return self.view(record, ENTITY_VIEW)

    def list_customers(self, request: Request) -> Response:
        query = {name: request.arg(name) for name in LIST_QUERY}
        for name, allowed in LIST_QUERY.items():
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
        searched = term if term and not self.fault("term-ignored") else None
        rows = self.customers.select(  # filtered before copying: a term search stays cheap on a big table
            lambda row: (visible == "3" or (row["visible"] is True) == (visible == "1"))
            and (searched is None or self._matches(row, searched)))
        order_by = query["orderBy"] if query["orderBy"] in LIST_QUERY["orderBy"] else "name"
        if self.fault("order-by-ignored"):
            order_by = "name"
        descending = query["order"] == "DESC" and not self.fault("order-ignored")
        rows.sort(key=lambda row: (str(row["name"]).casefold(), row["id"]) if order_by == "name" else row["id"],
                  reverse=descending)
        if self.fault("list-drops-newest") and rows:
            newest = max(row["id"] for row in rows)
            rows = [row for row in rows if row["id"] != newest]
        items = [self.view(row, DEFAULT_VIEW + ("teams",)) for row in rows]
        if self.fault("list-currency-number"):
            for item in items:
                item["currency"] = 978
        return self.ok(200, {"items": items} if self.fault("list-wrapped") else items)

    @staticmethod
    def _matches(row: dict[str, Any], term: str) -> bool:
        """Kimai's term: a substring of name, comment, number, contact, email, phone or address, or
        ``meta:value`` for a meta-field (kimai.org customer.md)."""
        if ":" in term:
            name, _, value = term.partition(":")
            return any(m["name"] == name and value.casefold() in str(m["value"]).casefold() for m in row["metaFields"])
        needle = term.casefold()
        fields = ("name", "comment", "number", "contact", "email", "phone", "address")
        return any(needle in str(row.get(f) or "").casefold() for f in fields)

    def get_customer(self, request: Request) -> Response:
        record = self.customers.get(request.path_params["id"])
        if record is None:
            if self.fault("unknown-id-500"):
                return self.server_error(request, LookupError("customer"))
            return self.not_found(request)
        if self.fault("get-answers-html"):
            return Response(200, b"<html><body>Customer</body></html>", {"Content-Type": "text/html"})
        entity = self.entity(record)
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

    def validate_form(self, form: dict[str, Any], creating: bool,
                      updating: int | None = None) -> tuple[dict[str, Any], Response | None]:
        """The form's clean values, or Kimai's 400 with every problem at once."""
        children: dict[str, list[str]] = {}
        extra = [key for key in form if key not in FORM_FIELDS]
        form_errors = [EXTRA_FIELDS] if extra and not self.fault("extra-fields-accepted") else []
        clean: dict[str, Any] = {}
        for key, value in form.items():
            if key not in FORM_FIELDS:
                continue
            problem, clean_value = self._check_field(key, value)
            if problem:
                children[key] = [problem]
            else:
                clean[key] = clean_value
        number = clean.get("number")
        if number and any(row["id"] != updating for row in self.customers.find("number", number)):
            children["number"] = ["This value is already used."]
        if creating and "name" not in form:
            children["name"] = ["This value should not be blank."]
        if creating and self.fault("name-only-rejected"):
            for key in ("country", "currency", "timezone"):
                if key not in form:
                    children[key] = ["This value should not be blank."]
        if children or form_errors:
            return clean, self.validation_failed(children, form_errors)
        return clean, None

    def _check_field(self, key: str, value: Any) -> tuple[str | None, Any]:
        if key in BOOL_FIELDS:  # rest-api.md: anything but false turns a boolean true
            return None, value is not False
        if key == "budget":
            ok = _is_number(value) and 0 <= value <= 900_000_000_000
            return (None, round(float(value), 2)) if ok else ("This value should be between 0 and 900000000000.", None)
        if key == "timeBudget":  # the form takes a duration (hours); the entity holds seconds
            seconds = duration_seconds(value)
            ok = seconds is not None and 0 <= seconds <= 2_145_600_000
            return (None, seconds) if ok else ("This value is not a valid duration.", None)
        if key == "budgetType":
            return (None, value) if value in ("month", None) else ("The selected choice is invalid.", None)
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
        return self._check_text(key, value, max_length), value

    def _check_text(self, key: str, value: str, max_length: int | None) -> str | None:
        if key in ("name", "country", "currency", "timezone", "language") and not value.strip():
            return "This value should not be blank."
        if max_length is not None and len(value) > max_length:
            return f"This value is too long. It should have {max_length} characters or less."
        rules = {
            "name": lambda v: len(v) >= 2 and not _has_special(v),
            "number": lambda v: not _has_special(v),
            "country": lambda v: v in _allowed("country"),
            "currency": lambda v: v in _allowed("currency"),
            "timezone": lambda v: v in _allowed("timezone"),
            "language": lambda v: v in _allowed("language"),
            "email": lambda v: EMAIL.match(v) is not None,
            "invoiceEmail": lambda v: EMAIL.match(v) is not None,
            "homepage": lambda v: URL.match(v) is not None,
            "color": lambda v: v in _allowed("color"),
        }
        rule = rules.get(key)
        return None if rule is None or rule(value) else "This value is not valid."

    def create_customer(self, request: Request) -> Response:
        form, refused = self._read_form(request)
        if refused:
            return refused
        clean, invalid = self.validate_form(form, creating=True)
        if invalid and self.fault("invalid-form-accepted"):
            clean, invalid = {k: v for k, v in form.items() if k in FORM_FIELDS}, None
        if invalid:
            return invalid
        record = self.customers.insert(self._new_customer(clean))
        return self.ok(201 if self.fault("create-answers-201") else 200, self.entity(record))

    def update_customer(self, request: Request) -> Response:
        customer_id = request.path_params["id"]
        current = self.customers.get(customer_id)
        if current is None:
            if self.fault("update-unknown-500"):
                return self.server_error(request, LookupError("customer"))
            return self.not_found(request)
        form, refused = self._read_form(request)
        if refused:
            return refused
        clean, invalid = self.validate_form(form, creating=False, updating=customer_id)
        if invalid and self.fault("update-invalid-accepted"):
            clean, invalid = {k: v for k, v in form.items() if k in FORM_FIELDS}, None
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
        return self.ok(200, self.entity(merged))

    def delete_customer(self, request: Request) -> Response:
        customer_id = request.path_params["id"]
        if self.customers.get(customer_id) is None:
            return self.not_found(request)
        if not self.fault("delete-keeps-customer"):
            self.customers.delete(customer_id)
            for rate in self.rates.select(lambda row: row["customer"] == customer_id):
                self.rates.delete(rate["id"])
        return empty_response(204)

    # --- meta fields ------------------------------------------------------------------------------
    def set_meta(self, request: Request) -> Response:
        customer_id = request.path_params["id"]
        record = self.customers.get(customer_id)
        if record is None:
            return self.not_found(request)
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            return self.bad_request()
        if not isinstance(body, dict):
            return self.bad_request()
        name, value = body.get("name"), body.get("value")
        lenient = self.fault("meta-incomplete-accepted")
        if not isinstance(name, str) or not (isinstance(value, str) or (lenient and value is None)):
            return self.bad_request()
        if name != META_FIELD and not self.fault("unknown-meta-accepted"):
            return self.not_found(request)
        metas = [m for m in record["metaFields"] if m["name"] != name] + [{"name": name, "value": value}]
        record["metaFields"] = metas
        if not self.fault("meta-not-persisted"):
            self.customers.update(customer_id, {"metaFields": metas})
        return self.ok(200, self.entity(record))

    # --- rates ------------------------------------------------------------------------------------
    def rate_view(self, rate: dict[str, Any]) -> dict[str, Any]:
        user = rate["user"]
        return {
            "id": rate["id"],
            "user": None if user is None else {"id": user, "username": USERS[user], "alias": None, "enabled": True},
            "rate": rate["rate"],
            "internalRate": rate["internalRate"],
            "isFixed": str(rate["isFixed"]).lower() if self.fault("rate-fixed-as-string") else rate["isFixed"],
        }

    def list_rates(self, request: Request) -> Response:
        customer_id = request.path_params["id"]
        if self.customers.get(customer_id) is None:
            return self.not_found(request)
        if self.fault("rates-reset-connection"):
            return DROP
        leak = self.fault("rates-leak-across-customers")
        rates = [self.rate_view(r) for r in self.rates.select(lambda row: leak or row["customer"] == customer_id)]
        status = 203 if self.fault("rates-list-answers-203") else 200
        return self.ok(status, {"rates": rates} if self.fault("rates-list-wrapped") else rates)

    def add_rate(self, request: Request) -> Response:
        customer_id = request.path_params["id"]
        if self.customers.get(customer_id) is None:
            return self.not_found(request)
        form, refused = self._read_form(request)
        if refused:
            return refused
        children: dict[str, list[str]] = {}
        extra = [key for key in form if key not in ("user", "rate", "internalRate", "isFixed")]
        lenient = self.fault("negative-rate-accepted")
        rate, internal, user = form.get("rate"), form.get("internalRate"), form.get("user")
        if rate is not None and (not _is_number(rate) or (rate < 0 and not lenient)):
            children["rate"] = ["This value should be greater than or equal to 0."]
        if internal is not None and (not _is_number(internal) or internal < 0):
            children["internalRate"] = ["This value should be greater than or equal to 0."]
        if user is not None and (not isinstance(user, int) or isinstance(user, bool) or user not in USERS):
            children["user"] = ["This value is not valid."]
        if "user" not in children and self.rates.select(lambda r: r["customer"] == customer_id and r["user"] == user):
            children["user"] = ["This value is already used."]  # one rate per user, one for all users
        if children or extra:
            return self.validation_failed(children, [EXTRA_FIELDS] if extra else [])
        stored = self.rates.insert({"customer": customer_id, "user": user, "rate": rate or 0.0,
                                    "internalRate": internal, "isFixed": form.get("isFixed", False) is not False})
        return self.ok(200, self.rate_view(stored))

    def delete_rate(self, request: Request) -> Response:
        customer_id, rate_id = request.path_params["id"], request.path_params["rateId"]
        rate = self.rates.get(rate_id)
        if self.customers.get(customer_id) is None or rate is None:
            return self.not_found(request)
        if rate["customer"] != customer_id and not self.fault("rate-delete-any-customer"):
            return self.not_found(request)
        self.rates.delete(rate_id)
        if self.fault("rate-delete-answers-200"):
            return self.ok(200, {"deleted": rate_id})
        return empty_response(204)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
