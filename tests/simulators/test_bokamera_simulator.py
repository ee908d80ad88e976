"""The BokaMera simulator answers as BokaMera's documentation and metadata say, and every fault in
its catalogue changes an answer the way its clause describes.

Requests go straight to ``simulator.handle`` (no network), except the ServiceStack Python client
test, which needs a real loopback server.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accord.contracts import Contract
from accord.simulate import Request
from accord.vendors.bokamera.faults import CATALOGUE
from accord.vendors.bokamera.simulator import (
    API_KEY,
    COMPANY_A,
    COMPANY_B,
    CUSTOM_FIELDS,
    IDENTITIES,
    PLAIN_CUSTOMER,
    BokaMeraSimulator,
)

CONTRACT = Contract("bokamera")
EXAMPLES = Path(__file__).resolve().parents[2] / "contracts" / "bokamera" / "examples"
PLAIN_A, PLAIN_B = PLAIN_CUSTOMER[COMPANY_A], PLAIN_CUSTOMER[COMPANY_B]
USER_A, USER_B = IDENTITIES["user-a"]["customer"], IDENTITIES["user-b"]["customer"]
ZERO = "00000000-0000-0000-0000-000000000000"
REFUSED = (401, 403)


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def lines(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode().splitlines() if line.strip()]

    def error_text(self) -> str:
        """Every message of a ResponseStatus, to look for a configured error message."""
        status = (self.json or {}).get("ResponseStatus") or {}
        return " | ".join([status.get("Message", "")] + [e.get("Message", "") for e in status.get("Errors", [])])


def call(sim: BokaMeraSimulator, method: str, path: str, body: Any = None, who: str | None = "admin-a", query: str = "",
         headers: dict[str, str] | None = None, content_type: str = "application/json") -> Reply:
    sent = {"x-api-key": API_KEY, "Accept": "application/json"}
    if who is not None:
        sent["Authorization"] = f"Bearer {IDENTITIES[who]['token']}"
    data = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    if data:
        sent["Content-Type"] = content_type
    sent.update(headers or {})
    sent = {k: v for k, v in sent.items() if v is not None}
    response = sim.handle(Request.build(method, path, query, sent, data))
    return Reply(response.status, response.headers.get("Content-Type", ""), response.body)


# The newest UpdateCustomer metadata marks these four Required (doc-issues.yaml): updates send them
# unless a check is about leaving them out, so one fault about them does not break every other check.
FOUR = {"Firstname": "Alva", "Lastname": "Andersson", "Phone": "+46 70 000 00 02", "Email": "alva@example.com"}


def update(sim: BokaMeraSimulator, customer: str, body: Any, who: str = "admin-a", complete: bool = True) -> Reply:
    if complete and isinstance(body, dict):
        body = {**FOUR, **body}
    return call(sim, "PUT", f"/customers/{customer}", body, who=who)


def read(sim: BokaMeraSimulator, customer: str, who: str = "admin-a") -> dict[str, Any] | None:
    query = f"CustomerId={customer}&IncludeCustomFieldValues=true&IncludeAccessKeys=true&IncludeInvoiceAddress=true"
    page = call(sim, "GET", "/customers", who=who, query=query).json
    return page["Results"][0] if page["Results"] else None


def create(sim: BokaMeraSimulator, **fields: Any) -> Reply:
    return call(sim, "POST", "/customers", {"Firstname": "Accord", "Lastname": "Test", "Phone": "+46 1", **fields})


def example(name: str) -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())["payload"]


def valid(schema: str, instance: Any) -> bool:
    return not CONTRACT.errors(schema, instance)


def shaped(reply: Reply) -> bool:
    """The body is ServiceStack's ErrorResponse, whatever the Content-Type says."""
    try:
        return valid("ErrorResponse.json", json.loads(reply.body))
    except ValueError:
        return False


def errors_shaped(sim: BokaMeraSimulator) -> bool:
    """A 401, a 403 and a 404: every one that is still an error has the ResponseStatus shape."""
    replies = [call(sim, "GET", "/customers", who=None), update(sim, PLAIN_A, {}, who="user-a"),
               update(sim, str(uuid.uuid4()), {})]
    errors = [reply for reply in replies if reply.status >= 400]
    return bool(errors) and all(shaped(reply) for reply in errors)


