"""The KORONA simulator does what contracts/korona says, in both documentation versions, and every
fault of its catalogue really breaks the clause it names.

One probe per clause: a small check of the clause against ``simulator.handle`` (no network). Each
probe holds on a clean simulator of every version the clause applies to, and fails on a simulator
with any fault that names the clause: the proof that the fault is real, ready for the suite.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from packaging.specifiers import SpecifierSet

from accord.contracts import Contract
from accord.simulate import Request
from accord.vendors.korona.faults import CATALOGUE
from accord.vendors.korona.simulator import (
    ACCOUNT_ID,
    BASE_PATH,
    OTHER_ACCOUNT_ID,
    TEST_PASSWORD,
    TEST_USER,
    KoronaSimulator,
)

CONTRACT = Contract("korona")
VERSIONS = ("3.0", "3.2")
UNKNOWN = "00000000-0000-4000-8000-000000000000"


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


class Answer:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.status, self.body, self.headers = status, body, headers

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


class Api:
    """The six documented operations (and 3.2's batch delete) over ``simulator.handle``."""

    def __init__(self, simulator: KoronaSimulator, account: str = ACCOUNT_ID, auth: dict[str, str] | None = None) -> None:
        self.sim, self.account = simulator, account
        self.auth = basic(TEST_USER, TEST_PASSWORD) if auth is None else auth

    def other(self) -> Api:
        return Api(self.sim, OTHER_ACCOUNT_ID, self.auth)

    def call(self, method: str, suffix: str = "", query: str = "", body: Any = None, raw: bytes | None = None) -> Answer:
        payload = raw if raw is not None else (b"" if body is None else json.dumps(body).encode())
        headers = {**self.auth, "Content-Type": "application/json", "Accept": "application/json"}
        response = self.sim.handle(Request.build(method, f"/accounts/{self.account}/customers{suffix}", query, headers, payload))
        return Answer(response.status, response.body, response.headers)

    def list(self, query: str = "") -> Answer:
        return self.call("GET", query=query)

    def everything(self, query: str = "") -> list[dict[str, Any]]:
        answer = self.list("size=1000" + (f"&{query}" if query else ""))
        return [] if answer.status == 204 else answer.json["results"]

    def add(self, entries: list[Any], query: str = "") -> Answer:
        return self.call("POST", query=query, body=entries)

    def create(self, **fields: Any) -> dict[str, Any]:
        result = self.add([fields]).json[0]
        assert result["status"] == "OK", result
        return result

    def get(self, ref: str) -> Answer:
        return self.call("GET", f"/{ref}")

    def patch(self, ref: str, body: Any) -> Answer:
        return self.call("PATCH", f"/{ref}", body=body)

    def patch_batch(self, entries: list[Any]) -> Answer:
        return self.call("PATCH", body=entries)

    def delete(self, ref: str) -> Answer:
        return self.call("DELETE", f"/{ref}")


def new_number() -> str:
    return "acc-" + uuid.uuid4().hex[:10]


def valid(schema: str, instance: Any) -> bool:
    return not CONTRACT.errors(schema, instance)


def versions_of(clause_id: str) -> tuple[str, ...]:
    spec = CONTRACT_VERSIONS.get(clause_id)
    return tuple(v for v in VERSIONS if spec is None or v in SpecifierSet(spec))


def _clause_versions() -> dict[str, str]:
    import yaml

    raw = yaml.safe_load((CONTRACT.directory / "clauses.yaml").read_text())
    return {entry["id"]: entry["versions"] for entry in raw if entry.get("versions")}


CONTRACT_VERSIONS = _clause_versions()
PROBES: dict[str, Callable[[Api], bool]] = {}


def probe(clause_id: str) -> Callable[[Callable[[Api], bool]], Callable[[Api], bool]]:
    def register(check: Callable[[Api], bool]) -> Callable[[Api], bool]:
        assert clause_id in CONTRACT.clauses, clause_id
        PROBES[clause_id] = check
        return check

    return register


def seeded(api: Api, count: int) -> list[str]:
    return [api.create(lastname=f"seed {index}")["id"] for index in range(count)]


# --- auth -------------------------------------------------------------------------------------------
@probe("korona.auth.basic-accepted")
def _(api: Api) -> bool:
    return api.list().status in (200, 204)  # 204: an empty list, in 3.2


@probe("korona.auth.missing-credentials-rejected")
def _(api: Api) -> bool:
    created = api.create(lastname="secret")
    anonymous = Api(api.sim, auth={})
    answers = [anonymous.list(), anonymous.get(created["id"]), anonymous.add([{}]), anonymous.patch(created["id"], {}),
               anonymous.patch_batch([{"number": created["number"]}]), anonymous.delete(created["id"])]
    return all(a.status == 401 and b"secret" not in a.body for a in answers) and api.get(created["id"]).status == 200


@probe("korona.auth.wrong-credentials-rejected")
def _(api: Api) -> bool:
    api.create(lastname="secret")
    answer = Api(api.sim, auth=basic(TEST_USER, "wrong")).list()
    return answer.status == 401 and b"secret" not in answer.body


# --- tenant isolation -------------------------------------------------------------------------------
@probe("korona.isolation.list-scoped")
def _(api: Api) -> bool:
    created = api.create(lastname="tenant a")
    return created["id"] not in {c["id"] for c in api.other().everything()}


@probe("korona.isolation.read-other-account-refused")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="tenant a")
    by_number = api.other().get(created["number"]).status  # 3.2 refuses a number in the path with 400
    return api.other().get(created["id"]).status == 404 and by_number in ((400, 404) if api.sim.v32 else (404,))


