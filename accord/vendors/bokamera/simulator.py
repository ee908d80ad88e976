"""A BokaMera customer API that behaves as its ServiceStack metadata says (VENDOR-NOTES §5).

The documented operation is UpdateCustomer (vendor-docs/bokamera-update-customer.txt); CreateCustomer,
DeleteCustomer and CustomerQuery come from BokaMera's other metadata pages
(vendor-specs/bokamera/servicestack-customer-dtos.json). Every operation answers on its custom
route (``/customers…``) and on ServiceStack's predefined ``/api/{DtoName}`` and
``/json/reply/{DtoName}`` routes. Two companies, each with an administrator and a user who is a
customer with an account, have fixed test credentials; faults (faults.py) switch single
deviations on.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from accord.simulate import Request, Response, Simulator, Table
from accord.simulate.app import empty_response
from accord.vendors.bokamera import wire
from accord.vendors.bokamera.faults import CATALOGUE

API_KEY = "5f1c2b7e-0a4d-4e59-9c3a-acc0d0000001"
COMPANY_A = "a0000000-0000-4000-8000-00000000000a"
COMPANY_B = "b0000000-0000-4000-8000-00000000000b"


def _identity(token: str, company: str, admin: bool, customer: str | None) -> dict[str, Any]:
    return {"token": token, "company": company, "admin": admin, "customer": customer}


# Fixed test identities. A user is a customer with an account: the customer record it may update.
IDENTITIES = {
    "admin-a": _identity("bm-admin-a-T0k3n-q8", COMPANY_A, True, None),
    "user-a": _identity("bm-user-a-T0k3n-q8", COMPANY_A, False, "c0000000-0000-4000-8000-0000000000a1"),
    "admin-b": _identity("bm-admin-b-T0k3n-q8", COMPANY_B, True, None),
    "user-b": _identity("bm-user-b-T0k3n-q8", COMPANY_B, False, "c0000000-0000-4000-8000-0000000000b1"),
}
# Customers every simulator starts with: each user's own record, and one customer per company
# without an account (administrators may update those).
FIXED_CUSTOMERS = [
    {"Id": IDENTITIES["user-a"]["customer"], "CompanyId": COMPANY_A, "Firstname": "Ulla", "Lastname": "User",
     "Email": "ulla@example.com", "Phone": "+46 70 000 00 01", "UserId": "d0000000-0000-4000-8000-0000000000a1"},
    {"Id": "c0000000-0000-4000-8000-0000000000a2", "CompanyId": COMPANY_A, "Firstname": "Alva", "Lastname": "Andersson",
     "Email": "alva@example.com", "Phone": "+46 70 000 00 02", "UserId": None},
    {"Id": IDENTITIES["user-b"]["customer"], "CompanyId": COMPANY_B, "Firstname": "Bo", "Lastname": "User",
     "Email": "bo@example.com", "Phone": "+46 70 000 00 03", "UserId": "d0000000-0000-4000-8000-0000000000b1"},
    {"Id": "c0000000-0000-4000-8000-0000000000b2", "CompanyId": COMPANY_B, "Firstname": "Berit", "Lastname": "Berg",
     "Email": "berit@example.com", "Phone": "+46 70 000 00 04", "UserId": None},
]
PLAIN_CUSTOMER = {COMPANY_A: FIXED_CUSTOMERS[1]["Id"], COMPANY_B: FIXED_CUSTOMERS[3]["Id"]}


def _field(field_id: int, name: str, column: str, **config: Any) -> dict[str, Any]:
    base = {"Id": field_id, "Name": name, "Description": f"{name} of the customer", "Width": None, "DataType": "TextBox",
            "DefaultValue": "", "IsMandatory": False, "MandatoryErrorMessage": "", "MaxLength": 0, "MultipleLineText": False,
            "RegEx": "", "RegExErrorMessage": "", "Values": [], "Column": column}
    return {**base, **config}


# Each company's customer custom fields (CustomFieldConfigData). Ids differ between companies.
CUSTOM_FIELDS = {
    COMPANY_A: [
        _field(1, "Membership number", "TextField1", Width=20, IsMandatory=True,
               MandatoryErrorMessage="Please enter your membership number", MaxLength=10,
               RegEx=r"^[0-9]+$", RegExErrorMessage="The membership number may only contain digits"),
        _field(2, "Notes", "TextField2", MaxLength=50, MultipleLineText=True),
        _field(3, "T-shirt size", "TextField3", DataType="DropDown", DefaultValue="M",
               Values=[{"Value": "S"}, {"Value": "M"}, {"Value": "L"}]),
    ],
    COMPANY_B: [
        _field(4, "Customer number", "TextField1", IsMandatory=True, MandatoryErrorMessage="Customer number is required",
               MaxLength=8, RegEx=r"^B-[0-9]+$", RegExErrorMessage="Customer numbers look like B-123"),
        _field(5, "Allergies", "TextField2", MaxLength=100),
    ],
}
CUSTOMER_FIELDS = ("Firstname", "Lastname", "Email", "Phone")
DEFAULT_TAKE, MAX_TAKE = 100, 1000
ROUTE_DTOS = ("UpdateCustomer", "CreateCustomer", "DeleteCustomer", "CustomerQuery")


class Refusal(Exception):
    """An error answer: status, ServiceStack error code, message and field errors."""

    def __init__(self, status: int, code: str, message: str, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors or []


class BokaMeraSimulator(Simulator):
    catalogue = CATALOGUE
    credentials = {"API_KEY": API_KEY, "TOKEN": IDENTITIES["admin-a"]["token"],
                   "USER_TOKEN": IDENTITIES["user-a"]["token"], "OTHER_COMPANY_TOKEN": IDENTITIES["admin-b"]["token"]}
    identities = IDENTITIES
    companies = (COMPANY_A, COMPANY_B)
    custom_fields = CUSTOM_FIELDS
    plain_customers = PLAIN_CUSTOMER
    sample_requests = {
        "GET /customers": ("GET", "/customers", "", b""),
        "GET /customers?Skip=1&Take=2": ("GET", "/customers", "Skip=1&Take=2", b""),
        "GET /customers?Search=zz": ("GET", "/customers", "Search=zz", b""),
        "PUT /customers/{Id}": ("PUT", f"/customers/{PLAIN_CUSTOMER[COMPANY_A]}", "",
                                b'{"Firstname": "Alva", "Lastname": "Andersson", "Phone": "+46 70 000 00 02",'
                                b' "Email": "alva@example.com"}'),
        "POST /customers": ("POST", "/customers", "",
                            b'{"Firstname": "accord", "Lastname": "sample", "Phone": "+46 70 000 00 00"}'),
    }

    def __init__(self, faults: tuple[str, ...] = (), seed_records: int = 0) -> None:
        self.customers = Table(indexed=("Id",))
        self._clock_lock = threading.Lock()
        self._last_time = datetime(2026, 1, 1, tzinfo=UTC)
        super().__init__(faults)
        for fixed in FIXED_CUSTOMERS:
            self._insert({**fixed}, seeded=True)
        for index in range(seed_records):
            self.seed_customer(index)

    def snapshot(self) -> dict[str, Any]:
        return {"customers": self.customers.snapshot()}

    def seed_customer(self, index: int) -> dict[str, Any]:
        """A record of the first company that exists before the run (a run must leave it unchanged)."""
        return self._insert({"Id": str(uuid.UUID(int=0xE0000000_0000_4000_8000_000000000000 + index)), "CompanyId": COMPANY_A,
                             "Firstname": "Existing", "Lastname": f"Customer {index + 1:05d}",
                             "Email": f"existing{index + 1:05d}@example.com", "Phone": f"+46 8 {index + 1:07d}",
                             "UserId": None}, seeded=True)

    def _insert(self, fields: dict[str, Any], seeded: bool = False) -> dict[str, Any]:
        return self.customers.insert(self._new_record(fields, seeded))

    def _new_record(self, fields: dict[str, Any], seeded: bool = False) -> dict[str, Any]:
        now = self._now()
        record = {"Id": fields["Id"], "CompanyId": fields["CompanyId"], "UserId": fields.get("UserId"), "ImageUrl": None,
                  "custom": {}, "AccessKeys": [], "Comments": [], "SubscribedToNewsletter": False, "InvoiceAddress": None,
                  "Created": now, "Updated": now}
        record.update({name: fields.get(name) for name in CUSTOMER_FIELDS})
        if seeded and fields.get("UserId"):
            record["Comments"] = [{"Id": 1, "CustomerId": fields["Id"], "Comments": "Prefers morning appointments",
                                   "Created": now, "Updated": now}]
        return record

    def _now(self) -> str:
        """.NET-style ISO 8601 (7 fractional digits); strictly increasing, so Updated always moves."""
        with self._clock_lock:
            now = max(datetime.now(UTC), self._last_time + timedelta(microseconds=1))
            self._last_time = now
        return now.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"

    def routes(self) -> None:
        add = self.router.add
        add("PUT", "/customers/{Id}", self.guarded(self.update_customer))
        add("POST", "/customers", self.guarded(self.create_customer))
        add("DELETE", "/customers/{Id}", self.guarded(self.delete_customer))
        add("GET", "/customers", self.guarded(self.query_customers))
        handlers = {"UpdateCustomer": self.update_customer, "CreateCustomer": self.create_customer,
                    "DeleteCustomer": self.delete_customer, "CustomerQuery": self.query_customers}
        for prefix in ("/api", "/json/reply", "/jsonl/reply"):
            for dto, handler in handlers.items():
                for method in ("GET", "POST", "PUT", "DELETE"):  # predefined routes take any verb
                    add(method, f"{prefix}/{dto}", self.guarded(handler))

    # --- the ServiceStack host around the services ---------------------------------------------------
    def handle(self, request: Request) -> Response:
        if self.fault("format-query-ignored"):
            request.query.pop("format", None)
        if wire.SUFFIX.search(request.path) and self.fault("format-suffix-404"):
            return self.refuse(request, Refusal(404, "NotFound", f"Handler for Request not found: {request.path}"))
        wire.strip_suffix(request)
        for prefix, fault in (("/api/", "api-route-missing"), ("/json/reply/", "json-reply-route-missing"),
                              ("/jsonl/reply/", "json-reply-route-missing")):
            if request.path.startswith(prefix) and self.fault(fault):
                return self.refuse(request, Refusal(404, "NotFound", f"Handler for Request not found: {request.path}"))
        if request.path.startswith("/jsonl/reply/"):
            request.query.setdefault("format", ["jsonl"])
        elif request.path.startswith("/json/reply/"):
            request.query.setdefault("format", ["json"])
        fmt = wire.response_format(request)
        if fmt not in wire.FORMATS:
            return self.render(request, 406, wire.response_status("NotAcceptable", f"The {fmt} format is not served here"),
                               fmt="json")
        return super().handle(request)

    def render(self, request: Request, status: int, payload: Any, fmt: str | None = None) -> Response:
        fmt = fmt or wire.response_format(request)
        if fmt == "jsonl" and self.fault("jsonl-ignored") and request.arg("format") is None:  # Accept only
            fmt = "json"
        case = "pascal" if self.fault("jsconfig-ignored") else wire.text_case(request)
        response = wire.serialise(payload, fmt, case)
        response.status = status
        if fmt == "json" and self.fault("json-as-text-plain"):
            response.headers["Content-Type"] = "text/plain; charset=utf-8"
        return response

    def refuse(self, request: Request, refusal: Refusal, headers: dict[str, str] | None = None) -> Response:
        # The two shape faults spare 400s: validation answers belong to other clauses' checks.
        if self.fault("errors-as-html") and refusal.status in (401, 403, 404):
            page = f"<html><body><h1>{refusal.status} {refusal.code}</h1><p>{refusal.message}</p></body></html>".encode()
            return Response(refusal.status, page, {"Content-Type": "text/html; charset=utf-8", **(headers or {})})
        errors = [] if self.fault("validation-errors-empty") else refusal.errors
        payload = wire.response_status(refusal.code, refusal.message, errors)
        if self.fault("error-without-response-status") and refusal.status in (401, 403, 404):
            payload = {"message": refusal.message}
        response = self.render(request, refusal.status, payload)
        response.headers.update(headers or {})
        return response

    def not_found(self, request: Request) -> Response:
        return self.refuse(request, Refusal(404, "NotFound", f"Handler for Request not found: {request.method} {request.path}"))

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        refusal = Refusal(405, "NotImplementedException", f"Could not find method named {request.method} on this route")
        return self.refuse(request, refusal, {"Allow": ", ".join(allowed)})

    def server_error(self, request: Request, error: Exception) -> Response:
        return self.render(request, 500, wire.response_status(type(error).__name__, str(error) or "Internal Server Error"))

    def guarded(self, handler):  # noqa: ANN001, ANN202 - decorator over this class's handlers
        def serve(request: Request) -> Response:
            try:
                identity = self.authenticate(request)
                return handler(request, identity)
            except Refusal as refusal:
                return self.refuse(request, refusal)

        return serve

    def authenticate(self, request: Request) -> dict[str, Any]:
        """The identity behind the bearer token; both x-api-key and the token are required."""
        key = request.headers.get("x-api-key")
        if key != API_KEY and not (key is None and self.fault("missing-api-key-accepted")):
            raise Refusal(401, "Unauthorized", "Missing or invalid x-api-key header")
        authorization = request.headers.get("Authorization", "")
        if not authorization.startswith("Bearer "):
            if self.fault("missing-bearer-accepted"):
                return IDENTITIES["admin-a"]
            raise Refusal(401, "Unauthorized", "Not Authenticated")
        token = authorization[7:].strip()
        for identity in IDENTITIES.values():
            if identity["token"] == token:
                return identity
        if self.fault("wrong-token-accepted"):
            return IDENTITIES["admin-a"]
        raise Refusal(401, "Unauthorized", "Invalid bearer token")

    # --- binding ---------------------------------------------------------------------------------------
    def bind(self, request: Request, dto: str) -> dict[str, Any]:
        """The request DTO from body, query string and path, as ServiceStack populates it."""
        raw: dict[str, Any] = {}
        if request.method in ("POST", "PUT", "PATCH"):
            content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
            if content_type in ("text/jsonl", "application/jsonl") and self.fault("jsonl-request-rejected"):
                raise Refusal(415, "NotSupportedException", f"Content-Type {content_type} is not supported")
            try:
                raw = wire.read_body(request)
            except (ValueError, UnicodeDecodeError) as error:
                if self.fault("malformed-json-500"):
                    raise Refusal(500, "Exception", "Object reference not set to an instance of an object.") from error
                raise Refusal(400, "SerializationException", f"Unable to bind to request '{dto}'") from error
        declared = {name.lower() for name in wire.DTOS[dto]}
        if self.fault("unknown-property-rejected"):
            unknown = [key for key in raw if key.lower() not in declared]
            if unknown:
                raise Refusal(400, "SerializationException", f"Unknown property '{unknown[0]}'",
                              [wire.field_error("SerializationException", unknown[0], "Unknown property")])
        strict_case = self.fault("camelcase-body-ignored")
        try:
            bound = wire.bind(dto, raw, case_sensitive=strict_case)
            bound.update(wire.bind(dto, wire.query_values(request), from_text=True))
            path = {key: value for key, value in request.path_params.items()}
            bound.update(wire.bind(dto, path, from_text=True))
        except wire.BindError as error:
            if self.fault("invalid-type-500"):
                raise Refusal(500, "InvalidCastException", "Specified cast is not valid.") from error
            raise Refusal(400, "SerializationException", f"Unable to bind to request '{dto}'",
                          [wire.field_error("SerializationException", error.field, str(error))]) from error
        return bound

    # --- customers -------------------------------------------------------------------------------------
    def _find(self, customer_id: str | None) -> dict[str, Any] | None:
        if wire.blank_guid(customer_id):
            return None
        found = self.customers.find("Id", customer_id)
        return found[0] if found else None

    def _company_for(self, identity: dict[str, Any], company: str | None) -> str:
        """The company a request acts in: the given one, or for a blank CompanyId the caller's own."""
        if wire.blank_guid(company):
            return identity["company"]
        return company  # type: ignore[return-value]

    def _require_admin(self, identity: dict[str, Any], company: str, allow_fault: str) -> None:
        if not identity["admin"] and not self.fault(allow_fault):
            raise Refusal(403, "Forbidden", "Invalid Role")
        if company != identity["company"] and identity["admin"]:
            raise Refusal(403, "Forbidden", "You are not an administrator of this company")

    def view(self, record: dict[str, Any], include: frozenset[str] | None = None) -> dict[str, Any]:
        """CustomerQueryResponse. ServiceStack leaves null properties out of the JSON."""
        def wanted(part: str) -> bool:
            return include is None or part in include

        fields = CUSTOM_FIELDS.get(record["CompanyId"], [])
        out: dict[str, Any] = {"Id": record["Id"], **{name: record.get(name) for name in CUSTOMER_FIELDS},
                               "ImageUrl": record.get("ImageUrl")}
        if wanted("CustomFields") and not self.fault("custom-field-config-omitted"):
            out["CustomFields"] = [{k: v for k, v in field.items() if k != "Column"} for field in fields]
        if wanted("CustomFieldValues"):
            out["CustomFieldValues"] = [
                {"Id": field["Id"], "Column": field["Column"], "Name": field["Name"], "Description": field["Description"],
                 "Value": record["custom"][str(field["Id"])], "DataType": field["DataType"]}
                for field in fields if str(field["Id"]) in record["custom"]]
        if wanted("Comments"):
            out["Comments"] = record["Comments"]
        if wanted("AccessKeys"):
            out["AccessKeys"] = record["AccessKeys"]
        out.update({"Updated": record["Updated"], "Created": record["Created"]})
        out["SubscribedToNewsletter"] = record["SubscribedToNewsletter"]
        if self.fault("width-as-string") and "CustomFields" in out:
            out["CustomFields"] = [{**field, "Width": str(field["Width"])} for field in out["CustomFields"]]
        if wanted("InvoiceAddress"):
            out["InvoiceAddress"] = record["InvoiceAddress"]
        return self._without_nulls(out)

    def _without_nulls(self, value: Any) -> Any:
        if self.fault("null-for-absent"):
            return value
        if isinstance(value, dict):
            return {k: self._without_nulls(v) for k, v in value.items() if v is not None}
        if isinstance(value, list):
            return [self._without_nulls(v) for v in value]
        return value

    def _apply(self, record: dict[str, Any], dto: dict[str, Any], company: str) -> dict[str, Any]:
        """The record with the DTO's values applied; custom fields validated against their configuration."""
        changed = dict(record)
        for name in CUSTOMER_FIELDS:
            if name in dto:
                changed[name] = dto[name]
        if dto.get("SubscribedToNewsletter") is not None and not self.fault("newsletter-ignored"):
            changed["SubscribedToNewsletter"] = dto["SubscribedToNewsletter"]
        if dto.get("InvoiceAddress") is not None and not self.fault("invoice-address-dropped"):
            changed["InvoiceAddress"] = dto["InvoiceAddress"]
        if dto.get("CustomFields") is not None:
            changed["custom"] = {**record["custom"], **self._custom_values(dto["CustomFields"], company)}
        keys = [dict(key) for key in record["AccessKeys"]]
        if dto.get("AccessKeysToDelete") and not self.fault("access-keys-delete-ignored"):
            doomed = {entry.get("Id") for entry in dto["AccessKeysToDelete"]}
            keys = [] if self.fault("access-keys-delete-all") else [key for key in keys if key["Id"] not in doomed]
        if dto.get("AccessKeys"):
            for sent in dto["AccessKeys"]:
                existing = next((key for key in keys if not wire.blank_guid(sent.get("Id")) and key["Id"] == sent["Id"]), None)
                values = {"AccessKeyTypeId": sent.get("AccessKeyTypeId", 0), "Value": sent.get("Value"),
                          "Description": None if self.fault("access-keys-lose-description") else sent.get("Description")}
                if existing is not None:
                    existing.update({k: v for k, v in values.items() if v is not None})
                else:
                    keys.append({"CompanyId": company, **values, "CustomerId": record["Id"], "Id": str(uuid.uuid4())})
        changed["AccessKeys"] = keys
        return changed

    def _custom_values(self, sent: list[dict[str, Any]], company: str) -> dict[str, str]:
        """Values by field id; ids the company has not configured are ignored (the documented sample
        sends Id 0). Mandatory, MaxLength and RegEx answer with the field's configured message."""
        fields = {field["Id"]: field for field in CUSTOM_FIELDS.get(company, [])}
        order = list(fields)
        values: dict[str, str] = {}
        errors: list[dict[str, Any]] = []
        for entry in sent:
            field = fields.get(entry.get("Id"))
            if field is None:
                continue
            value = entry.get("Value") or ""
            meta = {"CustomFieldId": str(field["Id"])}
            if field["IsMandatory"] and not value.strip() and not self.fault("mandatory-blank-accepted"):
                message = "Value is required" if self.fault("mandatory-generic-message") else field["MandatoryErrorMessage"]
                errors.append(wire.field_error("NotEmpty", "CustomFields", message, meta))
                continue
            if field["MaxLength"] and len(value) > field["MaxLength"] and not self.fault("max-length-ignored"):
                message = f"{field['Name']} may be at most {field['MaxLength']} characters long"
                errors.append(wire.field_error("MaximumLength", "CustomFields", message, meta))
                continue
            if value and field["RegEx"] and not re.search(field["RegEx"], value) and not self.fault("regex-ignored"):
                message = "The value is not valid" if self.fault("regex-generic-message") else field["RegExErrorMessage"]
                errors.append(wire.field_error("RegularExpression", "CustomFields", message, meta))
                continue
            target = field["Id"]
            if self.fault("custom-field-values-swapped"):
                target = order[(order.index(target) + 1) % len(order)]
            values[str(target)] = value
        if errors:
            raise Refusal(400, errors[0]["ErrorCode"], errors[0]["Message"], errors)
        return values

    def update_customer(self, request: Request, identity: dict[str, Any]) -> Response:
        dto = self.bind(request, "UpdateCustomer")
        company = self._company_for(identity, dto.get("CompanyId"))
        if self.fault("blank-company-not-defaulted") and identity["admin"] and "CompanyId" in dto and dto["CompanyId"] is None:
            raise Refusal(404, "NotFound", "Customer not found")  # sent empty (or null): not read as blank
        record = self._find(dto.get("Id"))
        if record is None:
            if self.fault("unknown-id-500"):
                raise Refusal(500, "NullReferenceException", "Object reference not set to an instance of an object.")
            raise Refusal(404, "NotFound", "Customer not found")
        own = identity["customer"] == record["Id"]
        if identity["admin"]:
            other_company = company != identity["company"] or record["CompanyId"] != company
            if other_company and not self.fault("admin-other-company-allowed"):
                if record["CompanyId"] != company and company == identity["company"]:
                    raise Refusal(404, "NotFound", "Customer not found")
                raise Refusal(403, "UnauthorizedAccessException", "You are not allowed to update customers of this company")
            if record["UserId"] and not self.fault("admin-account-customer-allowed"):
                raise Refusal(403, "UnauthorizedAccessException",
                              "The customer has an account: only the customer may update it")
            if self.fault("admin-named-company-refused") and not wire.blank_guid(dto.get("CompanyId")):
                raise Refusal(403, "UnauthorizedAccessException", "You are not allowed to update this customer")
        elif not own and not (self.fault("user-updates-others") and record["CompanyId"] == identity["company"]):
            raise Refusal(403, "UnauthorizedAccessException", "You may only update your own customer information")
        missing = [name for name in ("Firstname", "Lastname", "Phone", "Email") if name not in dto]
        if missing and self.fault("missing-fields-500"):
            raise Refusal(500, "NullReferenceException", "Object reference not set to an instance of an object.")
        changed = self._apply(record, dto, record["CompanyId"])
        changed.pop("contact_unlisted", None)
        changed["Updated"] = record["Updated"] if self.fault("updated-not-changing") else self._now()
        if self.fault("created-reset"):
            changed["Created"] = changed["Updated"]
        if not self.fault("update-not-persisted"):
            self.customers.replace(record["id"], changed)
        view = self.view(changed)
        if self.fault("update-response-without-id"):
            del view["Id"]
        return self.render(request, 200, view)

    def create_customer(self, request: Request, identity: dict[str, Any]) -> Response:
        dto = self.bind(request, "CreateCustomer")
        company = self._company_for(identity, dto.get("CompanyId"))
        self._require_admin(identity, company, "user-create-allowed")
        missing = [name for name in ("Firstname", "Lastname", "Phone") if not (dto.get(name) or "").strip()]
        if missing and not self.fault("create-missing-required-accepted"):
            errors = [wire.field_error("NotEmpty", name, f"'{name}' must not be empty.") for name in missing]
            raise Refusal(400, "NotEmpty", errors[0]["Message"], errors)
        customer_id = dto.get("CustomerId") if not wire.blank_guid(dto.get("CustomerId")) else str(uuid.uuid4())
        if self._find(customer_id) is not None:
            raise Refusal(400, "AlreadyExists", "A customer with this id already exists",
                          [wire.field_error("AlreadyExists", "CustomerId", "A customer with this id already exists")])
        changed = self._apply(self._new_record({"Id": customer_id, "CompanyId": company}), dto, company)
        if self.fault("create-listed-without-contact"):
            changed["contact_unlisted"] = True  # stored, but CustomerQuery leaves it out until an update
        changed = self.customers.insert(changed)
        # UpdateCustomerResponse: the customer plus what the creation did (UserId: no account, left out)
        view = self._without_nulls({**self.view(changed), "CompanyId": company, "CreatedDate": changed["Created"],
                                    "DeletedAccessKeys": [], "CreatedOrUpdatedAccessKeys": changed["AccessKeys"]})
        if self.fault("create-response-without-values"):
            view = {key: value for key, value in view.items() if key not in CUSTOMER_FIELDS}
        return self.render(request, 200, view)

    def delete_customer(self, request: Request, identity: dict[str, Any]) -> Response:
        dto = self.bind(request, "DeleteCustomer")
        company = self._company_for(identity, dto.get("CompanyId"))
        self._require_admin(identity, company, "user-delete-allowed")
        record = self._find(dto.get("Id"))
        if record is None or record["CompanyId"] != company:
            if self.fault("delete-unknown-200"):
                return self.render(request, 200, {"Id": wire.ZERO_GUID})
            raise Refusal(404, "NotFound", "Customer not found")
        if self.fault("delete-keeps-customer") and not record.get("delete_asked"):
            self.customers.replace(record["id"], {**record, "delete_asked": True})  # kept: only a repeat deletes
        else:
            self.customers.delete(record["id"])
        if self.fault("delete-answers-204"):
            return empty_response(204)
        return self.render(request, 200, self.view(record))

    def query_customers(self, request: Request, identity: dict[str, Any]) -> Response:
        dto = self.bind(request, "CustomerQuery")
        company = self._company_for(identity, dto.get("CompanyId"))
        if company != identity["company"]:
            raise Refusal(403, "Forbidden", "You are not allowed to list customers of this company")
        customer_id = dto.get("CustomerId")
        search = None if self.fault("query-search-ignored") else (dto.get("Search") or "").strip().casefold() or None
        leak = self.fault("query-leaks-other-company")

        def visible(row: dict[str, Any]) -> bool:
            if not (leak or row["CompanyId"] == company):
                return False
            if not identity["admin"] and row["Id"] != identity["customer"]:
                return False
            if customer_id is not None and row["Id"] != customer_id:
                return False
            if dto.get("UserId") is not None and row["UserId"] != dto["UserId"]:
                return False
            return search is None or _matches(row, search)

        # The predicate only collects ids (append answers None: nothing is copied); only the page's
        # rows are copied out of the table, so a list costs little with 100,000 customers.
        ids: list[int] = []
        self.customers.select(lambda row: visible(row) and ids.append(row["id"]))  # type: ignore[func-returns-value]
        ids.sort()
        if self.fault("query-customer-id-leaks-neighbour") and customer_id is not None and ids:
            after: list[int] = []
            self.customers.select(lambda row: row["CompanyId"] == company and row["id"] > ids[0]
                                  and after.append(row["id"]))  # type: ignore[func-returns-value]
            ids += sorted(after)[:1]
        skip = max(dto.get("Skip") or 0, 0)
        take = dto.get("Take")
        take = DEFAULT_TAKE if take is None else min(max(take, 0), MAX_TAKE)
        start = 0 if self.fault("query-skip-ignored") else skip
        page = [row for row in (self.customers.get(row_id) for row_id in ids[start:start + take]) if row is not None]
        include = frozenset(part for part in ("CustomFields", "CustomFieldValues", "Comments", "AccessKeys", "InvoiceAddress")
                            if dto.get(f"Include{part}"))
        results = [self.view(row, include) for row in page]
        for row, result in zip(page, results, strict=True):
            if row.get("contact_unlisted"):
                result.pop("Phone", None), result.pop("Email", None)
        if self.fault("query-results-bare-array") and not wire.query_values(request):
            return self.render(request, 200, results)
        total = len(page) if self.fault("query-total-page-size") else len(ids)
        return self.render(request, 200, {"Offset": skip, "Total": total, "Results": results})


def _matches(row: dict[str, Any], term: str) -> bool:
    """Search: every word of the term is part of the name or the email (the third-party client's
    reading: 'free-text search over customer name and email')."""
    haystack = " ".join(str(row.get(name) or "") for name in ("Firstname", "Lastname", "Email")).casefold()
    return all(word in haystack for word in term.split())