def is_error(reply: Reply, status: int) -> bool:
    json_body = reply.content_type.startswith("application/json")
    return reply.status == status and json_body and valid("ErrorResponse.json", reply.json)


# --- documented behaviour ---------------------------------------------------------------------------
def test_the_documented_sample_exchange():
    sim = BokaMeraSimulator()
    body = json.dumps(example("UpdateCustomer.documented-sample")).encode()
    reply = call(sim, "PUT", f"/customers/{PLAIN_A}", body, headers={"Accept": "text/jsonl"}, content_type="text/jsonl")
    assert reply.status == 200
    assert reply.content_type.startswith("text/jsonl")
    [customer] = reply.lines
    assert not CONTRACT.errors("CustomerQueryResponse.json", customer)
    assert customer["Id"] == PLAIN_A and customer["Firstname"] == "String"
    assert customer["InvoiceAddress"]["InvoiceCity"] == "String"
    assert [key["Value"] for key in customer["AccessKeys"]] == ["String"]
    assert customer["CustomFieldValues"] == []  # the sample's field id 0 is configured nowhere (doc-issues.yaml)
    assert not CONTRACT.errors("CustomerQueryResponse.json", example("CustomerQueryResponse.documented-sample"))


@pytest.mark.parametrize("route", ["custom", "api", "json-reply"])
def test_every_operation_on_every_route_style(route):
    sim = BokaMeraSimulator()

    def path(dto: str, custom: str) -> str:
        return custom if route == "custom" else f"/api/{dto}" if route == "api" else f"/json/reply/{dto}"

    made = call(sim, "POST", path("CreateCustomer", "/customers"), {"Firstname": "R", "Lastname": route, "Phone": "1"})
    assert made.status == 200 and valid("UpdateCustomerResponse.json", made.json) and made.json["CompanyId"] == COMPANY_A
    new_id = made.json["Id"]
    changed = call(sim, "PUT", path("UpdateCustomer", f"/customers/{new_id}"), {"Id": new_id, "Email": "r@example.com"})
    assert changed.status == 200 and changed.json["Email"] == "r@example.com"
    page = call(sim, "GET", path("CustomerQuery", "/customers"), query=f"CustomerId={new_id}")
    assert page.status == 200 and valid("CustomerQueryPage.json", page.json) and page.json["Total"] == 1
    gone = call(sim, "DELETE", path("DeleteCustomer", f"/customers/{new_id}"), query="" if route == "custom" else f"Id={new_id}")
    assert gone.status == 200 and gone.json["Id"] == new_id and gone.json["Lastname"] == route
    assert read(sim, new_id) is None