@probe("korona.isolation.update-other-account-refused")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="tenant a")
    single = api.other().patch(created["id"], {"lastname": "changed"})
    batch = api.other().patch_batch([{"number": created["number"], "lastname": "changed"}])
    return single.status == 404 and batch.json[0]["status"] == "ERROR" and api.get(created["id"]).json["lastname"] == "tenant a"


@probe("korona.isolation.delete-other-account-refused")
def _(api: Api) -> bool:
    created = api.create(lastname="tenant a")
    return api.other().delete(created["id"]).status == 404 and created["id"] in {c["id"] for c in api.everything()}


# --- list and paging --------------------------------------------------------------------------------
@probe("korona.customers.list.returns-result-list")
def _(api: Api) -> bool:
    seeded(api, 2)
    body = api.list().json
    keys = {"currentPage", "links", "pagesTotal", "results", "resultsOfPage", "resultsTotal"}
    return isinstance(body, dict) and keys <= set(body) and len(body["results"]) == 2 and all("id" in c for c in body["results"])


@probe("korona.customers.list.empty-result-list")
def _(api: Api) -> bool:
    answer = api.list("revision=999999999")
    return answer.status == 200 and answer.json["results"] == [] and answer.json["resultsTotal"] == 0


@probe("korona.customers.list.empty-204")
def _(api: Api) -> bool:
    answer = api.list("revision=999999999")
    return answer.status == 204 and answer.body == b""


@probe("korona.customers.list.number-filter")
def _(api: Api) -> bool:
    wanted = api.create(number=new_number(), lastname="wanted")
    api.create(number=new_number(), lastname="other")
    found = api.list(f"number={wanted['number']}").json["results"]
    return [c["id"] for c in found] == [wanted["id"]] and api.list("number=no-such-number").status == 204


@probe("korona.customers.list.page-size")
def _(api: Api) -> bool:
    seeded(api, 7)
    body = api.list("size=3").json
    return len(body["results"]) == 3 and body["resultsOfPage"] == 3


@probe("korona.customers.list.paging-walk")
def _(api: Api) -> bool:
    expected = seeded(api, 7)
    first = api.list("size=3&page=1").json
    seen = [c["id"] for page in range(1, first["pagesTotal"] + 1) for c in api.list(f"size=3&page={page}").json["results"]]
    return sorted(seen) == sorted(expected) and first["resultsTotal"] == 7


@probe("korona.customers.list.page-metadata")
def _(api: Api) -> bool:
    seeded(api, 7)
    body = api.list("size=3&page=2").json
    return body["currentPage"] == 2 and body["pagesTotal"] == 3 and api.list("size=3").json["currentPage"] == 1


@probe("korona.customers.list.links")
def _(api: Api) -> bool:
    expected = seeded(api, 7)
    seen, body, pages = [], api.list("size=3").json, 0
    if "previous" in body["links"] or parse_qs(urlsplit(body["links"]["self"]).query).get("page") != ["1"]:
        return False
    while pages < 5:
        pages += 1
        seen += [c["id"] for c in body["results"]]
        if "next" not in body["links"]:
            break
        link = urlsplit(body["links"]["next"])
        body = api.call("GET", query=link.query).json
        if "previous" not in body["links"]:
            return False
    return pages == 3 and sorted(seen) == sorted(expected)


@probe("korona.customers.list.sort")
def _(api: Api) -> bool:
    for last, first in (("Meyer", "Bea"), ("Albers", "Carl"), ("Meyer", "Anna"), ("Zorn", "Dora")):
        api.create(lastname=last, firstname=first)
    by_last = [c["lastname"] for c in api.list("sort=lastname").json["results"]]
    both = [(c["lastname"], c["firstname"]) for c in api.list("sort=lastname,firstname").json["results"]]
    return by_last == sorted(by_last) and both == sorted(both)


@probe("korona.customers.list.sort-up-to-five")
def _(api: Api) -> bool:
    api.create(lastname="B", firstname="x")
    api.create(lastname="A", firstname="y")
    answer = api.list("sort=lastname,firstname,company,email,phone")
    return answer.status == 200 and [c["lastname"] for c in answer.json["results"]] == ["A", "B"]


@probe("korona.customers.list.sort-over-five-rejected")
def _(api: Api) -> bool:
    return api.list("sort=lastname,firstname,company,email,phone,number").status == 400


