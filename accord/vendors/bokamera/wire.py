"""ServiceStack's wire conventions as BokaMera's metadata pages show them (VENDOR-NOTES §5).

Kept apart from the simulator's business rules because they are ServiceStack's, not BokaMera's:
content negotiation (``Accept``, ``?format=``, a ``.json``/``.jsonl`` suffix), the ``?jsconfig``
text-case switch, case-insensitive binding of request DTOs, and the ``ResponseStatus`` error body.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from accord.simulate import Request, Response

FORMATS = {"json": "application/json", "jsonl": "text/jsonl"}
MIME_FORMATS = {"application/json": "json", "text/json": "json", "text/jsonl": "jsonl", "application/jsonl": "jsonl"}
# Formats a ServiceStack host also speaks, which this simulator does not model: answered 406.
UNMODELLED = {"xml": "application/xml", "csv": "text/csv", "jsv": "text/jsv", "html": "text/html"}
SUFFIX = re.compile(r"\.(json|jsonl|xml|csv|jsv)$")
INT32 = (-(2**31), 2**31 - 1)
ZERO_GUID = "00000000-0000-0000-0000-000000000000"

# Request DTO property types, transcribed from the metadata's DTOs (a trailing "?" = nullable).
DTOS: dict[str, dict[str, Any]] = {
    "AddCustomField": {"Id": "int", "Value": "string"},
    "AddUserAccessKey": {"Id": "guid?", "CompanyId": "guid?", "AccessKeyTypeId": "int", "Value": "string",
                         "CustomerId": "guid?", "Description": "string"},
    "DeleteUserAccessKey": {"Id": "guid"},
    "InvoiceAddress": {name: "string" for name in ("CorporateIdentityNumber", "InvoiceAddress1", "InvoiceAddress2",
                                                   "InvoiceCity", "InvoicePostalCode", "InvoiceCountryCode")},
}
CUSTOMER_BODY = {"Firstname": "string", "Lastname": "string", "Phone": "string", "Email": "string",
                 "CustomFields": ["AddCustomField"], "AccessKeys": ["AddUserAccessKey"],
                 "InvoiceAddress": "InvoiceAddress"}
DTOS["UpdateCustomer"] = {"CompanyId": "guid?", "Id": "guid", **CUSTOMER_BODY,
                          "AccessKeysToDelete": ["DeleteUserAccessKey"], "SubscribedToNewsletter": "bool?"}
DTOS["CreateCustomer"] = {"CompanyId": "guid?", "CustomerId": "guid?", **CUSTOMER_BODY, "SubscribedToNewsletter": "bool"}
DTOS["DeleteCustomer"] = {"CompanyId": "guid?", "Id": "guid"}
DTOS["CustomerQuery"] = {"CompanyId": "guid?", "CustomerId": "guid?", "UserId": "guid?", "Visible": "bool?", "Search": "string",
                         "Skip": "int?", "Take": "int?",
                         "OrderBy": "string", "OrderByDesc": "string",
                         **{flag: "bool?" for flag in ("IncludeCustomFields", "IncludeCustomFieldValues", "IncludeComments",
                                                       "IncludeAccessKeys", "IncludeInvoiceAddress")}}


class BindError(ValueError):
    """A value ServiceStack cannot bind to the DTO property (its SerializationException)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def is_guid(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) in (32, 36, 38)


def blank_guid(value: str | None) -> bool:
    """ServiceStack binds an absent Guid as Guid.Empty: both mean 'not given'."""
    return value is None or value.strip("{}").lower() == ZERO_GUID


def _coerce(kind: Any, value: Any, field: str, from_text: bool) -> Any:
    """The value as the DTO property holds it, or BindError. Query-string values are text."""
    if isinstance(kind, list):
        if not isinstance(value, list):
            raise BindError(field, f"'{field}' must be a list")
        return [_coerce(kind[0], item, f"{field}[{index}]", from_text) for index, item in enumerate(value)]
    nullable = kind.endswith("?")
    kind = kind.rstrip("?")
    if nullable and kind == "guid" and value == "":
        value = None  # ServiceStack binds an empty string to a null Guid?: a "blank" CompanyId
    if value is None:
        if nullable:
            return None
        raise BindError(field, f"'{field}' may not be null")
    if kind in DTOS:
        if not isinstance(value, dict):
            raise BindError(field, f"'{field}' must be an object")
        return bind(kind, value, prefix=f"{field}.")
    if kind == "string":
        if isinstance(value, str):
            return value
    elif kind == "guid":
        if is_guid(value):
            return str(uuid.UUID(value))
    elif kind == "int":
        if from_text and isinstance(value, str) and re.fullmatch(r"-?\d{1,10}", value):
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and INT32[0] <= value <= INT32[1]:
            return value  # a C# int: anything wider fails to bind
    elif kind == "bool":
        if from_text and isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if isinstance(value, bool):
            return value
    raise BindError(field, f"'{field}' is not a valid {kind}")