def test_errors_have_the_response_status_shape_on_400_401_403_404():
    sim = BokaMeraSimulator()
    assert is_error(update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": ""}]}), 400)
    assert is_error(call(sim, "GET", "/customers", who=None), 401)
    assert is_error(update(sim, PLAIN_A, {"Firstname": "x"}, who="user-a"), 403)
    assert is_error(update(sim, str(uuid.uuid4()), {"Firstname": "x"}), 404)
    assert is_error(call(sim, "GET", "/nowhere"), 404)
    for name in ("ErrorResponse.validation", "ErrorResponse.not-authenticated", "ErrorResponse.invalid-role"):
        assert valid("ErrorResponse.json", example(name))


def test_authorization_rules():
    sim = BokaMeraSimulator()
    assert update(sim, USER_A, {"Firstname": "Own"}, who="user-a").status == 200
    assert update(sim, PLAIN_A, {"Firstname": "Other"}, who="user-a").status in REFUSED
    assert update(sim, USER_B, {"Firstname": "Other company"}, who="user-a").status in REFUSED
    assert update(sim, PLAIN_A, {"Firstname": "Admin"}).status == 200
    assert update(sim, PLAIN_A, {"CompanyId": ZERO, "Firstname": "Zero"}).status == 200
    assert update(sim, PLAIN_A, {"CompanyId": "", "Firstname": "Empty"}).status == 200
    assert update(sim, PLAIN_A, {"CompanyId": COMPANY_A, "Firstname": "Named"}).status == 200
    assert update(sim, USER_A, {"Firstname": "Account holder"}).status in REFUSED
    assert update(sim, PLAIN_B, {"Firstname": "Cross"}).status in (*REFUSED, 404)
    assert update(sim, PLAIN_B, {"CompanyId": COMPANY_B, "Firstname": "Cross"}).status in REFUSED
    assert read(sim, PLAIN_B, who="admin-b")["Firstname"] == "Berit"
    assert update(sim, PLAIN_B, {"Firstname": "Own company"}, who="admin-b").status == 200
    assert create(sim).status == 200 and call(sim, "POST", "/customers", {"Firstname": "u"}, who="user-a").status in REFUSED
    assert call(sim, "DELETE", f"/customers/{PLAIN_A}", who="user-a").status in REFUSED


def test_custom_field_rules_use_the_configured_messages():
    sim = BokaMeraSimulator()
    membership = CUSTOM_FIELDS[COMPANY_A][0]
    blank = update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": " "}]})
    assert blank.status == 400 and membership["MandatoryErrorMessage"] in blank.error_text()
    regex = update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "12a"}]})
    assert regex.status == 400 and membership["RegExErrorMessage"] in regex.error_text()
    assert update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "1" * 11}]}).status == 400
    assert read(sim, PLAIN_A)["CustomFieldValues"] == []
    stored = update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "1" * 10}, {"Id": 2, "Value": "note"}]})
    assert {v["Id"]: v["Value"] for v in stored.json["CustomFieldValues"]} == {1: "1" * 10, 2: "note"}
    assert [f["Id"] for f in stored.json["CustomFields"]] == [1, 2, 3]


def test_access_keys_to_delete_removes_exactly_the_named_keys():
    sim = BokaMeraSimulator()
    keys = [{"AccessKeyTypeId": 1, "Value": f"K{n}", "Description": "door"} for n in (1, 2, 3)]
    added = update(sim, PLAIN_A, {"AccessKeys": keys}).json["AccessKeys"]
    doomed = [key["Id"] for key in added if key["Value"] in ("K1", "K3")]
    left = update(sim, PLAIN_A, {"AccessKeysToDelete": [{"Id": i} for i in doomed]}).json["AccessKeys"]
    assert [key["Value"] for key in left] == ["K2"]
    assert [key["Value"] for key in read(sim, PLAIN_A)["AccessKeys"]] == ["K2"]


def test_content_negotiation():
    sim = BokaMeraSimulator(seed_records=3)
    as_json = call(sim, "GET", "/customers")
    assert as_json.content_type.startswith("application/json") and as_json.json["Total"] == 5
    lines = call(sim, "GET", "/customers", headers={"Accept": "text/jsonl"})
    assert lines.content_type.startswith("text/jsonl") and len(lines.lines) == 5  # one line per result
    overridden = call(sim, "GET", "/customers", query="format=json", headers={"Accept": "text/jsonl"})
    assert overridden.content_type.startswith("application/json")
    assert call(sim, "GET", "/customers", query="format=jsonl").content_type.startswith("text/jsonl")
    assert call(sim, "GET", "/customers.json", headers={"Accept": "text/jsonl"}).json["Total"] == 5
    suffixed = call(sim, "PUT", f"/customers/{PLAIN_A}.jsonl", {"Firstname": "Suffix"})
    assert suffixed.content_type.startswith("text/jsonl") and suffixed.lines[0]["Firstname"] == "Suffix"
    assert call(sim, "GET", "/customers", headers={"Accept": None}).content_type.startswith("application/json")
    assert call(sim, "GET", "/customers", query="format=xml").status == 406  # a ServiceStack format not modelled
    camel = call(sim, "GET", "/customers", query="jsconfig=TextCase:CamelCase").json
    assert set(camel) == {"offset", "total", "results"} and "firstname" in camel["results"][0]