@probe("korona.customers.list.invalid-query-rejected")
def _(api: Api) -> bool:
    queries = ("page=0", "size=0", "page=x", "size=1.5", "page=2147483648", "revision=x", "includeDeleted=maybe",
               "sort=nosuchattribute")
    return all(api.list(query).status == 400 for query in queries)


# --- sync -------------------------------------------------------------------------------------------
@probe("korona.customers.list.revision-filter")
def _(api: Api) -> bool:
    seeded(api, 5)
    revisions = sorted(c["revision"] for c in api.everything())
    cut = revisions[2]
    return sorted(c["revision"] for c in api.everything(f"revision={cut}")) == revisions[3:]


@probe("korona.customers.update.raises-revision")
def _(api: Api) -> bool:
    first, second, _ = (api.create(number=new_number(), lastname=f"c{i}") for i in range(3))
    before = max(c["revision"] for c in api.everything())
    api.patch(first["id"], {"email": "a@example.com"})
    api.patch_batch([{"number": second["number"], "email": "b@example.com"}])
    changed = {c["id"] for c in api.everything(f"revision={before}")}
    return changed == {first["id"], second["id"]}


@probe("korona.customers.revision.unique")
def _(api: Api) -> bool:
    api.add([{"lastname": "a"}, {"lastname": "b"}, {"lastname": "c"}])
    revisions = [c["revision"] for c in api.everything()]
    return len(revisions) == 3 and len(set(revisions)) == 3


def _deleted(api: Api) -> dict[str, Any]:
    created = api.create(number=new_number(), lastname="to delete")
    api.create(lastname="stays")
    assert api.delete(created["id"]).status in (200, 204)
    return created


@probe("korona.customers.list.deleted-hidden-by-default")
def _(api: Api) -> bool:
    created = _deleted(api)
    return all(created["id"] not in {c["id"] for c in api.everything(q)} for q in ("", "includeDeleted=false"))


@probe("korona.customers.list.include-deleted")
def _(api: Api) -> bool:
    created = _deleted(api)
    listed = {c["id"]: c for c in api.everything("includeDeleted=true")}
    return created["id"] in listed and listed[created["id"]]["active"] is False


@probe("korona.customers.delete.number-released")
def _(api: Api) -> bool:
    created = _deleted(api)
    listed = {c["id"]: c for c in api.everything("includeDeleted=true")}
    return "number" not in listed[created["id"]]


# --- look-up by id or number ------------------------------------------------------------------------
@probe("korona.customers.lookup.by-id")
def _(api: Api) -> bool:
    created = api.create(lastname="by id")
    got = api.get(created["id"])
    patched = api.patch(created["id"], {"firstname": "Ida"})
    return got.status == 200 and got.json["id"] == created["id"] and patched.status in (200, 204) \
        and api.delete(created["id"]).status in (200, 204)


@probe("korona.customers.lookup.by-number")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="by number")
    got = api.get(created["number"])
    return got.status == 200 and got.json["id"] == created["id"]


@probe("korona.customers.lookup.uuid-shaped-number-is-id")
def _(api: Api) -> bool:
    created = api.create(number=str(uuid.uuid4()), lastname="uuid-shaped number")
    return api.get(created["number"]).status == 404 and api.get(created["id"]).status == 200


@probe("korona.customers.lookup.id-only")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="by number")
    return api.get(created["number"]).status in (400, 404)


@probe("korona.customers.get.returns-customer")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="one")
    got = api.get(created["id"])
    return got.status == 200 and got.json["id"] == created["id"] and got.json["number"] == created["number"] \
        and isinstance(got.json.get("revision"), int | str)


@probe("korona.customers.get.unknown-not-found")
def _(api: Api) -> bool:
    refs = (UNKNOWN,) if api.sim.v32 else (UNKNOWN, "no-such-number")
    return all(api.get(ref).status == 404 for ref in refs)


# --- addCustomers -----------------------------------------------------------------------------------
@probe("korona.customers.create.returns-results")
def _(api: Api) -> bool:
    answer = api.add([{"lastname": "a"}, {"lastname": "b"}])
    results = answer.json
    return answer.status == 200 and len(results) == 2 and all(
        r["status"] == "OK" and r["action"] == "ADDED" and len(r.get("id", "")) == 36 for r in results)


SEED_FIELDS_EXAMPLE = json.loads((CONTRACT.directory / "examples" / "CustomerBatch.seed-fields.json").read_text())["payload"][0]


def round_trips(api: Api, entry: dict[str, Any]) -> bool:
    result = api.add([entry]).json[0]
    if result["status"] != "OK":
        return False
    got = api.get(result["id"]).json
    return all(got.get(key) == value for key, value in entry.items())


@probe("korona.customers.create.read-back")
def _(api: Api) -> bool:
    return round_trips(api, SEED_FIELDS_EXAMPLE)


@probe("korona.customers.create.listed")
def _(api: Api) -> bool:
    created = api.create(lastname="listed")
    return created["id"] in {c["id"] for c in api.everything()}


@probe("korona.customers.create.valid-accepted")
def _(api: Api) -> bool:
    entries = ({"firstname": "", "lastname": "Ünal", "cards": []}, {"email": "", "address": {"city": ""}}, {})
    return all(round_trips(api, entry) for entry in entries)


