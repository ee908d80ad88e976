"""The CycleSoftware simulator answers as the documentation says, and each of its faults is real.

Called in process through ``Simulator.handle`` (no network). Three parts:
- every documented exchange (contracts/cyclesoftware/examples, taken from the docs' own requests
  and responses) gets the documented answer, and both validate against the contract's schemas;
- the behaviours the clauses describe hold on the clean simulator;
- each fault, switched on, breaks exactly the check of the clause it names (one check per clause).
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from accord.contracts import Contract
from accord.simulate import Request
from accord.vendors.cyclesoftware.faults import CATALOGUE
from accord.vendors.cyclesoftware.simulator import (
    CUSTOMER_TYPES,
    PASSWORD,
    UNSCOPED_USERNAME,
    USERNAME,
    CycleSoftwareSimulator,
    local_datetime,
)

CONTRACT = Contract("cyclesoftware")
EXAMPLES = CONTRACT.directory / "examples"
DOC_ISSUES = {issue["id"] for issue in yaml.safe_load((CONTRACT.directory / "doc-issues.yaml").read_text())}
DOC_DAY = 1678190400.0  # 2023-03-07 13:00 in Amsterdam: the day whose midnight is the docs' Daily-Reset 1678230000
NOW = 1767261600.0  # 2026-01-01 11:00 in Amsterdam, for everything else
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
LIMIT_HEADERS = ("X-RateLimit-Minutely-Limit", "X-RateLimit-Minutely-Remaining", "X-RateLimit-Daily-Limit",
                 "X-RateLimit-Daily-Remaining", "X-RateLimit-Daily-Reset")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def basic(user: str = USERNAME, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class Answer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status, self.headers, self.raw = status, headers, body
        self.json = json.loads(body) if body else None


def call(sim: CycleSoftwareSimulator, method: str, path: str, query: str = "", body: Any = None,
         headers: dict[str, str] | None = None, raw: bytes | None = None) -> Answer:
    data = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
    sent = basic() if headers is None else headers
    if data:
        sent = {**sent, "Content-Type": "application/json; charset=utf-8"}
    response = sim.handle(Request.build(method, path, query, sent, data))
    return Answer(response.status, response.headers, response.body)


def example(name: str) -> Any:
    return json.loads((EXAMPLES / name).read_text())["payload"]


def make(faults: tuple[str, ...] = (), seed_records: int = 12, now: float = NOW, **options: Any) -> CycleSoftwareSimulator:
    return CycleSoftwareSimulator(faults, seed_records, clock=Clock(now), **options)


def documented_world(*customers: dict[str, Any], now: float = DOC_DAY, **options: Any) -> CycleSoftwareSimulator:
    """A simulator holding only the documented customers an example presupposes."""
    sim = CycleSoftwareSimulator(clock=Clock(now), **options)
    for customer in customers:
        sim.seed_customer(customer)
    return sim


def assert_documented_headers(answer: Answer) -> None:
    """The docs' headers, except Minutely-Remaining: 59 beside a limit of 360 (doc issue minutely-remaining-59)."""
    assert "minutely-remaining-59" in DOC_ISSUES
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"
    assert answer.headers["X-RateLimit-Minutely-Limit"] == "360"
    assert answer.headers["X-RateLimit-Minutely-Remaining"] == "359"
    assert answer.headers["X-RateLimit-Daily-Limit"] == "15000"
    assert answer.headers["X-RateLimit-Daily-Remaining"] == "14999"
    assert answer.headers["X-RateLimit-Daily-Reset"] == "1678230000"


def assert_valid(schema: str, payload: Any) -> None:
    assert CONTRACT.errors(schema, payload) == []


# --- the documented exchanges -------------------------------------------------------------------------
def test_get_customer_example():
    documented = example("Customer.get-customer-1006.json")
    sim = documented_world(documented)
    answer = call(sim, "GET", "/api/v1/customers/1006.json")
    assert answer.status == 200
    assert_documented_headers(answer)
    expected = copy.deepcopy(documented)  # doc issue: its phone numbers say customer 6
    assert "phone-customer-id-in-get-example" in DOC_ISSUES
    for phone in expected["phone_numbers"]:
        phone["customer_id"] = 1006
    assert answer.json == expected
    assert list(answer.json) == list(documented)  # the documented property order
    assert_valid("Customer.json", documented)
    assert_valid("Customer.json", answer.json)