def test_paging_search_and_company_scope():
    sim = BokaMeraSimulator(seed_records=25)
    everyone = call(sim, "GET", "/customers").json
    assert everyone["Total"] == 27 and len(everyone["Results"]) == 27
    ids = [row["Id"] for row in everyone["Results"]]
    pages = [call(sim, "GET", "/customers", query=f"Skip={skip}&Take=10").json for skip in (0, 10, 20)]
    assert [row["Id"] for page in pages for row in page["Results"]] == ids
    assert [page["Offset"] for page in pages] == [0, 10, 20] and {page["Total"] for page in pages} == {27}
    assert not {PLAIN_B, USER_B} & set(ids)
    found = call(sim, "GET", "/customers", query="Search=alva%20ANDERSSON").json
    assert [row["Id"] for row in found["Results"]] == [PLAIN_A]
    assert call(sim, "GET", "/customers", query="Search=zz-nobody").json["Total"] == 0
    assert call(sim, "GET", "/customers", query=f"CustomerId={uuid.uuid4()}").json["Total"] == 0
    assert "CustomFields" not in everyone["Results"][0]  # the Include* flags add the parts
    assert "CustomFields" in call(sim, "GET", "/customers", query="IncludeCustomFields=true").json["Results"][0]
    assert [row["Id"] for row in call(sim, "GET", "/customers", who="user-a").json["Results"]] == [USER_A]
    linked = call(sim, "GET", "/customers", query="UserId=d0000000-0000-4000-8000-0000000000a1").json
    assert [row["Id"] for row in linked["Results"]] == [USER_A]
    assert call(sim, "GET", "/customers", query="Search=%2B46").json["Total"] == 0  # name and email only, not phone


def test_timestamps_and_stored_values():
    sim = BokaMeraSimulator()
    before = read(sim, PLAIN_A)
    address = {"InvoiceAddress1": "Storgatan 1", "InvoiceCity": "Lund", "InvoicePostalCode": "22100", "InvoiceCountryCode": "SE"}
    after = update(sim, PLAIN_A, {"SubscribedToNewsletter": True, "InvoiceAddress": address}).json
    assert after["Updated"] > before["Updated"] and after["Created"] == before["Created"]
    assert after["SubscribedToNewsletter"] is True and after["InvoiceAddress"] == address
    assert read(sim, PLAIN_A)["InvoiceAddress"] == address


def test_request_binding():
    sim = BokaMeraSimulator()
    assert update(sim, PLAIN_A, {"firstname": "camel", "invoiceAddress": {"invoiceCity": "Malmö"}}).json["InvoiceAddress"] == {
        "InvoiceCity": "Malmö"}
    assert update(sim, PLAIN_A, {"Firstname": "known", "Nickname": "unknown"}).status == 200
    for bad in ({"Firstname": 5}, {"Firstname": None}, {"CompanyId": "x"}, {"CustomFields": [{"Id": "one"}]},
                {"SubscribedToNewsletter": "yes"}):
        reply = update(sim, PLAIN_A, bad)
        assert is_error(reply, 400) and reply.json["ResponseStatus"]["Errors"][0]["FieldName"], bad
    assert is_error(update(sim, PLAIN_A, b"{not json"), 400)  # type: ignore[arg-type]
    assert is_error(call(sim, "PUT", "/customers/not-a-guid", {"Firstname": "x"}), 400)
    assert read(sim, PLAIN_A)["Firstname"] == "known"


def test_create_rules():
    sim = BokaMeraSimulator()
    for missing in ("Firstname", "Lastname", "Phone"):
        body = {"Firstname": "a", "Lastname": "b", "Phone": "c"}
        del body[missing]
        reply = call(sim, "POST", "/customers", body)
        assert is_error(reply, 400) and reply.json["ResponseStatus"]["Errors"][0]["FieldName"] == missing
    assert call(sim, "GET", "/customers").json["Total"] == 2
    key = {"AccessKeyTypeId": 2, "Value": "K", "Description": "tag"}
    made = create(sim, Email="e@example.com", AccessKeys=[key]).json
    assert made["Id"] != ZERO and read(sim, made["Id"])["Email"] == "e@example.com"
    assert valid("UpdateCustomerResponse.json", made) and made["CreatedDate"] == made["Created"]
    assert [k["Value"] for k in made["CreatedOrUpdatedAccessKeys"]] == ["K"] and made["DeletedAccessKeys"] == []