@probe("korona.customers.create.batch-per-entry-results")
def _(api: Api) -> bool:
    one, two = new_number(), new_number()
    results = api.add([{"number": one}, {"number": new_number(), "gender": "DIVERS"}, {"number": two}, 7]).json
    statuses = [r["status"] for r in results[:3]]
    listed = {c.get("number") for c in api.everything()}
    return statuses == ["OK", "ERROR", "OK"] and results[0]["number"] == one and results[2]["number"] == two \
        and {one, two} <= listed and "message" in results[1] and results[3]["status"] == "ERROR"


@probe("korona.customers.create.duplicate-number-rejected")
def _(api: Api) -> bool:
    number = new_number()
    api.create(number=number)
    again = api.add([{"number": number}]).json
    fresh = new_number()
    twice = api.add([{"number": fresh}, {"number": fresh}]).json
    numbers = [c.get("number") for c in api.everything()]
    return again[0]["status"] == "ERROR" and [r["status"] for r in twice] == ["OK", "ERROR"] \
        and numbers.count(number) == 1 and numbers.count(fresh) == 1


@probe("korona.customers.create.invalid-body-rejected")
def _(api: Api) -> bool:
    answers = [api.call("POST", raw=json.dumps(body).encode()) for body in ({"lastname": "single"}, "x", 5, None)]
    answers.append(api.call("POST"))  # no body at all
    return all(a.status == 400 for a in answers) and api.everything() == []


@probe("korona.customers.create.write-mode")
def _(api: Api) -> bool:
    number = new_number()
    created = api.create(number=number, lastname="Old", firstname="Kept")
    update = api.add([{"number": number, "lastname": "New"}], "writeMode=ADD_OR_UPDATE").json[0]
    merged = api.get(created["id"]).json
    replace = api.add([{"number": number, "lastname": "Newer"}], "writeMode=ADD_OR_REPLACE").json[0]
    replaced = api.get(created["id"]).json
    default = api.add([{"number": number}], "writeMode=DEFAULT").json[0]
    return update["action"] == "UPDATED" and (merged["lastname"], merged.get("firstname")) == ("New", "Kept") \
        and replace["action"] == "UPDATED" and replaced["lastname"] == "Newer" and "firstname" not in replaced \
        and default["status"] == "ERROR"


# --- updateCustomer ---------------------------------------------------------------------------------
@probe("korona.customers.update.empty-body")
def _(api: Api) -> bool:
    created = api.create(lastname="x")
    answer = api.patch(created["id"], {"firstname": "y"})
    return 200 <= answer.status < 300 and answer.body == b""


@probe("korona.customers.update.no-content-204")
def _(api: Api) -> bool:
    created = api.create(lastname="x")
    answer = api.patch(created["id"], {"firstname": "y"})
    return answer.status == 204 and answer.body == b""


@probe("korona.customers.update.partial-merge")
def _(api: Api) -> bool:
    created = api.create(lastname="Muster", firstname="Anna", address={"city": "Berlin"})
    api.patch(created["id"], {"email": "anna@example.com"})
    got = api.get(created["id"]).json
    kept = (got["lastname"], got["firstname"], got["address"], got["number"])
    return kept == ("Muster", "Anna", {"city": "Berlin"}, created["number"])


@probe("korona.customers.update.persists")
def _(api: Api) -> bool:
    created = api.create(lastname="Before")
    api.patch(created["id"], {"lastname": "After"})
    listed = {c["id"]: c for c in api.everything()}
    return api.get(created["id"]).json["lastname"] == "After" and listed[created["id"]]["lastname"] == "After"


@probe("korona.customers.update.unknown-not-found")
def _(api: Api) -> bool:
    refs = (UNKNOWN,) if api.sim.v32 else (UNKNOWN, "no-such-number")
    return all(api.patch(ref, {"lastname": "ghost"}).status == 404 for ref in refs) and api.everything() == []


@probe("korona.customers.update.invalid-rejected")
def _(api: Api) -> bool:
    created = api.create(lastname="Same")
    answers = [api.patch(created["id"], {"gender": "DIVERS"}), api.patch(created["id"], {"lastname": 5}),
               api.patch(created["id"], [{"lastname": "x"}])]
    got = api.get(created["id"]).json
    return all(a.status == 400 for a in answers) and got["lastname"] == "Same" and "gender" not in got


# --- updateCustomers --------------------------------------------------------------------------------
@probe("korona.customers.update-batch.returns-results")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="Before")
    answer = api.patch_batch([{"number": created["number"], "lastname": "After"}])
    result = answer.json[0]
    return answer.status == 200 and len(answer.json) == 1 and (result["status"], result["action"]) == ("OK", "UPDATED") \
        and api.get(created["id"]).json["lastname"] == "After"


@probe("korona.customers.update-batch.number-required")
def _(api: Api) -> bool:
    created = api.create(lastname="Before")
    result = api.patch_batch([{"id": created["id"], "lastname": "After"}]).json[0]
    return result["status"] == "ERROR" and api.get(created["id"]).json["lastname"] == "Before"