def test_create_customer_example():
    sim = documented_world(stamp_created=False)  # the example answers datetime_created null
    sim.next_customer_id = 26196  # the id the example's account hands out next
    request = example("CustomerWrite.create-request.json")
    answer = call(sim, "POST", "/api/v1/customers.json", body=request)
    assert answer.status == 200
    assert_documented_headers(answer)
    assert answer.json == example("Customer.create-response.json")
    assert answer.raw.count(b'"discount_percentage":10,') == 1  # a whole decimal printed as the docs print it
    assert call(sim, "GET", "/api/v1/customers/26196.json").json == answer.json
    assert_valid("CustomerWrite.json", request)
    assert_valid("Customer.json", example("Customer.create-response.json"))


def test_update_customer_example():
    before = {**example("Customer.update-response.json"), "name": "Old name", "email": "old@example.com",
              "phone_numbers": [{"phone_number_id": "mob", "phone_number": "06-1", "name": "old"}]}
    sim = documented_world(before)
    request = example("CustomerWrite.update-request.json")
    answer = call(sim, "PUT", "/api/v1/customers/4.json", body=request)
    assert answer.status == 200
    assert_documented_headers(answer)
    assert answer.json == example("Customer.update-response.json")
    assert call(sim, "GET", "/api/v1/customers/4.json").json == answer.json
    assert_valid("CustomerWrite.json", request)
    assert_valid("Customer.json", answer.json)


def test_find_customers_example():
    listed = example("CustomerList.modified-since.json")["customers"]
    other = example("Customer.update-response.json")  # a customer without that number
    sim = documented_world(*listed, other)
    answer = call(sim, "GET", "/api/v1/customers/find.json", "phone_number=0733030050")
    assert answer.status == 200
    assert_documented_headers(answer)
    documented = example("CustomerFindResult.find-by-phone-number.json")
    assert "company_name" not in documented[1] and "find-item-without-company-name" in DOC_ISSUES
    expected = copy.deepcopy(documented)
    expected[1] = {**expected[1], "company_name": ""}
    assert answer.json == expected
    assert_valid("CustomerFindResult.json", documented)
    assert_valid("CustomerFindResult.json", answer.json)


def test_list_customers_example():
    documented = example("CustomerList.modified-since.json")
    sim = documented_world(*documented["customers"])
    answer = call(sim, "GET", "/api/v1/customers/list.json", "modified_since=2019-01-01%2012:00:00")
    assert answer.status == 200
    assert_documented_headers(answer)
    assert answer.json == documented
    assert_valid("CustomerList.json", documented)


def test_error_example_and_enum_shape():
    sim = documented_world()
    answer = call(sim, "GET", "/api/v1/customers/list.json", headers={})
    assert answer.status == 401 and answer.json == example("Error.unauthorized.json")
    assert_valid("Error.json", answer.json)
    enum = call(sim, "GET", "/api/v1/common/enum/customer-types.json")
    assert enum.status == 200
    assert_valid("Enum.json", enum.json)
    assert_valid("Enum.json", example("Enum.sales-order-types.json"))


def test_broken_authorization_header_of_the_put_example_is_refused():
    """doc issue put-example-broken-authorization-header: 'Authorization: Basic' alone has no credentials."""
    sim = documented_world(example("Customer.update-response.json"))
    answer = call(sim, "PUT", "/api/v1/customers/4.json", body={"city": "x"}, headers={"Authorization": "Basic"})
    assert answer.status == 401


def test_every_documented_response_example_validates():
    for path in sorted(EXAMPLES.glob("*.json")):
        document = json.loads(path.read_text())
        assert CONTRACT.errors(document["schema"], document["payload"]) == [], path.name