def test_doc_issues_are_well_formed():
    import yaml

    issues = yaml.safe_load((CONTRACT.directory / "doc-issues.yaml").read_text())
    assert issues and all(set(issue) == {"id", "where", "says", "other_place_says", "resolution"} for issue in issues)
    assert len({issue["id"] for issue in issues}) == len(issues)


def test_seed_records_are_only_read():
    sim = BokaMeraSimulator(seed_records=5)
    before = sim.customers.snapshot()
    call(sim, "GET", "/customers", query="Skip=2&Take=2")
    assert sim.customers.snapshot() == before
    assert len(before) == 9


CAMEL_FOUR = {key[0].lower() + key[1:]: value for key, value in {**FOUR, "Firstname": "camel"}.items()}


# --- every fault changes an answer the way its clause says ------------------------------------------------
def _keys_after_delete(sim: BokaMeraSimulator) -> list[str]:
    keys = [{"AccessKeyTypeId": 1, "Value": v, "Description": "d"} for v in ("K1", "K2")]
    added = update(sim, PLAIN_A, {"AccessKeys": keys}).json["AccessKeys"]
    first = next(key["Id"] for key in added if key["Value"] == "K1")
    return [key["Value"] for key in update(sim, PLAIN_A, {"AccessKeysToDelete": [{"Id": first}]}).json["AccessKeys"]]


def _timestamps(sim: BokaMeraSimulator) -> tuple[dict[str, Any], dict[str, Any]]:
    before = read(sim, PLAIN_A)
    return before, update(sim, PLAIN_A, {"Firstname": "Later"}).json


def _created_then_read(sim: BokaMeraSimulator) -> dict[str, Any] | None:
    made = create(sim).json
    return read(sim, made["Id"]) if made["Id"] != ZERO else None


def _delete_then_read(sim: BokaMeraSimulator) -> tuple[str, Reply, Any]:
    made = create(sim).json
    return made["Id"], call(sim, "DELETE", f"/customers/{made['Id']}"), read(sim, made["Id"])


def _deleted_answers_it(sim: BokaMeraSimulator) -> bool:
    customer, reply, _ = _delete_then_read(sim)
    return reply.status == 200 and bool(reply.body) and reply.json.get("Id") == customer


def _pages(sim: BokaMeraSimulator) -> tuple[list[str], Any]:
    ids = [row["Id"] for row in call(sim, "GET", "/customers", query="Take=1000").json["Results"]]
    return ids, call(sim, "GET", "/customers", query="Skip=1&Take=1").json


def _added_keys(sim: BokaMeraSimulator) -> list[tuple[Any, ...]]:
    sent = [{"AccessKeyTypeId": 1, "Value": "K", "Description": "d"}]
    stored = update(sim, PLAIN_A, {"AccessKeys": sent}).json["AccessKeys"]
    return [(key["AccessKeyTypeId"], key["Value"], key.get("Description")) for key in stored]


def _created_echo(sim: BokaMeraSimulator) -> tuple[Any, ...]:
    made = create(sim, Email="e@example.com").json
    return (made["Id"] != ZERO, *(made.get(name) for name in ("Firstname", "Lastname", "Phone", "Email")))


def _single_json(reply: Reply) -> bool:
    """One JSON document (not JSON Lines), whatever the Content-Type label says."""
    try:
        return not reply.content_type.startswith("text/jsonl") and isinstance(json.loads(reply.body), dict)
    except ValueError:
        return False