@probe("korona.customers.update-batch.id-or-number")
def _(api: Api) -> bool:
    created = api.create(lastname="Before")
    result = api.patch_batch([{"id": created["id"], "lastname": "After"}]).json[0]
    return result["status"] == "OK" and api.get(created["id"]).json["lastname"] == "After"


@probe("korona.customers.update-batch.per-entry-results")
def _(api: Api) -> bool:
    one, two = api.create(number=new_number()), api.create(number=new_number())
    results = api.patch_batch([{"number": "no-such-number", "lastname": "ghost"}, {"number": one["number"], "lastname": "One"},
                               {"lastname": "no number"}, {"number": two["number"], "lastname": "Two"}]).json
    return [r["status"] for r in results] == ["ERROR", "OK", "ERROR", "OK"] \
        and api.get(one["id"]).json.get("lastname") == "One" and api.get(two["id"]).json.get("lastname") == "Two"


# --- deleteCustomer ---------------------------------------------------------------------------------
@probe("korona.customers.delete.empty-body")
def _(api: Api) -> bool:
    answer = api.delete(api.create(lastname="x")["id"])
    return 200 <= answer.status < 300 and answer.body == b""


@probe("korona.customers.delete.no-content-204")
def _(api: Api) -> bool:
    answer = api.delete(api.create(lastname="x")["id"])
    return answer.status == 204 and answer.body == b""


@probe("korona.customers.delete.removes")
def _(api: Api) -> bool:
    created = api.create(lastname="gone")
    api.delete(created["id"])
    return created["id"] not in {c["id"] for c in api.everything()} and api.get(created["id"]).status == 404


@probe("korona.customers.delete.unknown-not-found")
def _(api: Api) -> bool:
    refs = (UNKNOWN,) if api.sim.v32 else (UNKNOWN, "no-such-number")
    return all(api.delete(ref).status == 404 for ref in refs)


@probe("korona.customers.delete-batch.deletes")
def _(api: Api) -> bool:
    one, two, stays = (api.create(number=new_number()) for _ in range(3))
    answer = api.call("DELETE", body=[{"id": one["id"]}, {"number": two["number"]}])
    remaining = {c["id"] for c in api.everything()}
    return answer.status == 200 and [r["action"] for r in answer.json] == ["DELETED", "DELETED"] and remaining == {stays["id"]}


# --- responses in general ---------------------------------------------------------------------------
@probe("korona.responses.json-content-type")
def _(api: Api) -> bool:
    created = api.create(lastname="x")
    answers = [api.list(), api.get(created["id"]), api.add([{}]), api.get(UNKNOWN)]
    return all(a.headers.get("Content-Type", "").startswith("application/json") for a in answers)


@probe("korona.responses.error-body")
def _(api: Api) -> bool:
    errors = [(api.get(UNKNOWN), "NotFoundError.json"), (api.list("page=0"), "BadRequestError.json"),
              (api.call("POST", raw=b"{"), "BadRequestError.json")]
    return all(valid(schema, answer.json) for answer, schema in errors)


@probe("korona.responses.no-server-error")
def _(api: Api) -> bool:
    queries = ("sort=", "page=", "size=", "revision=", "includeDeleted=", "sort=,")
    return all(api.list(query).status < 500 for query in queries)


DOCUMENTED = {"GET": {200, 204, 400, 401, 403, 404, 429}, "POST": {200, 400, 401, 403, 404, 429},
              "PATCH": {200, 204, 400, 401, 403, 404, 429}, "DELETE": {200, 204, 400, 401, 403, 404, 429}}


@probe("korona.responses.documented-status")
def _(api: Api) -> bool:
    created = api.create(number=new_number(), lastname="x")
    answers = {"GET": api.get(created["id"]), "POST": api.add([{}]), "PATCH": api.patch(created["id"], {"firstname": "y"}),
               "DELETE": api.delete(created["id"])}
    return all(answer.status in DOCUMENTED[method] for method, answer in answers.items())


@probe("korona.responses.schema-conformance")
def _(api: Api) -> bool:
    added = api.add([SEED_FIELDS_EXAMPLE, {}])
    got = api.get(added.json[0]["id"])
    batch = api.patch_batch([{"number": SEED_FIELDS_EXAMPLE["number"], "lastname": "x"}])
    return valid("AddOrUpdateResultList.json", added.json) and valid("Customer.json", got.json) \
        and valid("ResultListCustomer.json", api.list().json) and valid("AddOrUpdateResultList.json", batch.json)


@probe("korona.responses.malformed-json-rejected")
def _(api: Api) -> bool:
    return all(api.call(method, raw=b"{not json").status == 400 for method in ("POST", "PATCH"))


# --- the tests --------------------------------------------------------------------------------------
def api_for(version: str, faults: tuple[str, ...] = ()) -> Api:
    return Api(KoronaSimulator(faults=faults, version=version))


