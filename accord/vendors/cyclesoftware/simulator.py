"""A CycleSoftware API v1 customers service that behaves as its documentation says (VENDOR-NOTES §3).

The customers page (vendor-docs/cyclesoftware-customers-api-v1.md) first; where it is silent, the
vendor's other pages (_introduction.md: 200 for every success, the error envelope and statuses, the
API limits and type conventions; _common.md: the customer_types enum; _ecommerce.md: its seven
names). Choices the docs leave open are marked "assumption" here and in the contract. Faults
(faults.py) switch single deviations on.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from accord.simulate import Request, Response, Simulator, Table, json_response
from accord.vendors.cyclesoftware.faults import CATALOGUE
from accord.vendors.cyclesoftware.limits import DOCUMENTED_PER_DAY, DOCUMENTED_PER_MINUTE, ZONE, Limits

USERNAME, PASSWORD = "accord", "cs-test-Pa55-w0rd-z7"
# A second account of the same password whose API key lacks the customers' scope `resources`.
UNSCOPED_USERNAME = "accord-common-only"
SCOPES = {USERNAME: frozenset({"resources", "common"}), UNSCOPED_USERNAME: frozenset({"common"})}

# _ecommerce.md l.71, in its order; ids 1-7 in that order are an assumption (the docs give only "e.g. 2").
CUSTOMER_TYPES = ("Klant", "Leverancier", "E-commerce", "Zakelijk", "Lease-rijder", "Lease-maatschappij", "Werkgever")
CUSTOMER_TYPES_EN = ("Customer", "Supplier", "E-commerce", "Business", "Lease driver", "Lease company", "Employer")
TEXT_FIELDS = ("customer_reference", "postcode", "house_number", "house_number_postfix", "company_name", "attn",
               "title", "initials", "insertion", "first_name", "name", "street", "city", "country_code_iso_3166",
               "email", "vat_number", "coc_number")
FIELD_ORDER = ("customer_id", "customer_type_name", *TEXT_FIELDS, "discount_percentage", "datetime_created",
               "phone_numbers")
COMPANY_FIELDS = ("company_name", "vat_number", "coc_number")
PHONE_ID = re.compile(r"^(tel|mob|[0-9]+)$")
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
OFFSET = re.compile(r"^[0-9]+$")
FIND_FILTERS = ("phone_number", "postal_code", "housenumber", "housenumber_postfix", "email", "query", "country_code",
                "customer_type_id")
NAME_FIELDS = ("first_name", "insertion", "name", "company_name")  # what `query` searches (assumption: "names")
JSON_TYPE = "application/json; charset=utf-8"  # every documented response


class Invalid(ValueError):
    """A body value the documented types do not allow; its message becomes the 400's error_message."""


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _compact(value: str) -> str:
    return "".join(value.split()).casefold()


def _decimal(value: float) -> int | float:
    """A `decimal` (2 decimals, _introduction.md API Types); whole values as integers, as the docs print them."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def local_datetime(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, ZONE).strftime(DATETIME_FORMAT)


def parse_datetime(text: str) -> float | None:
    """A documented `datetime` ('yyyy-mm-dd hh:mm:ss', account-local time) as a UNIX timestamp."""
    if not DATETIME.match(text):
        return None
    try:
        return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=ZONE).timestamp()
    except ValueError:
        return None


def phone_name(record: dict[str, Any]) -> str:
    """The name a new landline or mobile entry gets, as in the docs' examples ('Adri Van Name 235238848')."""
    parts = [record["first_name"]] if record["first_name"] else [record["title"].strip(), record["initials"]]
    return " ".join(part for part in [*parts, record["insertion"], record["name"]] if part)


class CycleSoftwareSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = {"USERNAME": USERNAME, "PASSWORD": PASSWORD}
    sample_requests = {
        "GET /api/v1/customers/1.json": ("GET", "/api/v1/customers/1.json", "", b""),
        "GET /api/v1/customers/list.json": ("GET", "/api/v1/customers/list.json", "", b""),
        "GET /api/v1/customers/find.json?query=zz": ("GET", "/api/v1/customers/find.json", "query=zz", b""),
        "POST /api/v1/customers.json": ("POST", "/api/v1/customers.json", "", b'{"name": "accord sample"}'),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0, *, page_size: int = 20,
                 rate_limits: tuple[int, int] = (DOCUMENTED_PER_MINUTE, DOCUMENTED_PER_DAY),
                 clock: Callable[[], float] = time.time, stamp_created: bool = True) -> None:
        """``page_size``: customers per list.json page. The docs' count "e.g. 500" is an example, not a
        rule; 20 lets a run with a few dozen customers cross page boundaries. ``rate_limits``: per
        minute and per day (documented: 360 and 15000). ``stamp_created``: whether a created customer
        gets datetime_created ("if available"); the docs' own create example answers null."""
        self.customers = Table(indexed=("customer_id",))
        self.page_size, self.clock, self.stamp_created = page_size, clock, stamp_created
        self.next_customer_id = 1
        self._ids = threading.Lock()
        super().__init__(faults)
        per_minute, per_day = (60, 1000) if self.fault("ratelimit-limits-changed") else rate_limits
        self.limits = Limits(per_minute, per_day, clock, enforce=not self.fault("ratelimit-not-enforced"))
        now = clock()
        for index in range(1, seed_records + 1):
            self.seed_customer(self._seed_record(index), modified=now - 86_400 - (seed_records - index) * 60)

    # --- seeding ----------------------------------------------------------------------------------
    def _seed_record(self, index: int) -> dict[str, Any]:
        """A varied, deterministic customer that exists before the run (and must stay untouched)."""
        first = ("Adri", "Giel", "Tim", "Sanne", "Lotte", "Bram")[index % 6]
        extra = [{"phone_number_id": str(700_000 + index), "phone_number": f"06 {20_000_000 + index}", "name": "Extra 1"}]
        return {
            "customer_type_name": CUSTOMER_TYPES[index % len(CUSTOMER_TYPES)],
            "customer_reference": f"REF{index:05d}", "postcode": f"{1000 + index % 9000}AB",
            "house_number": str(index % 150 + 1), "house_number_postfix": ("", "a", "B")[index % 3],
            "company_name": f"Company {index:05d}" if index % 4 == 0 else "", "attn": "", "title": "Dhr./Mevr. ",
            "initials": first[0], "insertion": ("", "van", "de")[index % 3], "first_name": first,
            "name": f"Existing customer {index:05d}", "street": "Raadhuisplein", "city": ("Nistelrode", "Gent")[index % 2],
            "country_code_iso_3166": ("NL", "BE")[index % 2], "email": f"existing{index:05d}@example.com",
            "vat_number": "", "coc_number": "", "discount_percentage": (0, 2.5, 10, 12.75)[index % 4],
            "datetime_created": None if index % 3 == 0 else local_datetime(1_600_000_000 + index * 3_600),
            "phone_numbers": [
                {"phone_number_id": "mob", "phone_number": f"06-{10_000_000 + index}", "name": first},
                {"phone_number_id": "tel", "phone_number": f"073 {index:07d}" if index % 2 else "", "name": first},
                *(extra if index % 5 == 0 else []),
            ],
        }

    def seed_customer(self, customer: dict[str, Any], modified: float | None = None) -> dict[str, Any]:
        """Store a customer as it exists before the run, e.g. one printed in the docs: its own
        customer_id (or the next one) and datetime_created. Phone numbers take the customer's id."""
        record = self._blank()
        record.update({key: customer[key] for key in (*TEXT_FIELDS, "customer_type_name") if key in customer})
        record["discount_percentage"] = _decimal(customer.get("discount_percentage", 0))
        record["datetime_created"] = customer.get("datetime_created")
        record["customer_id"] = customer.get("customer_id") or self._take_id()
        if self._record(record["customer_id"]) is not None:
            raise ValueError(f"customer {record['customer_id']} exists already")
        with self._ids:
            self.next_customer_id = max(self.next_customer_id, record["customer_id"] + 1)
        record["phone_numbers"] = self._phones(record, [], customer.get("phone_numbers", []))
        stamp = self.clock() if modified is None else modified
        record["_created"] = record["_modified"] = stamp
        return self.customers.insert(record)

    # --- responses --------------------------------------------------------------------------------
    def ok(self, payload: Any, status: int = 200) -> Response:
        response = json_response(status, payload)
        response.headers["Content-Type"] = "text/html; charset=utf-8" if self.fault("json-as-text-html") else JSON_TYPE
        return response

    def error(self, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        """_introduction.md Errors: the status and {"error": true, "error_message": ...}."""
        body = {"message": message} if self.fault("errors-without-envelope") else {"error": True, "error_message": message}
        response = json_response(status, body, headers)
        response.headers["Content-Type"] = JSON_TYPE
        return response

    def not_found(self, request: Request) -> Response:
        return self.error(404, "Not found")

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        """_introduction.md: 400 "Invalid request, e.g. using an unsupported HTTP method"."""
        if self.fault("unsupported-method-405"):
            return self.error(405, "Method Not Allowed", {"Allow": ", ".join(allowed)})
        return self.error(400, f"Unsupported HTTP method {request.method}")

    def server_error(self, request: Request, error: Exception) -> Response:
        return self.error(500, "Internal server error")

    def handle(self, request: Request) -> Response:
        """Every request counts against the account's limits and every answer carries the
        X-RateLimit-* headers (_introduction.md API Limits; every documented response)."""
        verdict = self.limits.take()
        if verdict.allowed:
            response = super().handle(request)
        else:
            self.requests_served += 1
            response = self.error(429, "Too Many Requests", {"Retry-After": str(verdict.retry_after)})
        if not self.fault("ratelimit-headers-missing"):
            response.headers.update(self._limit_headers(verdict))
        return response

    def _limit_headers(self, verdict: Any) -> dict[str, str]:
        minute_left, day_left = verdict.minute_remaining, verdict.day_remaining
        if self.fault("ratelimit-remaining-constant"):
            minute_left, day_left = self.limits.per_minute - 1, self.limits.per_day - 1
        reset = verdict.day_reset
        if self.fault("ratelimit-reset-past"):
            reset = int(self.limits.day_bounds(self.clock())[0])
        return {
            "X-RateLimit-Minutely-Limit": str(self.limits.per_minute),
            "X-RateLimit-Minutely-Remaining": str(minute_left),
            "X-RateLimit-Daily-Limit": str(self.limits.per_day),
            "X-RateLimit-Daily-Remaining": str(day_left),
            "X-RateLimit-Daily-Reset": str(reset),
        }

    # --- auth -------------------------------------------------------------------------------------
    def routes(self) -> None:
        add = self.router.add
        add("GET", "/api/v1/customers/find.json", self.guarded(self.find_customers, variables=FIND_FILTERS))
        add("GET", "/api/v1/customers/list.json", self.guarded(self.list_customers, variables=("offset", "modified_since")))
        add("GET", "/api/v1/customers/{customer_id:int}.json", self.guarded(self.get_customer))
        add("PUT", "/api/v1/customers/{customer_id:int}.json", self.guarded(self.update_customer))
        add("POST", "/api/v1/customers.json", self.guarded(self.create_customer))
        add("GET", "/api/v1/common/enum/customer-types.json", self.guarded(self.customer_types, scope="common"))

    def guarded(self, handler: Callable[[Request], Response], scope: str = "resources",
                variables: tuple[str, ...] = ()) -> Callable[[Request], Response]:
        """Authentication first, then the GET variables: one the operation does not document is
        refused (_introduction.md: 400 "Invalid request, e.g. using an unsupported ... GET variable")."""
        def serve(request: Request) -> Response:
            refused = self.authenticate(request, scope) or self._unknown_variable(request, variables)
            return refused if refused is not None else handler(request)

        return serve

    def authenticate(self, request: Request, scope: str) -> Response | None:
        """HTTP basic (_authentication.md); 401 for missing or wrong credentials, 403 for an account
        without the operation's scope (_introduction.md Errors and API Scopes)."""
        user, password = self._basic(request.headers.get("Authorization", ""))
        if user is None:
            return None if self.fault("missing-auth-accepted") else self._unauthorized()
        if self.fault("basic-auth-rejected"):
            return self._unauthorized()
        if user not in SCOPES or (password != PASSWORD and not self.fault("wrong-password-accepted")):
            return self._unauthorized()
        if scope not in SCOPES[user] and not self.fault("scope-not-checked"):
            return self.error(403, "Forbidden")
        return None

    @staticmethod
    def _basic(header: str) -> tuple[str | None, str | None]:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "basic" or not token.strip():
            return None, None
        try:
            user, sep, password = base64.b64decode(token.strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None, None
        return (user, password) if sep else (None, None)

    def _unauthorized(self) -> Response:
        # RFC 9110 15.5.2: a 401 names its scheme; the body is the docs' own example.
        return self.error(401, "Unauthorized", {"WWW-Authenticate": 'Basic realm="CycleSoftware API"'})

    # --- the customer object ----------------------------------------------------------------------
    def _take_id(self) -> int:
        with self._ids:
            customer_id = self.next_customer_id
            self.next_customer_id += 1
            return customer_id

    @staticmethod
    def _blank() -> dict[str, Any]:
        return {"customer_type_name": CUSTOMER_TYPES[0], **{key: "" for key in TEXT_FIELDS}, "discount_percentage": 0,
                "datetime_created": None, "phone_numbers": []}

    def _phones(self, record: dict[str, Any], current: list[dict[str, Any]], sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Landline and mobile always exist (every documented customer has both); sent entries
        replace them by phone_number_id, and the extra numbers sent replace the extra numbers held
        (assumption: the docs show whole lists only)."""
        by_id = {entry["phone_number_id"]: dict(entry) for entry in current}
        for fixed in ("mob", "tel"):
            by_id.setdefault(fixed, {"phone_number_id": fixed, "phone_number": "", "name": phone_name(record)})
        extras = [key for key in by_id if key not in ("mob", "tel")]
        if sent:
            for key in extras:
                del by_id[key]
        for item in sent:
            entry = by_id.setdefault(item["phone_number_id"], {"phone_number_id": item["phone_number_id"],
                                                               "phone_number": "", "name": ""})
            entry.update({key: item[key] for key in ("phone_number", "name") if key in item})
            if self.fault("phone-customer-id-from-body") and isinstance(item.get("customer_id"), int):
                entry["customer_id"] = item["customer_id"]
        ordered = [by_id.pop("mob"), by_id.pop("tel"), *by_id.values()]
        for entry in ordered:
            entry.setdefault("customer_id", record["customer_id"])
            if not self.fault("phone-customer-id-from-body"):
                entry["customer_id"] = record["customer_id"]
        return ordered

    def view(self, record: dict[str, Any]) -> dict[str, Any]:
        """The Customer (object) in the documented property order."""
        out = {key: record[key] for key in FIELD_ORDER}
        out["phone_numbers"] = [{"phone_number_id": p["phone_number_id"], "customer_id": p["customer_id"],
                                 "phone_number": p["phone_number"], "name": p["name"]} for p in record["phone_numbers"]]
        if self.fault("phone-id-numeric"):
            for phone in out["phone_numbers"]:
                if phone["phone_number_id"].isdigit():
                    phone["phone_number_id"] = int(phone["phone_number_id"])
        if self.fault("datetime-iso") and isinstance(out["datetime_created"], str):
            stamp = parse_datetime(out["datetime_created"])
            if stamp is not None:
                out["datetime_created"] = datetime.fromtimestamp(stamp, ZONE).isoformat()
        if self.fault("discount-as-string") and _is_number(out["discount_percentage"]):
            out["discount_percentage"] = f"{out['discount_percentage']:.2f}"
        if self.fault("customer-type-lowercase") and isinstance(out["customer_type_name"], str):
            out["customer_type_name"] = out["customer_type_name"].lower()
        if self.fault("company-fields-dropped"):
            for key in COMPANY_FIELDS:
                out.pop(key)
        return out

    def _clean(self, body: Any) -> dict[str, Any]:
        """The writable fields of a POST or PUT body, type-checked against the property table.
        Readonly fields (customer_id, datetime_created, phone_numbers[].customer_id) and unknown keys
        are ignored. `string` (without ?) allows no null (_introduction.md: only ?T may be null)."""
        if not isinstance(body, dict):
            raise Invalid("The request body must be a JSON object")
        clean: dict[str, Any] = {}
        for key in TEXT_FIELDS:
            if key in body:
                if not isinstance(body[key], str):
                    raise Invalid(f"Invalid value for {key}: a string is expected")
                clean[key] = body[key]
        if "customer_type_name" in body:
            if body["customer_type_name"] not in CUSTOMER_TYPES:
                raise Invalid("Invalid value for customer_type_name: see enum customer_types")
            clean["customer_type_name"] = body["customer_type_name"]
        if "discount_percentage" in body:
            if not _is_number(body["discount_percentage"]):
                raise Invalid("Invalid value for discount_percentage: a decimal is expected")
            value = body["discount_percentage"]
            clean["discount_percentage"] = value if self.fault("discount-unrounded") else _decimal(value)
        if "phone_numbers" in body:
            clean["phone_numbers"] = self._clean_phones(body["phone_numbers"])
        return clean

    @staticmethod
    def _clean_phones(phones: Any) -> list[dict[str, Any]]:
        if not isinstance(phones, list):
            raise Invalid("Invalid value for phone_numbers: an array is expected")
        clean = []
        for item in phones:
            if not isinstance(item, dict) or not isinstance(item.get("phone_number_id"), str) \
                    or not PHONE_ID.match(item["phone_number_id"]):
                raise Invalid("Invalid value for phone_numbers[].phone_number_id: 'tel', 'mob' or an ID is expected")
            for key in ("phone_number", "name"):
                if key in item and not isinstance(item[key], str):
                    raise Invalid(f"Invalid value for phone_numbers[].{key}: a string is expected")
            clean.append({key: item[key] for key in ("phone_number_id", "phone_number", "name", "customer_id") if key in item})
        return clean

    @staticmethod
    def _lenient(body: Any) -> dict[str, Any]:
        """What a server without type checks would store (the *-invalid-accepted faults)."""
        if not isinstance(body, dict):
            return {}
        known = (*TEXT_FIELDS, "customer_type_name", "discount_percentage")
        clean = {key: body[key] for key in known if key in body}
        phones = body.get("phone_numbers")
        if isinstance(phones, list):
            clean["phone_numbers"] = [p for p in phones if isinstance(p, dict) and isinstance(p.get("phone_number_id"), str)]
        return clean

    def _read_body(self, request: Request, lenient: bool) -> tuple[dict[str, Any] | None, Any, Response | None]:
        try:
            body = request.json()
        except (ValueError, UnicodeDecodeError):
            if self.fault("malformed-json-500"):
                return None, None, self.server_error(request, ValueError("malformed JSON"))
            return None, None, self.error(400, "Invalid JSON in request body")
        try:
            return self._clean(body), body, None
        except Invalid as problem:
            if lenient:
                return self._lenient(body), body, None
            return None, body, self.error(400, str(problem))

    # --- operations -------------------------------------------------------------------------------
    def _record(self, customer_id: int) -> dict[str, Any] | None:
        rows = self.customers.find("customer_id", customer_id)
        return rows[0] if rows else None

    def get_customer(self, request: Request) -> Response:
        record = self._record(request.path_params["customer_id"])
        if record is None:
            if self.fault("unknown-id-500"):
                return self.server_error(request, LookupError("customer"))
            return self.error(404, "Customer not found")
        customer = self.view(record)
        if self.fault("get-wrapped"):
            return self.ok({"error": False, "error_message": None, "customer": customer})
        return self.ok(customer, 203 if self.fault("get-answers-203") else 200)

    def create_customer(self, request: Request) -> Response:
        clean, body, refused = self._read_body(request, lenient=self.fault("create-invalid-accepted"))
        if refused:
            return refused
        record = self._blank()
        record.update({key: value for key, value in clean.items() if key != "phone_numbers"})
        now = self.clock()
        record["customer_id"] = self._take_id()
        record["datetime_created"] = local_datetime(now) if self.stamp_created else None
        if self.fault("post-applies-readonly"):
            if isinstance(body.get("customer_id"), int) and self._record(body["customer_id"]) is None:
                record["customer_id"] = body["customer_id"]
            if "datetime_created" in body:
                record["datetime_created"] = body["datetime_created"]
        record["phone_numbers"] = self._phones(record, [], clean.get("phone_numbers", []))
        record["_created"] = record["_modified"] = now
        stored = dict(record)
        if self.fault("create-drops-extra-phones"):
            stored["phone_numbers"] = record["phone_numbers"][:2]
        self.customers.insert(stored)
        return self.ok(self.view(record), 201 if self.fault("create-answers-201") else 200)

    def update_customer(self, request: Request) -> Response:
        customer_id = request.path_params["customer_id"]
        current = self._record(customer_id)
        if current is None and not self.fault("update-unknown-creates"):
            return self.error(404, "Customer not found")
        clean, body, refused = self._read_body(request, lenient=self.fault("update-invalid-accepted"))
        if refused:
            return refused
        if current is None:  # the update-unknown-creates fault
            current = self.customers.insert({**self._blank(), "customer_id": customer_id, "_created": self.clock()})
            current["phone_numbers"] = self._phones(current, [], [])
        merged = {**current, **{key: value for key, value in clean.items() if key != "phone_numbers"}}
        if self.fault("put-overwrites-customer-id") and isinstance(body.get("customer_id"), int):
            merged["customer_id"] = body["customer_id"]
        merged["phone_numbers"] = self._phones(merged, current["phone_numbers"], clean.get("phone_numbers", []))
        merged["_modified"] = self.clock()
        if not self.fault("update-not-persisted"):
            self.customers.replace(current["id"], merged)
        if self.fault("update-answers-empty"):
            return self.ok({"error": False, "error_message": None})
        return self.ok(self.view(merged))

    def _unknown_variable(self, request: Request, known: tuple[str, ...]) -> Response | None:
        unknown = sorted(set(request.query) - set(known))
        return self._bad_parameter(request, f"Unsupported GET variable {unknown[0]}") if unknown else None

    def find_customers(self, request: Request) -> Response:
        """Every given filter must match (assumption for the combination); an empty value is no filter."""
        given = {name: request.arg(name) for name in FIND_FILTERS if request.arg(name)}
        if request.arg("query") == "" and self.fault("empty-query-500"):
            return self.server_error(request, ValueError("empty query"))
        type_id = given.get("customer_type_id")
        if type_id is not None and not OFFSET.match(type_id):
            return self._bad_parameter(request, "Invalid value for customer_type_id")
        tests = [test for name, value in given.items() if (test := self._filter(name, value)) is not None]
        combine = any if self.fault("find-filters-or") and tests else all
        rows = sorted(self.customers.select(lambda row: combine(test(row) for test in tests)),
                      key=lambda row: row["customer_id"])
        customers = [self.view(row) for row in rows]
        if self.fault("find-wrapped"):
            return self.ok({"error": False, "error_message": None, "customers": customers,
                            "pagination": {"count": len(customers), "next_offset": None}})
        return self.ok(customers)

    def _filter(self, name: str, value: str) -> Callable[[dict[str, Any]], bool] | None:
        """One find.json filter as a predicate; None where a fault ignores it."""
        if name == "phone_number":
            wanted = _digits(value)
            kinds = ("mob",) if self.fault("find-phone-mobile-only") else None
            return lambda row: bool(wanted) and any(
                _digits(p["phone_number"]) == wanted for p in row["phone_numbers"]
                if kinds is None or p["phone_number_id"] in kinds)
        if name == "postal_code":
            return None if self.fault("find-postal-code-ignored") else lambda row: _compact(row["postcode"]) == _compact(value)
        if name == "housenumber":
            if self.fault("find-housenumber-prefix"):
                return lambda row: row["house_number"].strip().startswith(value.strip())
            return lambda row: row["house_number"].strip() == value.strip()
        if name == "housenumber_postfix":
            if self.fault("find-postfix-ignored"):
                return None
            return lambda row: row["house_number_postfix"].strip().casefold() == value.strip().casefold()
        if name == "email":
            if self.fault("find-email-substring"):
                return lambda row: value.strip().casefold() in row["email"].casefold()
            return lambda row: row["email"].strip().casefold() == value.strip().casefold()
        if name == "query":
            words = [word.strip("*%").casefold() for word in value.split()]
            words = [word for word in words if word][:1 if self.fault("find-query-first-word") else None]
            return lambda row: all(any(word in str(row[f]).casefold() for f in NAME_FIELDS) for word in words)
        if name == "country_code":
            if self.fault("find-country-ignored"):
                return None
            return lambda row: row["country_code_iso_3166"].strip().casefold() == value.strip().casefold()
        if self.fault("find-type-ignored"):  # customer_type_id
            return None
        index = int(value) - 1
        wanted_type = CUSTOMER_TYPES[index] if 0 <= index < len(CUSTOMER_TYPES) else None
        return lambda row: row["customer_type_name"] == wanted_type

    def list_customers(self, request: Request) -> Response:
        """Offset paging in customer_id order: `offset` is a position, `next_offset` the position of
        the next page (assumption: the docs call it an offset and show no cursor)."""
        offset_arg, since_arg = request.arg("offset"), request.arg("modified_since")
        offset = 0
        if offset_arg not in (None, ""):
            if not OFFSET.match(offset_arg):
                return self._bad_parameter(request, "Invalid value for offset")
            offset = int(offset_arg)
        since = None
        if since_arg not in (None, ""):
            since = parse_datetime(since_arg)
            if since is None:
                return self._bad_parameter(request, "Invalid value for modified_since, expected yyyy-mm-dd hh:mm:ss")
        stamp = "_created" if self.fault("modified-since-created-only") else "_modified"
        if self.fault("modified-since-ignored"):
            since = None
        keys: list[tuple[int, int]] = []  # (customer_id, row id) of every listed customer
        # The predicate records the keys and selects nothing, so a page costs one pass over the table
        # and copies only its own rows (copying 10,000 customers per page took 0.3 s).
        self.customers.select(lambda row: (since is None or row[stamp] >= since)
                              and keys.append((row["customer_id"], row["id"])) is not None)
        keys.sort()
        page = [row for _, row_id in keys[offset:offset + self.page_size] if (row := self.customers.get(row_id))]
        end = offset + len(page)
        next_offset = end + (1 if self.fault("next-offset-off-by-one") else 0) if end < len(keys) else None
        customers = [self.view(row) for row in page]
        if self.fault("list-customer-id-string"):
            for customer in customers:
                customer["customer_id"] = str(customer["customer_id"])
        count = len(keys) if self.fault("pagination-count-total") else len(page)
        return self.ok({"error": None if self.fault("list-error-null") else False, "error_message": None,
                        "customers": customers, "pagination": {"count": count, "next_offset": next_offset}})

    def _bad_parameter(self, request: Request, message: str) -> Response:
        """_introduction.md: 400 "Invalid request, e.g. using an unsupported ... GET variable"."""
        if self.fault("invalid-offset-500"):
            return self.server_error(request, ValueError(message))
        return self.error(400, message)

    def customer_types(self, request: Request) -> Response:
        """_common.md GET /api/v1/common/enum/:subject.json for subject customer-types (scope common)."""
        data = [{"id": index, "description": name, "description_en": english}
                for index, (name, english) in enumerate(zip(CUSTOMER_TYPES, CUSTOMER_TYPES_EN, strict=True), start=1)]
        if self.fault("customer-types-incomplete"):
            data = data[:-1]
        return self.ok({"error": False, "error_message": None, "data": data})