# --- behaviour of the clean simulator -----------------------------------------------------------------
def test_rate_limit_window_moves_and_day_resets():
    clock = Clock(NOW)
    sim = CycleSoftwareSimulator(clock=clock, rate_limits=(3, 5))
    seen = [call(sim, "GET", "/api/v1/customers/list.json") for _ in range(4)]
    assert [a.status for a in seen] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Minutely-Remaining"] for a in seen] == ["2", "1", "0", "0"]
    assert seen[3].json == {"error": True, "error_message": "Too Many Requests"} and seen[3].headers["Retry-After"] == "60"
    clock.now += 60  # the moving minute has passed
    assert [call(sim, "GET", "/api/v1/customers/list.json").status for _ in range(3)] == [200, 200, 429]  # 5 a day
    reset = int(seen[0].headers["X-RateLimit-Daily-Reset"])
    clock.now = reset
    after = call(sim, "GET", "/api/v1/customers/list.json")
    assert after.status == 200 and after.headers["X-RateLimit-Daily-Remaining"] == "4"
    assert int(after.headers["X-RateLimit-Daily-Reset"]) == reset + 86_400


def test_modified_since_and_datetime_are_account_local_time():
    clock = Clock(NOW)
    sim = CycleSoftwareSimulator(clock=clock, seed_records=3)
    created = call(sim, "POST", "/api/v1/customers.json", body={"name": "new"}).json
    assert created["datetime_created"] == local_datetime(NOW) == "2026-01-01 11:00:00"
    at = call(sim, "GET", "/api/v1/customers/list.json", "modified_since=2026-01-01 11:00:00").json
    after = call(sim, "GET", "/api/v1/customers/list.json", "modified_since=2026-01-01 11:00:01").json
    assert [c["customer_id"] for c in at["customers"]] == [created["customer_id"]]
    assert after["customers"] == [] and after["pagination"] == {"count": 0, "next_offset": None}


def test_seeded_records_are_valid_and_varied():
    sim = make(seed_records=30)
    customers = traverse(sim)
    assert [c["customer_id"] for c in customers] == list(range(1, 31))
    for customer in customers:
        assert_valid("Customer.json", customer)
    assert {c["customer_type_name"] for c in customers} == set(CUSTOMER_TYPES)
    assert any(c["datetime_created"] is None for c in customers) and any(c["datetime_created"] for c in customers)
    assert any(len(c["phone_numbers"]) == 3 for c in customers)


def test_unknown_paths_and_ids_answer_404_with_the_error_body():
    sim = make()
    for path in ("/api/v1/customers/abc.json", "/api/v1/nothing.json", "/api/v1/customers/0.json"):
        answer = call(sim, "GET", path)
        assert answer.status == 404 and answer.json["error"] is True, path