def holds(clause: str, api: Api) -> bool:
    """The probe's verdict; an answer of the wrong shape (a missing key, a wrapped body) breaks the clause."""
    try:
        return PROBES[clause](api)
    except (KeyError, TypeError, IndexError, AssertionError):
        return False


def test_every_clause_has_a_probe():
    assert sorted(PROBES) == sorted(CONTRACT.clauses)


CLEAN = [(clause, version) for clause in sorted(CONTRACT.clauses) for version in versions_of(clause)]


@pytest.mark.parametrize(("clause", "version"), CLEAN, ids=[f"{c}@{v}" for c, v in CLEAN])
def test_clean_simulator_keeps_the_clause(clause, version):
    assert PROBES[clause](api_for(version)), f"{clause} does not hold on a clean {version} simulator"


FAULTS = [(fault.name, fault.clause, versions_of(fault.clause)[0]) for fault in CATALOGUE]


@pytest.mark.parametrize(("fault", "clause", "version"), FAULTS, ids=[f[0] for f in FAULTS])
def test_fault_breaks_its_clause(fault, clause, version):
    assert not holds(clause, api_for(version, (fault,))), f"{fault} leaves {clause} holding on {version}"


# Version-limited clauses that a target of the other version fails: the drift the report shows. The
# others hold in both: 3.2's 204 is also the seed's "2xx with an empty body", and 3.2 too looks a
# UUID-shaped value up as an id.
HOLD_IN_BOTH = {"korona.customers.update.empty-body", "korona.customers.delete.empty-body",
                "korona.customers.lookup.uuid-shaped-number-is-id"}
DRIFTS = sorted(set(CONTRACT_VERSIONS) - HOLD_IN_BOTH)


@pytest.mark.parametrize("clause", DRIFTS)
def test_the_other_version_fails_a_version_limited_clause(clause):
    other = next(v for v in VERSIONS if v not in versions_of(clause))
    assert not holds(clause, api_for(other))


@pytest.mark.parametrize("clause", sorted(HOLD_IN_BOTH))
def test_some_version_limited_clauses_hold_in_both(clause):
    assert all(holds(clause, api_for(version)) for version in VERSIONS)


def test_catalogue_size_and_clauses():
    assert len(CATALOGUE) >= 12
    assert {fault.clause for fault in CATALOGUE} == set(CONTRACT.clauses)


# --- documented requests get documented answers -----------------------------------------------------
def example(name: str) -> Any:
    return json.loads((CONTRACT.directory / "examples" / name).read_text())["payload"]


@pytest.mark.parametrize("version", VERSIONS)
def test_documented_add_example(version):
    api = api_for(version)
    answer = api.add(example("CustomerBatch.add-documented.json"))
    assert answer.status == 200 and valid("AddOrUpdateResultList.json", answer.json)
    assert [(r["status"], r["action"]) for r in answer.json] == [("OK", "ADDED")]
    assert valid("Customer.json", api.get(answer.json[0]["id"]).json)


@pytest.mark.parametrize("version", VERSIONS)
def test_documented_update_examples(version):
    api = api_for(version)
    created = api.create(number="10001")
    api.create(number="10002")
    assert api.patch(created["id"], example("CustomerInput.update-documented.json")).body == b""
    batch = api.patch_batch(example("CustomerBatch.update-by-number.json"))
    assert batch.status == 200 and valid("AddOrUpdateResultList.json", batch.json)
    assert [r["status"] for r in batch.json] == ["OK", "OK"]
    assert api.get(created["id"]).json["email"] == "anna@example.com"


def test_documented_batch_delete_example_in_3_2_only():
    api = api_for("3.2")
    body = example("CustomerKeyBatch.id-or-number.json")
    assert api.call("DELETE", body=body).json[1]["status"] == "ERROR"  # nothing numbered 10002 yet
    api.create(number="10002")
    answer = api.call("DELETE", body=body)
    assert answer.status == 200 and [r["status"] for r in answer.json] == ["ERROR", "OK"]
    assert api_for("3.0").call("DELETE", body=body).status == 405


@pytest.mark.parametrize("version", VERSIONS)
def test_every_answer_of_a_session_validates(version):
    """A walk through every operation: each body validates against the schema its status documents."""
    api = api_for(version)
    checks: list[tuple[Answer, str | None]] = []
    added = api.add([SEED_FIELDS_EXAMPLE, {"lastname": "second"}, {"number": SEED_FIELDS_EXAMPLE["number"]}])
    checks.append((added, "AddOrUpdateResultList.json"))
    first = added.json[0]["id"]
    checks += [(api.get(first), "Customer.json"), (api.list("size=1&page=2"), "ResultListCustomer.json"),
               (api.patch_batch([{"number": "10001", "lastname": "b"}, {}]), "AddOrUpdateResultList.json"),
               (api.get(UNKNOWN), "NotFoundError.json"), (api.list("sort=a,b,c,d,e,f"), "BadRequestError.json"),
               (api.call("POST", raw=b"[{"), "BadRequestError.json"), (api.patch(first, {"gender": "X"}), "BadRequestError.json")]
    api.delete(first)
    checks.append((api.list("includeDeleted=true"), "ResultListCustomer.json"))
    for answer, schema in checks:
        assert answer.headers["Content-Type"].startswith("application/json")
        assert not CONTRACT.errors(schema, answer.json), (schema, answer.json)