def _validation_errors_name_fields(sim: BokaMeraSimulator) -> bool:
    """Three invalid bodies: every one still answered 400 names the field in ResponseStatus.Errors."""
    replies = [update(sim, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": ""}]}), update(sim, PLAIN_A, {"Firstname": 5}),
               call(sim, "POST", "/customers", {"Firstname": "no", "Lastname": "phone"})]
    refused = [reply for reply in replies if reply.status == 400]
    return bool(refused) and all(error.get("FieldName") for reply in refused
                                 for error in reply.json["ResponseStatus"]["Errors"] or [{}])


def _second_page_is_second(ids: list[str], page: dict[str, Any]) -> bool:
    return [row["Id"] for row in page["Results"]] == ids[1:2]


MEMBERSHIP = CUSTOM_FIELDS[COMPANY_A][0]
# Each probe answers True when the simulator conforms to the fault's clause on that request.
PROBES = {
    "missing-api-key-accepted": lambda s: call(s, "GET", "/customers", headers={"x-api-key": None}).status == 401,
    "missing-bearer-accepted": lambda s: call(s, "GET", "/customers", who=None).status == 401,
    "wrong-token-accepted": lambda s: call(s, "GET", "/customers", headers={"Authorization": "Bearer nope"}).status == 401,
    "user-updates-others": lambda s: update(s, PLAIN_A, {"Firstname": "x"}, who="user-a").status in REFUSED,
    "admin-named-company-refused": lambda s: update(s, PLAIN_A, {"CompanyId": COMPANY_A, "Firstname": "x"}).status == 200,
    "admin-other-company-allowed": lambda s: update(s, PLAIN_B, {"CompanyId": COMPANY_B, "Firstname": "x"}).status in REFUSED
    and update(s, PLAIN_B, {"Firstname": "x"}).status in (*REFUSED, 404),
    "admin-account-customer-allowed": lambda s: update(s, USER_A, {"Firstname": "x"}).status in REFUSED,
    "blank-company-not-defaulted": lambda s: update(s, PLAIN_A, {"CompanyId": "", "Firstname": "y"}).status == 200,
    "user-create-allowed": lambda s: call(s, "POST", "/customers", {"Firstname": "a", "Lastname": "b", "Phone": "c"},
                                          who="user-a").status in REFUSED,
    "user-delete-allowed": lambda s: call(s, "DELETE", f"/customers/{PLAIN_A}", who="user-a").status in REFUSED,
    "update-response-without-id": lambda s: (r := update(s, PLAIN_A, {"Firstname": "x"})).status == 200
    and r.json.get("Id") == PLAIN_A,
    "update-not-persisted": lambda s: update(s, PLAIN_A, {"Firstname": "Kept"}).status == 200
    and read(s, PLAIN_A)["Firstname"] == "Kept",
    "invoice-address-dropped": lambda s: update(s, PLAIN_A, {"InvoiceAddress": {"InvoiceCity": "Lund"}}).json.get(
        "InvoiceAddress") == {"InvoiceCity": "Lund"},
    "newsletter-ignored": lambda s: update(s, PLAIN_A, {"SubscribedToNewsletter": True}).json["SubscribedToNewsletter"] is True,
    "updated-not-changing": lambda s: (t := _timestamps(s))[1]["Updated"] > t[0]["Updated"],
    "created-reset": lambda s: (t := _timestamps(s))[1]["Created"] == t[0]["Created"],
    "unknown-id-500": lambda s: update(s, str(uuid.uuid4()), {"Firstname": "x"}).status == 404,
    "missing-fields-500": lambda s: update(s, PLAIN_A, {"SubscribedToNewsletter": False}, complete=False).status in (200, 400),
    "jsonl-request-rejected": lambda s: call(s, "PUT", f"/customers/{PLAIN_A}", example("UpdateCustomer.documented-sample"),
                                             headers={"Accept": "text/jsonl"}, content_type="text/jsonl").status == 200,
    "custom-field-values-swapped": lambda s: [(v["Id"], v["Value"]) for v in update(
        s, PLAIN_A, {"CustomFields": [{"Id": 2, "Value": "note"}]}).json["CustomFieldValues"]] == [(2, "note")],
    "mandatory-blank-accepted": lambda s: update(s, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": ""}]}).status == 400,
    "mandatory-generic-message": lambda s: MEMBERSHIP["MandatoryErrorMessage"] in update(
        s, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": ""}]}).error_text(),
    "max-length-ignored": lambda s: update(s, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "1" * 11}]}).status == 400,
    "regex-ignored": lambda s: update(s, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "12a"}]}).status == 400,
    "regex-generic-message": lambda s: MEMBERSHIP["RegExErrorMessage"] in update(
        s, PLAIN_A, {"CustomFields": [{"Id": 1, "Value": "12a"}]}).error_text(),
    "custom-field-config-omitted": lambda s: [f["Id"] for f in update(s, PLAIN_A, {"Firstname": "x"}).json.get(
        "CustomFields", [])] == [1, 2, 3],
    "access-keys-lose-description": lambda s: _added_keys(s) == [(1, "K", "d")],
    "access-keys-delete-ignored": lambda s: _keys_after_delete(s) == ["K2"],
    "access-keys-delete-all": lambda s: _keys_after_delete(s) == ["K2"],
    "jsonl-ignored": lambda s: call(s, "GET", "/customers",
                                    headers={"Accept": "text/jsonl"}).content_type.startswith("text/jsonl"),
    "json-as-text-plain": lambda s: call(s, "GET", "/customers").content_type.startswith("application/json"),
    "format-query-ignored": lambda s: _single_json(call(s, "GET", "/customers", query="format=json&Take=1000",
                                                        headers={"Accept": "text/jsonl"})),
    "format-suffix-404": lambda s: call(s, "GET", "/customers.json").status == 200,
    "api-route-missing": lambda s: call(s, "PUT", "/api/UpdateCustomer", {**FOUR, "Id": PLAIN_A}).status == 200,
    "json-reply-route-missing": lambda s: call(s, "PUT", "/json/reply/UpdateCustomer", {**FOUR, "Id": PLAIN_A}).status == 200,
    "jsconfig-ignored": lambda s: "results" in call(s, "GET", "/customers", query="Take=1000&jsconfig=TextCase:CamelCase").json,
    "create-response-without-values": lambda s: _created_echo(s) == (True, "Accord", "Test", "+46 1", "e@example.com"),
    "create-missing-required-accepted": lambda s: call(s, "POST", "/customers", {"Firstname": "only"}).status == 400,
    "create-listed-without-contact": lambda s: (_created_then_read(s) or {}).get("Phone") is not None,
    "delete-answers-204": _deleted_answers_it,
    "delete-keeps-customer": lambda s: _delete_then_read(s)[2] is None,
    "delete-unknown-200": lambda s: call(s, "DELETE", f"/customers/{uuid.uuid4()}").status == 404,
    "query-results-bare-array": lambda s: isinstance(page := call(s, "GET", "/customers").json, dict)
    and isinstance(page.get("Results"), list) and isinstance(page.get("Total"), int),
    "query-skip-ignored": lambda s: _second_page_is_second(*_pages(s)),
    "query-total-page-size": lambda s: (p := _pages(s))[1]["Total"] == len(p[0]),
    "query-customer-id-leaks-neighbour": lambda s: [row["Id"] for row in call(
        s, "GET", "/customers", query=f"CustomerId={PLAIN_A}").json["Results"]] == [PLAIN_A],
    "query-search-ignored": lambda s: call(s, "GET", "/customers", query="Search=andersson").json["Total"] == 1,
    "query-leaks-other-company": lambda s: PLAIN_B not in {
        r["Id"] for r in call(s, "GET", "/customers", query="Take=1000").json["Results"]},
    "error-without-response-status": errors_shaped,
    "errors-as-html": errors_shaped,
    "validation-errors-empty": lambda s: _validation_errors_name_fields(s),
    "invalid-type-500": lambda s: update(s, PLAIN_A, {"Firstname": 5}).status == 400,
    "malformed-json-500": lambda s: update(s, PLAIN_A, b"{").status == 400,  # type: ignore[arg-type]
    "camelcase-body-ignored": lambda s: update(s, PLAIN_A, CAMEL_FOUR, complete=False).json["Firstname"] == "camel",
    "unknown-property-rejected": lambda s: update(s, PLAIN_A, {"Firstname": "x", "Nickname": "y"}).status == 200,
    "width-as-string": lambda s: valid("CustomerQueryResponse.json", update(s, PLAIN_A, {"Firstname": "x"}).json),
    "null-for-absent": lambda s: valid("CustomerQueryResponse.json", update(s, PLAIN_A, {"Firstname": "x"}).json),
}