def bind(dto: str, raw: dict[str, Any], prefix: str = "", from_text: bool = False,
         case_sensitive: bool = False) -> dict[str, Any]:
    """The DTO's properties found in ``raw``, under their declared names.

    ServiceStack binds property names case-insensitively (its Python client sends camelCase) and
    ignores names the DTO does not declare."""
    declared = DTOS[dto]
    by_lower = {name.lower(): name for name in declared}
    bound: dict[str, Any] = {}
    for key, value in raw.items():
        name = key if case_sensitive else by_lower.get(key.lower())
        if name not in declared:
            continue
        bound[name] = _coerce(declared[name], value, prefix + name, from_text)
    return bound


def read_body(request: Request) -> dict[str, Any]:
    """The request body as a JSON object; a ``text/jsonl`` body is one object on its first line."""
    if not request.body.strip():
        return {}
    text = request.body.decode("utf-8")
    content_type = request.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type in ("text/jsonl", "application/jsonl"):
        text = next((line for line in text.splitlines() if line.strip()), "")
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("the body is not a JSON object")
    return value


def query_values(request: Request) -> dict[str, Any]:
    return {key: values[-1] for key, values in request.query.items() if key.lower() not in ("format", "jsconfig")}


def strip_suffix(request: Request) -> None:
    """A ``.json``/``.jsonl`` path suffix is ServiceStack's shorthand for ``?format=``; it wins over both."""
    found = SUFFIX.search(request.path)
    if found:
        request.path = request.path[: found.start()]
        request.query["format"] = [found.group(1)]


def response_format(request: Request) -> str:
    """``?format=`` first, then the ``Accept`` header; JSON when neither names a format."""
    explicit = (request.arg("format") or "").lower()
    if explicit:
        return explicit
    for part in request.headers.get("Accept", "").split(","):
        mime = part.split(";")[0].strip().lower()
        if mime in MIME_FORMATS:
            return MIME_FORMATS[mime]
        for name, unmodelled in UNMODELLED.items():
            if mime == unmodelled:
                return name
    return "json"


def text_case(request: Request) -> str:
    """ServiceStack's ``?jsconfig`` text-case switch; BokaMera's own default is PascalCase."""
    config = (request.arg("jsconfig") or "").replace(" ", "").lower()
    for item in config.split(","):
        key, _, value = item.partition(":")
        if (key in ("textcase", "tc") and value in ("camelcase", "cc")) or (key == "emitcamelcasenames" and value == "true"):
            return "camel"
        if (key in ("textcase", "tc") and value in ("snakecase", "sc")) or (
                key == "emitlowercaseunderscorenames" and value == "true"):
            return "snake"
    return "pascal"


def _key(name: str, case: str) -> str:
    if case == "camel":
        return name[:1].lower() + name[1:]
    if case == "snake":
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return name


def recase(value: Any, case: str) -> Any:
    if case == "pascal":
        return value
    if isinstance(value, dict):  # Meta is a dictionary: its keys are data, not property names
        return {_key(k, case): v if k == "Meta" else recase(v, case) for k, v in value.items()}
    if isinstance(value, list):
        return [recase(v, case) for v in value]
    return value


def serialise(payload: Any, fmt: str, case: str) -> Response:
    """JSON, or JSON Lines: one line per result of a query response (ServiceStack's 'first
    enumerable' rule for QueryBase responses), one line for any other object."""
    payload = recase(payload, case)
    dump = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))  # noqa: E731
    if fmt == "jsonl":
        results_key = _key("Results", case)
        rows = payload[results_key] if isinstance(payload, dict) and isinstance(payload.get(results_key), list) else [payload]
        body = "".join(dump(row) + "\n" for row in rows)
    else:
        body = dump(payload)
    return Response(0, body.encode("utf-8"), {"Content-Type": f"{FORMATS[fmt]}; charset=utf-8"})


def response_status(code: str, message: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"ResponseStatus": {"ErrorCode": code, "Message": message, "Errors": errors or []}}


def field_error(code: str, field: str, message: str, meta: dict[str, str] | None = None) -> dict[str, Any]:
    error = {"ErrorCode": code, "FieldName": field, "Message": message}
    return {**error, "Meta": meta} if meta else error