def test_base_path_and_accounts():
    sim = KoronaSimulator(seed_records=3)
    auth = basic(TEST_USER, TEST_PASSWORD)
    with_prefix = sim.handle(Request.build("GET", f"{BASE_PATH}/accounts/{ACCOUNT_ID}/customers", "", auth, b""))
    without = sim.handle(Request.build("GET", f"/accounts/{ACCOUNT_ID}/customers", "", auth, b""))
    assert with_prefix.status == without.status == 200
    assert json.loads(with_prefix.body)["resultsTotal"] == json.loads(without.body)["resultsTotal"] == 3
    unknown = sim.handle(Request.build("GET", f"/accounts/{UNKNOWN}/customers", "", auth, b""))
    assert unknown.status == 404 and json.loads(unknown.body)["code"] == "ACCOUNT_NOT_FOUND"
    other = sim.handle(Request.build("GET", f"/accounts/{OTHER_ACCOUNT_ID}/customers", "", auth, b""))
    assert json.loads(other.body)["resultsTotal"] == 3


def test_served_over_http_under_the_documented_base_path():
    import requests

    from accord.simulate.server import SimulatorServer

    with SimulatorServer(KoronaSimulator(seed_records=2)) as server:
        url = f"{server.root_url}{BASE_PATH}/accounts/{ACCOUNT_ID}/customers"
        listed = requests.get(url, auth=(TEST_USER, TEST_PASSWORD), timeout=5)
        refused = requests.get(url, timeout=5)
        added = requests.post(url, json=[{"lastname": "over http"}], auth=(TEST_USER, TEST_PASSWORD), timeout=5)
    assert listed.status_code == 200 and listed.json()["resultsTotal"] == 2
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Basic") and refused.content == b""
    assert added.status_code == 200 and added.json()[0]["status"] == "OK"


def test_seed_records_and_sample_requests():
    sim = KoronaSimulator(seed_records=12)
    auth = basic(TEST_USER, TEST_PASSWORD)
    before = sim.customers.snapshot()
    for label, (method, path, query, body) in sim.sample_requests.items():
        response = sim.handle(Request.build(method, path, query, {**auth, "Content-Type": "application/json"}, body))
        assert response.status == 200, label
    after = sim.customers.snapshot()
    assert all(after[row_id] == row for row_id, row in before.items()), "a sample request changed a seeded customer"


def test_versions():
    assert not KoronaSimulator(version="3.1.64").v32 and KoronaSimulator(version="3.2.1").v32
    for wrong in ("4.0", "2.19", "3.2-SNAPSHOT-x"):
        with pytest.raises(ValueError, match="KORONA"):
            KoronaSimulator(version=wrong)


# --- a client generated from KORONA's own OpenAPI works against the simulator -----------------------
OFFICIAL_OPENAPI = CONTRACT.directory / "sources" / "customers-openapi-3.2-SNAPSHOT.json"
CLIENT_PACKAGE = "korona_official_client"
GENERATOR_TIMEOUT = 120  # seconds; generation takes about 0.6 s