def test_every_fault_has_a_probe_and_the_catalogue_is_large_enough():
    assert set(PROBES) == set(CATALOGUE.names())
    assert len(CATALOGUE) >= 10
    assert {fault.clause for fault in CATALOGUE} == set(CONTRACT.clauses)


@pytest.mark.parametrize("fault", CATALOGUE.names())
def test_fault_changes_the_answer(fault):
    probe = PROBES[fault]
    assert probe(BokaMeraSimulator(seed_records=2)), f"the clean simulator fails the probe for {fault}"
    assert not probe(BokaMeraSimulator(faults=(fault,), seed_records=2)), f"{fault} ({CATALOGUE[fault].clause}) changes nothing"


# Where one fault must break a second clause's probe too: a change that is not stored cannot be deleted later.
OVERLAPS = {("update-not-persisted", "access-keys-delete-ignored"), ("update-not-persisted", "access-keys-delete-all")}


@pytest.mark.parametrize("fault", CATALOGUE.names())
def test_fault_breaks_no_other_clause(fault):
    """Each fault breaks exactly one clause: every probe of another clause still passes."""
    others = [name for name, probe in PROBES.items()
              if CATALOGUE[name].clause != CATALOGUE[fault].clause and (fault, name) not in OVERLAPS
              and not probe(BokaMeraSimulator(faults=(fault,), seed_records=2))]
    assert not others, f"{fault} also breaks the probes of {others}"