# --- one check per clause; each fault must make its clause's check fail -----------------------------
def traverse(sim: CycleSoftwareSimulator, query: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """Every customer list.json gives, following next_offset (bounded)."""
    found: list[dict[str, Any]] = []
    offset: int | None = 0
    for _ in range(limit):
        page = call(sim, "GET", "/api/v1/customers/list.json", "&".join(filter(None, [query, f"offset={offset}"]))).json
        found += page["customers"]
        offset = page["pagination"].get("next_offset")
        if offset is None:
            return found
    raise AssertionError("next_offset never became null")


def find(sim: CycleSoftwareSimulator, query: str) -> list[dict[str, Any]]:
    answer = call(sim, "GET", "/api/v1/customers/find.json", query)
    assert answer.status == 200
    return answer.json


def ids(customers: list[dict[str, Any]]) -> list[int]:
    return [c["customer_id"] for c in customers]


def is_error(answer: Answer, status: int) -> bool:
    return answer.status == status and isinstance(answer.json, dict) and CONTRACT.errors("Error.json", answer.json) == []


def created(sim: CycleSoftwareSimulator, body: dict[str, Any]) -> Answer:
    return call(sim, "POST", "/api/v1/customers.json", body=body)


EXTRA_PHONE = {"phone_number_id": "714253", "customer_id": 999, "phone_number": "+381 60 3333333", "name": "Extra 1"}


def check_basic_accepted(faults):
    return call(make(faults), "GET", "/api/v1/customers/list.json").status == 200


def check_missing_credentials(faults):
    sim = make(faults)
    return all(is_error(call(sim, m, p, headers={}, body=b), 401) for m, p, b in (
        ("GET", "/api/v1/customers/list.json", None), ("GET", "/api/v1/customers/1.json", None),
        ("PUT", "/api/v1/customers/1.json", {"city": "x"}), ("POST", "/api/v1/customers.json", {"name": "x"}),
        ("GET", "/api/v1/customers/find.json", None)))


def check_wrong_credentials(faults):
    sim = make(faults)
    wrong = call(sim, "GET", "/api/v1/customers/list.json", headers=basic(password="wrong"))
    garbled = call(sim, "GET", "/api/v1/customers/list.json", headers={"Authorization": "Basic !!!"})
    return is_error(wrong, 401) and is_error(garbled, 401)


def check_scope(faults):
    sim = make(faults)
    answer = call(sim, "GET", "/api/v1/customers/list.json", headers=basic(UNSCOPED_USERNAME))
    return answer.status in (401, 403) and "customers" not in (answer.json or {})


def check_datetime_format(faults):
    customers = traverse(make(faults))
    stamped = [c["datetime_created"] for c in customers if c.get("datetime_created") is not None]
    return bool(stamped) and all(isinstance(v, str) and DATETIME.match(v) for v in stamped)


def check_discount(faults):
    sim = make(faults)
    answer = created(sim, {"name": "d", "discount_percentage": 3.456})
    again = call(sim, "GET", f"/api/v1/customers/{answer.json['customer_id']}.json").json
    values = [answer.json["discount_percentage"], again["discount_percentage"],
              *(c["discount_percentage"] for c in traverse(sim))]
    return all(isinstance(v, int | float) and not isinstance(v, bool) and round(v, 2) == v for v in values)


def check_phone_ids(faults):
    sim = make(faults)
    answer = created(sim, {"name": "p", "phone_numbers": [{**EXTRA_PHONE}, {"phone_number_id": "mob", "customer_id": 998}]})
    customers = [answer.json, *traverse(sim)]
    return all(isinstance(p["phone_number_id"], str) and re.match(r"^(tel|mob|[0-9]+)$", p["phone_number_id"])
               and p["customer_id"] == c["customer_id"] for c in customers for p in c["phone_numbers"])


def check_customer_type(faults):
    return all(c["customer_type_name"] in CUSTOMER_TYPES for c in traverse(make(faults)))


def check_company_fields(faults):
    sim = make(faults)
    got = [call(sim, "GET", "/api/v1/customers/1.json").json, created(sim, {"name": "c"}).json,
           call(sim, "PUT", "/api/v1/customers/2.json", body={"city": "c"}).json, *traverse(sim)]
    return all(isinstance(c.get(key), str) for c in got for key in ("company_name", "vat_number", "coc_number"))


def check_get(faults):
    answer = call(make(faults), "GET", "/api/v1/customers/3.json")
    return answer.status == 200 and CONTRACT.errors("Customer.json", answer.json) == [] and answer.json["customer_id"] == 3


def check_get_unknown(faults):
    return is_error(call(make(faults), "GET", "/api/v1/customers/99999.json"), 404)


def check_create(faults):
    sim = make(faults)
    answer = created(sim, {"name": "accord-run", "city": "Oss"})
    return (answer.status == 200 and CONTRACT.errors("Customer.json", answer.json) == []
            and answer.json["customer_id"] == 13 and answer.json["name"] == "accord-run" and answer.json["city"] == "Oss")


def check_read_back(faults):
    sim = make(faults)
    sent = {"name": "r", "email": "r@example.com", "discount_percentage": 5,
            "phone_numbers": [{"phone_number_id": "tel", "phone_number": "0412 123456", "name": "R"}, EXTRA_PHONE]}
    new_id = created(sim, sent).json["customer_id"]
    back = call(sim, "GET", f"/api/v1/customers/{new_id}.json").json
    phones = {p["phone_number_id"]: (p["phone_number"], p["name"]) for p in back["phone_numbers"]}
    return (back["email"] == "r@example.com" and back["discount_percentage"] == 5
            and phones.get("tel") == ("0412 123456", "R") and phones.get("714253") == ("+381 60 3333333", "Extra 1"))


def check_create_readonly(faults):
    sim = make(faults)
    answer = created(sim, {"name": "ro", "customer_id": 5000, "datetime_created": "2001-01-01 00:00:00"})
    return (answer.json["customer_id"] != 5000 and answer.json["datetime_created"] != "2001-01-01 00:00:00"
            and call(sim, "GET", "/api/v1/customers/5000.json").status == 404)


def check_create_invalid(faults):
    sim = make(faults)
    bodies = ({"name": None}, {"city": 12}, {"discount_percentage": "10"}, {"customer_type_name": "Business"},
              {"phone_numbers": [{"phone_number_id": "fax"}]}, ["not", "an", "object"])
    refused = all(is_error(created(sim, body), 400) for body in bodies)
    return refused and len(traverse(sim)) == 12


def check_update(faults):
    answer = call(make(faults), "PUT", "/api/v1/customers/2.json", body={"city": "Uden"})
    return answer.status == 200 and CONTRACT.errors("Customer.json", answer.json) == [] and answer.json["city"] == "Uden"


def check_update_persists(faults):
    sim = make(faults)
    call(sim, "PUT", "/api/v1/customers/2.json", body={"city": "Uden", "phone_numbers": [EXTRA_PHONE]})
    back = call(sim, "GET", "/api/v1/customers/2.json").json
    return back["city"] == "Uden" and "714253" in [p["phone_number_id"] for p in back["phone_numbers"]]


def check_update_readonly(faults):
    sim = make(faults)
    before = call(sim, "GET", "/api/v1/customers/2.json").json
    answer = call(sim, "PUT", "/api/v1/customers/2.json",
                  body={"customer_id": 777, "datetime_created": "2001-01-01 00:00:00", "city": "x"})
    after = call(sim, "GET", "/api/v1/customers/2.json")
    return (answer.json["customer_id"] == 2 and after.status == 200
            and after.json["datetime_created"] == before["datetime_created"]
            and call(sim, "GET", "/api/v1/customers/777.json").status == 404)


def check_update_unknown(faults):
    sim = make(faults)
    answer = call(sim, "PUT", "/api/v1/customers/99999.json", body={"city": "x"})
    return is_error(answer, 404) and call(sim, "GET", "/api/v1/customers/99999.json").status == 404


def check_update_invalid(faults):
    sim = make(faults)
    before = call(sim, "GET", "/api/v1/customers/2.json").json
    refused = all(is_error(call(sim, "PUT", "/api/v1/customers/2.json", body=body), 400)
                  for body in ({"name": None}, {"discount_percentage": "1"}, {"customer_type_name": "klant"}))
    return refused and call(sim, "GET", "/api/v1/customers/2.json").json == before


def check_find_array(faults):
    sim = make(faults)
    answer = call(sim, "GET", "/api/v1/customers/find.json", "query=Existing")
    none = call(sim, "GET", "/api/v1/customers/find.json", "query=nobody-at-all")
    return (answer.status == 200 and CONTRACT.errors("CustomerFindResult.json", answer.json) == []
            and len(answer.json) == 12 and none.json == [])


def check_find_phone(faults):
    sim = make(faults)  # customer 1: mob 06-10000001, tel 073 0000001; customer 5: extra 06 20000005
    return (ids(find(sim, "phone_number=0730000001")) == [1] and ids(find(sim, "phone_number=06 100 000 01")) == [1]
            and ids(find(sim, "phone_number=0620000005")) == [5] and find(sim, "phone_number=0730000002") == [])


def check_find_postal_code(faults):
    sim = make(faults)
    return ids(find(sim, "postal_code=1001AB")) == [1] and ids(find(sim, "postal_code=1001 ab")) == [1]


def check_find_housenumber(faults):
    sim = make(faults)  # house numbers are 2..13
    return ids(find(sim, "housenumber=2")) == [1] and find(sim, "housenumber=1") == []


def check_find_postfix(faults):
    found = find(make(faults), "housenumber_postfix=a")
    return bool(found) and all(c["house_number_postfix"].lower() == "a" for c in found) and len(found) == 4


def check_find_email(faults):
    sim = make(faults)
    return (ids(find(sim, "email=existing00001@example.com")) == [1] and ids(find(sim, "email=EXISTING00001@example.com")) == [1]
            and find(sim, "email=xisting00001@example.com") == [])


def check_find_query(faults):
    sim = make(faults)
    # several words in any order and across fields (customer 1 is Giel ... 'Existing customer 00001'),
    # wildcards at either end, a word nobody has
    return (ids(find(sim, "query=existing 00003")) == [3] and ids(find(sim, "query=Customer 00003 Existing")) == [3]
            and ids(find(sim, "query=giel 00001")) == [1] and ids(find(sim, "query=*00003")) == [3]
            and ids(find(sim, "query=%25xisting 0000%25 3")) == [3]
            and find(sim, "query=existing nobody") == [] and len(find(sim, "query=existing")) == 12)


def check_find_country(faults):
    found = find(make(faults), "country_code=be")
    return len(found) == 6 and all(c["country_code_iso_3166"] == "BE" for c in found)


def check_find_type(faults):
    sim = make(faults)
    types = {item["id"]: item["description"] for item in call(sim, "GET", "/api/v1/common/enum/customer-types.json").json["data"]}
    found = find(sim, "customer_type_id=2")
    return bool(found) and all(c["customer_type_name"] == types[2] for c in found)


def check_find_combined(faults):
    sim = make(faults)
    both = find(sim, "country_code=BE&postal_code=1001AB")
    return ids(both) == [1] and find(sim, "country_code=NL&postal_code=1001AB") == []


def check_list_envelope(faults):
    body = call(make(faults), "GET", "/api/v1/customers/list.json").json
    return body["error"] is False and body["error_message"] is None and isinstance(body["customers"], list) \
        and set(body["pagination"]) == {"count", "next_offset"}


def check_list_count(faults):
    sim = make(faults, seed_records=12, page_size=5)
    pages = [call(sim, "GET", "/api/v1/customers/list.json", f"offset={o}").json for o in (0, 5, 10)]
    return [p["pagination"]["count"] for p in pages] == [len(p["customers"]) for p in pages] == [5, 5, 2]


def check_pagination(faults):
    return ids(traverse(make(faults, seed_records=23, page_size=5))) == list(range(1, 24))


def check_modified_since(faults):
    clock = Clock(NOW)
    sim = CycleSoftwareSimulator(faults, 12, clock=clock, page_size=5)
    clock.now += 3600
    call(sim, "PUT", "/api/v1/customers/3.json", body={"city": "changed"})
    new_id = created(sim, {"name": "new"}).json["customer_id"]
    since = local_datetime(NOW + 1800)
    everyone = traverse(sim, "modified_since=2019-01-01 12:00:00")
    return ids(traverse(sim, f"modified_since={since}")) == [3, new_id] and len(everyone) == 13


def check_limit_headers(faults):
    sim = make(faults)
    answers = [call(sim, "GET", "/api/v1/customers/1.json"), call(sim, "GET", "/api/v1/customers/0.json", headers={})]
    return all(re.match(r"^[0-9]+$", a.headers.get(h, "")) for a in answers for h in LIMIT_HEADERS)


def check_documented_limits(faults):
    headers = call(make(faults), "GET", "/api/v1/customers/1.json").headers
    return headers["X-RateLimit-Minutely-Limit"] == "360" and headers["X-RateLimit-Daily-Limit"] == "15000"


def check_remaining(faults):
    sim = make(faults)
    seen = [call(sim, "GET", "/api/v1/customers/1.json").headers for _ in range(3)]
    minute = [int(h["X-RateLimit-Minutely-Remaining"]) for h in seen]
    day = [int(h["X-RateLimit-Daily-Remaining"]) for h in seen]
    return minute == [359, 358, 357] and day == [14999, 14998, 14997]


def check_daily_reset(faults):
    reset = int(call(make(faults), "GET", "/api/v1/customers/1.json").headers["X-RateLimit-Daily-Reset"])
    return NOW < reset <= NOW + 25 * 3600


def check_limit_enforced(faults):
    sim = make(faults, rate_limits=(2, 100))
    answers = [call(sim, "GET", "/api/v1/customers/1.json") for _ in range(3)]
    return [a.status for a in answers] == [200, 200, 429] and is_error(answers[2], 429)


def check_customer_types(faults):
    answer = call(make(faults), "GET", "/api/v1/common/enum/customer-types.json")
    data = answer.json["data"]
    return sorted(d["description"] for d in data) == sorted(CUSTOMER_TYPES) and all(isinstance(d["id"], int) for d in data)


def check_content_type(faults):
    sim = make(faults)
    answers = [call(sim, "GET", "/api/v1/customers/1.json"), call(sim, "GET", "/api/v1/customers/99.json")]
    return all(a.headers["Content-Type"].startswith("application/json") for a in answers)


def check_documented_status(faults):
    sim = make(faults)
    return [call(sim, "GET", "/api/v1/customers/1.json").status, created(sim, {"name": "s"}).status,
            call(sim, "PUT", "/api/v1/customers/1.json", body={}).status] == [200, 200, 200]


def check_schema_conformance(faults):
    sim = make(faults)
    return (CONTRACT.errors("CustomerList.json", call(sim, "GET", "/api/v1/customers/list.json").json) == []
            and CONTRACT.errors("Customer.json", call(sim, "GET", "/api/v1/customers/1.json").json) == [])


def check_error_body(faults):
    sim = make(faults)
    return is_error(call(sim, "GET", "/api/v1/customers/99.json"), 404) and is_error(
        call(sim, "GET", "/api/v1/customers/1.json", headers={}), 401)


def check_unsupported_method(faults):
    sim = make(faults)
    refused = [call(sim, method, "/api/v1/customers/1.json") for method in ("DELETE", "PATCH")]
    return all(is_error(a, 400) for a in refused) and call(sim, "GET", "/api/v1/customers/1.json").status == 200


def check_invalid_parameter(faults):
    sim = make(faults)
    queries = [("list.json", "offset=abc"), ("list.json", "offset=-1"), ("list.json", "modified_since=2023-01-12T12:30:00"),
               ("list.json", "modified_since=2023-02-30 12:00:00"), ("find.json", "customer_type_id=two"),
               ("list.json", "page=2"), ("find.json", "name=Existing"), ("1.json", "expand=all")]
    return all(is_error(call(sim, "GET", f"/api/v1/customers/{path}", query), 400) for path, query in queries)


def check_malformed_json(faults):
    return is_error(call(make(faults), "POST", "/api/v1/customers.json", raw=b'{"name": '), 400)


def check_no_server_error(faults):
    sim = make(faults)
    queries = ("query=", "email=", "phone_number=", "query=%25", "query=*", "housenumber=%00")
    return all(call(sim, "GET", "/api/v1/customers/find.json", q).status < 500 for q in queries)


CHECKS: dict[str, Callable[[tuple[str, ...]], bool]] = {
    "cyclesoftware.auth.basic-accepted": check_basic_accepted,
    "cyclesoftware.auth.missing-credentials-rejected": check_missing_credentials,
    "cyclesoftware.auth.wrong-credentials-rejected": check_wrong_credentials,
    "cyclesoftware.auth.scope-required": check_scope,
    "cyclesoftware.customers.object.datetime-format": check_datetime_format,
    "cyclesoftware.customers.object.discount-decimal": check_discount,
    "cyclesoftware.customers.object.phone-number-ids": check_phone_ids,
    "cyclesoftware.customers.object.customer-type-enum": check_customer_type,
    "cyclesoftware.customers.object.company-fields": check_company_fields,
    "cyclesoftware.customers.get.returns-customer": check_get,
    "cyclesoftware.customers.get.unknown-id-not-found": check_get_unknown,
    "cyclesoftware.customers.create.returns-customer": check_create,
    "cyclesoftware.customers.create.read-back": check_read_back,
    "cyclesoftware.customers.create.readonly-ignored": check_create_readonly,
    "cyclesoftware.customers.create.invalid-rejected": check_create_invalid,
    "cyclesoftware.customers.update.returns-customer": check_update,
    "cyclesoftware.customers.update.persists": check_update_persists,
    "cyclesoftware.customers.update.readonly-ignored": check_update_readonly,
    "cyclesoftware.customers.update.unknown-id-not-found": check_update_unknown,
    "cyclesoftware.customers.update.invalid-rejected": check_update_invalid,
    "cyclesoftware.customers.find.returns-array": check_find_array,
    "cyclesoftware.customers.find.phone-number": check_find_phone,
    "cyclesoftware.customers.find.postal-code": check_find_postal_code,
    "cyclesoftware.customers.find.housenumber": check_find_housenumber,
    "cyclesoftware.customers.find.housenumber-postfix": check_find_postfix,
    "cyclesoftware.customers.find.email": check_find_email,
    "cyclesoftware.customers.find.query": check_find_query,
    "cyclesoftware.customers.find.country-code": check_find_country,
    "cyclesoftware.customers.find.customer-type": check_find_type,
    "cyclesoftware.customers.find.combined-filters": check_find_combined,
    "cyclesoftware.customers.list.envelope": check_list_envelope,
    "cyclesoftware.customers.list.count": check_list_count,
    "cyclesoftware.customers.list.pagination-complete": check_pagination,
    "cyclesoftware.customers.list.modified-since": check_modified_since,
    "cyclesoftware.ratelimit.headers": check_limit_headers,
    "cyclesoftware.ratelimit.documented-limits": check_documented_limits,
    "cyclesoftware.ratelimit.remaining-decreases": check_remaining,
    "cyclesoftware.ratelimit.daily-reset": check_daily_reset,
    "cyclesoftware.ratelimit.limit-enforced": check_limit_enforced,
    "cyclesoftware.common.customer-types": check_customer_types,
    "cyclesoftware.responses.json-content-type": check_content_type,
    "cyclesoftware.responses.documented-status": check_documented_status,
    "cyclesoftware.responses.schema-conformance": check_schema_conformance,
    "cyclesoftware.responses.error-body": check_error_body,
    "cyclesoftware.responses.unsupported-method-rejected": check_unsupported_method,
    "cyclesoftware.responses.invalid-parameter-rejected": check_invalid_parameter,
    "cyclesoftware.responses.malformed-json-rejected": check_malformed_json,
    "cyclesoftware.responses.no-server-error": check_no_server_error,
}


def test_every_clause_has_a_check_and_a_fault():
    assert set(CHECKS) == set(CONTRACT.clauses)
    assert {fault.clause for fault in CATALOGUE} == set(CONTRACT.clauses)
    assert len(CATALOGUE) >= 12


@pytest.mark.parametrize("clause", sorted(CHECKS))
def test_clean_simulator_keeps_the_clause(clause):
    assert CHECKS[clause](())


@pytest.mark.parametrize("fault", CATALOGUE.names())
def test_fault_breaks_its_clause(fault):
    assert not CHECKS[CATALOGUE[fault].clause]((fault,)), f"{fault} does not break {CATALOGUE[fault].clause}"



def test_doc_issues_are_complete_and_name_real_clauses():
    issues = yaml.safe_load((CONTRACT.directory / "doc-issues.yaml").read_text())
    assert len({issue["id"] for issue in issues}) == len(issues)
    for issue in issues:
        assert set(issue) == {"id", "where", "says", "other_place_says", "resolution"}, issue["id"]
        assert all(isinstance(value, str) and value.strip() for value in issue.values()), issue["id"]
        for named in re.findall(r"cyclesoftware\.[a-z.-]+[a-z]", issue["resolution"]):
            assert named in CONTRACT.clauses or named.endswith("readonly-ignored"), named