def generator_command() -> list[str]:
    """How to run openapi-python-client from this interpreter; without it, fail under CI (env CI set), skip elsewhere."""
    if find_spec("openapi_python_client"):
        return [sys.executable, "-m", "openapi_python_client"]
    script = Path(sys.executable).with_name("openapi-python-client")
    if script.is_file():
        return [str(script)]
    reason = "openapi-python-client is not installed: run pip install -e '.[dev]'"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the official client's test may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def official_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client openapi-python-client generates from KORONA's official OpenAPI, importable while the module runs.

    Generated afresh by every test run, so a newer generator or a changed spec copy is what gets tested;
    ``--fail-on-warning`` because the generator warns when it leaves an operation or a model out.
    """
    command = generator_command()
    folder = tmp_path_factory.mktemp("official-client")
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # the generator would otherwise run ruff over its output
    generated = subprocess.run(
        [*command, "generate", "--meta", "none", "--fail-on-warning", "--config", str(config),
         "--path", str(OFFICIAL_OPENAPI), "--output-path", str(folder / CLIENT_PACKAGE)],
        capture_output=True, text=True, timeout=GENERATOR_TIMEOUT, cwd=folder, check=False)
    assert generated.returncode == 0, f"openapi-python-client failed:\n{generated.stdout}\n{generated.stderr}"
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        try:
            yield import_module(CLIENT_PACKAGE)
        finally:
            for name in [name for name in sys.modules if name.partition(".")[0] == CLIENT_PACKAGE]:
                del sys.modules[name]


def official_client_happy_path(base_url: str) -> None:
    """The documented round trip through the generated client: add, page, read, update, sync, delete."""
    from korona_official_client import AuthenticatedClient
    from korona_official_client.api.customers import (
        add_customers,
        delete_customer,
        delete_customers,
        get_customer,
        get_customers,
        update_customer,
        update_customers,
    )
    from korona_official_client.models import AddOrUpdateResultAction as Action
    from korona_official_client.models import AddOrUpdateResultStatus as Status
    from korona_official_client.models import AddressInformation, Customer, CustomerGender

    token = base64.b64encode(f"{TEST_USER}:{TEST_PASSWORD}".encode()).decode()
    with AuthenticatedClient(base_url=base_url, token=token, prefix="Basic", raise_on_unexpected_status=True, timeout=5.0) as c:
        added = add_customers.sync(ACCOUNT_ID, client=c, body=[
            Customer(number="G-1", firstname="Anna", lastname="Muster", gender=CustomerGender.FEMALE,
                     address=AddressInformation(city="Berlin")),
            Customer(number="G-2", lastname="Zweiter")])
        assert [(r.status, r.action) for r in added] == [(Status.OK, Action.ADDED)] * 2
        first = str(added[0].id)
        page = get_customers.sync(ACCOUNT_ID, client=c, page=1, size=3, sort="number")
        assert (page.current_page, page.pages_total, page.results_total, len(page.results)) == (1, 3, 7, 3)
        walked = [cu.id for p in range(1, 4) for cu in get_customers.sync(ACCOUNT_ID, client=c, page=p, size=3).results]
        assert len(set(walked)) == len(walked) == 7
        one = get_customer.sync(ACCOUNT_ID, first, client=c)
        assert (one.lastname, one.address.city) == ("Muster", "Berlin")
        assert update_customer.sync_detailed(ACCOUNT_ID, first, client=c, body=Customer(email="a@example.com")).status_code == 204
        again = get_customer.sync(ACCOUNT_ID, first, client=c)
        assert (again.email, again.lastname) == ("a@example.com", "Muster") and again.revision > one.revision
        batch = update_customers.sync(ACCOUNT_ID, client=c, body=[Customer(number="G-2", firstname="Zora")])
        assert (batch[0].status, batch[0].action) == (Status.OK, Action.UPDATED)
        assert {cu.number for cu in get_customers.sync(ACCOUNT_ID, client=c, revision=one.revision).results} == {"G-1", "G-2"}
        assert delete_customer.sync_detailed(ACCOUNT_ID, first, client=c).status_code == 204
        deleted = get_customers.sync(ACCOUNT_ID, client=c, include_deleted=True, revision=one.revision).results
        assert any(cu.id == one.id and cu.active is False for cu in deleted)
        assert delete_customers.sync(ACCOUNT_ID, client=c, body=[Customer(number="G-2")])[0].action == Action.DELETED
        empty = get_customers.sync_detailed(ACCOUNT_ID, client=c, revision=10**9)
        assert empty.status_code == 204 and empty.parsed is None


def test_client_generated_from_the_official_openapi_works_against_the_3_2_simulator(official_client):
    from accord.simulate.server import SimulatorServer

    with SimulatorServer(KoronaSimulator(version="3.2", seed_records=5)) as server:
        official_client_happy_path(server.base_url)


# Faults of clauses the happy path walks through, and how the generated client's run breaks on each: the client
# itself refuses a status the spec does not list for the operation, or cannot read the answer, or one of the happy
# path's assertions fails. (Faults of auth, tenant isolation and error answers leave a happy path as it was; the suite
# catches those. The generated models do not check value types, so e.g. a revision sent as a string goes through.)
UNEXPECTED_STATUS = "the generated client's errors.UnexpectedStatus"
BREAK_THE_OFFICIAL_CLIENT: dict[str, type[Exception] | str] = {
    "update-answers-200": UNEXPECTED_STATUS,
    "delete-answers-202": UNEXPECTED_STATUS,
    "list-bare-array": ValueError,  # ResultListCustomer.from_dict of a list
    "create-drops-address": AttributeError,  # the read-back's address is Unset
    "empty-list-200": AssertionError,
    "page-overlap": AssertionError,
    "update-not-persisted": AssertionError,
    "include-deleted-ignored": AssertionError,
}


@pytest.mark.parametrize("fault", BREAK_THE_OFFICIAL_CLIENT)
def test_the_generated_client_breaks_on_a_faulty_3_2_simulator(official_client, fault):
    from accord.simulate.server import SimulatorServer

    expected = BREAK_THE_OFFICIAL_CLIENT[fault]
    if expected == UNEXPECTED_STATUS:
        expected = import_module(f"{CLIENT_PACKAGE}.errors").UnexpectedStatus
    simulator = KoronaSimulator(version="3.2", seed_records=5, faults=(fault,))  # outside pytest.raises: a renamed fault fails
    with SimulatorServer(simulator) as server, pytest.raises(expected):
        official_client_happy_path(server.base_url)


def test_without_the_generator_the_official_client_tests_fail_under_ci_and_skip_elsewhere(monkeypatch, tmp_path):
    monkeypatch.setattr(sys.modules[__name__], "find_spec", lambda name: None)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))  # no console script beside it
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"pip install -e '\.\[dev\]'"):
        generator_command()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        generator_command()
