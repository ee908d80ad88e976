"""Kimai 2.0.0's own API tests, ported to run over HTTP against the simulator imitating that era.

Upstream: kimai/kimai@90a0fd8a2 (Kimai 2.0.0, 2022-12-31, the documented API 0.6's era)
``tests/API/CustomerControllerTest.php``, ``RateControllerTestTrait.php`` and
``APIControllerBaseTest.php``. Set-up and roles as in test_kimai_upstream.py, the simulator built
with ``version="2.0"``; the header pair (the only credential of that era) carries the API passwords.

Ported: the tests whose answers differ from 2.66 (no credentials -> 403 with its own message;
ROLE_USER may read one customer, budget included; the smaller list and entity; a create that names
country, currency and timezone) and a sample of those that did not change. Not ported, and why:
testGetEntityWithFullResponse and testMetaAction (meta-fields of event subscribers, see
test_kimai_upstream.py); the rate and meta tests that are unchanged since 2.0 run in
test_kimai_upstream.py against 2.66.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from accord.simulate.server import SimulatorServer
from accord.vendors.kimai import people
from accord.vendors.kimai.simulator import KimaiSimulator

from .test_kimai_upstream import PHP_INT_MAX, assert_access_denied, assert_api_exception, assert_validation_error

UPSTREAM = "kimai/kimai@90a0fd8a2"
PAIRS = {"admin": (people.TEST_USER, people.TEST_API_PASSWORD), "user": (people.LIMITED_USER, people.LIMITED_API_PASSWORD)}
# APIControllerBaseTest::getExpectedResponseStructure at 2.0.0
CUSTOMER_COLLECTION = ("id", "name", "visible", "billable", "color", "number", "comment", "metaFields", "teams", "currency")
CUSTOMER_ENTITY = ("id", "name", "visible", "billable", "color", "metaFields", "teams", "homepage", "number", "comment",
                   "company", "contact", "address", "country", "currency", "phone", "fax", "mobile", "email", "timezone",
                   "budget", "timeBudget", "vatId", "budgetType")


class Kimai20:
    def __init__(self, simulator: KimaiSimulator, base_url: str) -> None:
        self.simulator, self.base_url = simulator, base_url

    def request(self, path: str, method: str = "GET", role: str | None = "admin", json: object = None,
                params: dict | None = None) -> requests.Response:
        headers = {}
        if role:
            headers = {"X-AUTH-USER": PAIRS[role][0], "X-AUTH-TOKEN": PAIRS[role][1]}
        return requests.request(method, self.base_url + path, headers=headers, json=json, params=params, timeout=5)


@pytest.fixture
def kimai() -> Iterator[Kimai20]:
    simulator = KimaiSimulator(version="2.0")
    simulator.seed_customer({"name": "Test", "number": "1", "comment": "Test comment", "company": "Test",
                             "contact": "Test", "address": "Test", "email": "test@example.com"})
    simulator.seed_customer({"name": "Hidden customer", "number": "2", "visible": False})
    with SimulatorServer(simulator) as server:
        yield Kimai20(simulator, server.base_url)


def assert_structure(keys: tuple[str, ...], result: dict) -> None:
    assert sorted(result) == sorted(keys), sorted(set(result) ^ set(keys))


def test_is_secure(kimai):
    """Ports CustomerControllerTest::testIsSecure (kimai/kimai@90a0fd8a2): 403 and its own message."""
    response = kimai.request("/api/customers", role=None)
    assert response.status_code == 403
    assert response.json() == {"message": "Authentication required, missing user header: X-AUTH-USER"}


def test_bearer_unknown(kimai):
    """Not upstream: Kimai 2.0 knew no Bearer tokens, so one is no credential at all (TokenAuthenticator@2.13.0)."""
    response = requests.get(kimai.base_url + "/api/customers", headers={"Authorization": f"Bearer {people.TEST_TOKEN}"},
                            timeout=5)
    assert response.status_code == 403


def test_get_collection(kimai):
    """Ports CustomerControllerTest::testGetCollection (kimai/kimai@90a0fd8a2)."""
    result = kimai.request("/api/customers", role="user").json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION, result[0])


def test_get_collection_with_query(kimai):
    """Ports CustomerControllerTest::testGetCollectionWithQuery (kimai/kimai@90a0fd8a2)."""
    query = {"order": "ASC", "orderBy": "name", "visible": "3", "term": "test"}
    result = kimai.request("/api/customers", role="user", params=query).json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION, result[0])


def test_get_entity(kimai):
    """Ports CustomerControllerTest::testGetEntity (kimai/kimai@90a0fd8a2): ROLE_USER may read it."""
    response = kimai.request("/api/customers/1", role="user")
    assert response.status_code == 200
    assert_structure(CUSTOMER_ENTITY, response.json())


def test_not_found(kimai):
    """Ports CustomerControllerTest::testNotFound (kimai/kimai@90a0fd8a2)."""
    assert_api_exception(kimai.request(f"/api/customers/{PHP_INT_MAX}", role="user"), 404, "Not Found")


def test_post_action(kimai):
    """Ports CustomerControllerTest::testPostAction (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "visible": True, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin",
            "budget": "999", "timeBudget": "7200"}
    response = kimai.request("/api/customers", "POST", json=data)
    assert response.ok, response.text[:300]
    result = response.json()
    assert_structure(CUSTOMER_ENTITY, result)
    assert result["id"]