# --- ServiceStack's own Python client, with DTOs written from BokaMera's metadata ----------------------------
def test_servicestack_python_client_on_both_route_styles():
    servicestack = pytest.importorskip(
        "servicestack", reason="ServiceStack's Python client is not installed (pip install -e '.[dev]' brings it)")
    from accord.simulate.server import SimulatorServer
    from accord.vendors.bokamera import dtos

    def camel_case(info: Any) -> None:  # the generated DTOs read camelCase; BokaMera's default is PascalCase
        info.url += ("&" if "?" in info.url else "?") + "jsconfig=TextCase:CamelCase"

    with SimulatorServer(BokaMeraSimulator()) as server:
        client = servicestack.JsonServiceClient(server.base_url)
        client.headers["x-api-key"] = API_KEY
        client.set_bearer_token(IDENTITIES["admin-a"]["token"])
        client.request_filter = camel_case
        # /api/{DtoName}: the client's own route
        made = client.post(dtos.CreateCustomer(firstname="Py", lastname="Client", phone="1",
                                               invoice_address=dtos.InvoiceAddress(invoice_city="Lund")))
        assert made.id and made.invoice_address.invoice_city == "Lund" and len(made.custom_fields) == 3
        assert isinstance(made, dtos.UpdateCustomerResponse) and made.company_id == COMPANY_A
        notes = [dtos.AddCustomField(id=2, value="hi")]
        changed = client.put(dtos.UpdateCustomer(id=made.id, firstname="Changed", custom_fields=notes))
        assert changed.firstname == "Changed" and [(v.id, v.value) for v in changed.custom_field_values] == [(2, "hi")]
        page = client.get(dtos.CustomerQuery(customer_id=made.id, take=5))
        assert page.total == 1 and page.results[0].firstname == "Changed"
        with pytest.raises(servicestack.WebServiceException) as refused:
            client.put(dtos.UpdateCustomer(id=made.id, custom_fields=[dtos.AddCustomField(id=1, value="12a")]))
        assert refused.value.status_code == 400
        assert refused.value.response_status.message == CUSTOM_FIELDS[COMPANY_A][0]["RegExErrorMessage"]
        assert refused.value.response_status.errors[0].field_name == "CustomFields"
        # the custom routes the metadata declares
        renamed = client.put_url(f"/customers/{made.id}", dtos.UpdateCustomer(id=made.id, lastname="Custom route"))
        assert isinstance(renamed, dtos.CustomerQueryResponse) and renamed.lastname == "Custom route"
        listed = client.get_url("/customers", servicestack.QueryResponse[dtos.CustomerQueryResponse], args={"Take": 50})
        assert made.id in {customer.id for customer in listed.results}
        gone = client.delete_url(f"/customers/{made.id}", dtos.CustomerQueryResponse)
        assert gone.id == made.id and gone.lastname == "Custom route"
        with pytest.raises(servicestack.WebServiceException) as missing:
            client.delete(dtos.DeleteCustomer(id=made.id))
        assert missing.value.status_code == 404 and missing.value.response_status.error_code == "NotFound"