def test_post_action_with_least_fields(kimai):
    """Ports CustomerControllerTest::testPostActionWithLeastFields (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    response = kimai.request("/api/customers", "POST", json=data)
    assert response.ok
    assert_structure(CUSTOMER_ENTITY, response.json())


def test_post_action_with_invalid_user(kimai):
    """Ports CustomerControllerTest::testPostActionWithInvalidUser (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "visible": True, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert_access_denied(kimai.request("/api/customers", "POST", role="user", json=data))


def test_post_action_with_invalid_data(kimai):
    """Ports CustomerControllerTest::testPostActionWithInvalidData (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "visible": True, "country": "XYZ", "currency": "---", "timezone": "foo/bar",
            "unexpected": "field"}
    assert_validation_error(kimai.request("/api/customers", "POST", json=data), ["country", "currency", "timezone"], True)


def test_patch_action(kimai):
    """Ports CustomerControllerTest::testPatchAction (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "comment": "", "visible": True, "country": "DE", "currency": "EUR",
            "timezone": "Europe/Berlin", "budget": "999", "timeBudget": "7200"}
    response = kimai.request("/api/customers/1", "PATCH", json=data)
    assert response.ok, response.text[:300]
    assert_structure(CUSTOMER_ENTITY, response.json())


def test_patch_action_with_invalid_user(kimai):
    """Ports CustomerControllerTest::testPatchActionWithInvalidUser (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "comment": "", "visible": True, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert_access_denied(kimai.request("/api/customers/1", "PATCH", role="user", json=data))


def test_invalid_patch_action(kimai):
    """Ports CustomerControllerTest::testInvalidPatchAction (kimai/kimai@90a0fd8a2)."""
    data = {"name": "foo", "visible": True, "country": "DE", "currency": "XXX", "timezone": "Europe/Berlin"}
    response = kimai.request("/api/customers/1", "PATCH", json=data)
    assert response.status_code == 400
    assert_validation_error(response, ["currency"])


def test_meta_action_not_allowed(kimai):
    """Ports CustomerControllerTest::testMetaActionNotAllowed (kimai/kimai@90a0fd8a2)."""
    assert_access_denied(kimai.request("/api/customers/1/meta", "PATCH", role="user", json={"name": "asdasd"}))


def test_add_rate_missing_user_action(kimai):
    """Ports RateControllerTestTrait::testAddRateMissingUserAction (kimai/kimai@90a0fd8a2)."""
    response = kimai.request("/api/customers/1/rates", "POST",
                             json={"user": 33, "rate": 12.34, "internal_rate": 6.66, "is_fixed": False})
    assert response.status_code == 400
    assert_validation_error(response, ["user"])


def test_get_rates_is_secured(kimai):
    """Ports RateControllerTestTrait::testGetRatesIsSecured (kimai/kimai@90a0fd8a2)."""
    assert_access_denied(kimai.request("/api/customers/1/rates", role="user"))
