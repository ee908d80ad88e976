"""Kimai's own API tests, ported to run over HTTP against the built-in simulator: the oracle.

Upstream: kimai/kimai@1f421c276 (Kimai 2.66.0) ``tests/API/CustomerControllerTest.php`` and the
``tests/API/RateControllerTestTrait.php`` it uses, with the helpers of
``tests/API/APIControllerBaseTestCase.php`` (response structures, error bodies). Each test names
the upstream test it ports. Kimai's test database becomes a fresh simulator per test, seeded as
Kimai's fixtures and the test's own set-up are (customer 1 "Test" with the values
testGetEntityWithFullResponse reads, a hidden customer 2, so a new number is "0003"). Roles map to
the simulator's users: ROLE_ADMIN is ``accord`` (its access token), ROLE_USER and ROLE_TEAMLEAD are
``accord-limited`` (no customer permission; for the tests used here the two roles answer alike),
and Kimai's ``john_user`` (UserFixtures::USERNAME_USER) of the rate fixtures is ``anna`` (id 3).

Not ported, and why (upstream test: reason):

- testGetCommentsIsSecure, testGetCommentsIsSecureForRole, testGetCommentsActionWithUnknownCustomer,
  testGetCommentsAction, testPostCommentIsSecure, testPostCommentIsSecureForRole,
  testPostCommentActionWithUnknownCustomer, testPostCommentActionWithInvalidData, testPostCommentAction,
  testToggleCommentPin* (6 tests), testDeleteComment* (6 tests): customer comments
  (``/api/customers/{id}/comments``) are neither in the documented API nor in the contract; the
  simulator does not offer them.
- testPostDefaultTeamActionWasRemoved, testPostDefaultTeamActionWasRemovedForUserWithoutPermission:
  ``POST /api/customers/{id}/team`` is a removed endpoint (410) outside the contract.

Ported with an adaptation (said in the test):

- testGetEntityWithFullResponse: meta-fields come from event subscribers in Kimai (a hidden ``bar``
  and a visible ``foo``); the simulator has one configured, visible meta-field (``location``), so
  the test sets it and expects it serialised. The team is the simulator's team 1 ("Test team")
  instead of one the test creates; its projects and activities are not modelled.
- testMetaAction: ``metatestmock`` is registered by a mock subscriber upstream; here ``location``.
- testDeleteActionWithoutAuthorization: ROLE_TEAMLEAD has no delete permission; the limited user
  stands in.
- testGetRates, testDeleteRate*, testDeleteNotAllowed: importTestRates writes rates through the
  entity manager; here through the simulator's table, as a fixture does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from accord.simulate.server import SimulatorServer
from accord.vendors.kimai import people
from accord.vendors.kimai.simulator import META_FIELD, KimaiSimulator

UPSTREAM = "kimai/kimai@1f421c276"
PHP_INT_MAX = 9223372036854775807
BUDGET_FIELDS = ("budget", "timeBudget", "budgetType")
TOKENS = {"admin": people.TEST_TOKEN, "user": people.LIMITED_TOKEN, "teamlead": people.LIMITED_TOKEN}

# APIControllerBaseTestCase::getExpectedResponseStructure (the keys; '@' = nullable)
CUSTOMER_COLLECTION = ("id", "name", "visible", "billable", "color", "color-safe", "number", "comment", "currency",
                       "country", "language", "company", "homepage", "timezone", "fax", "mobile", "phone", "metaFields",
                       "teams", "budget", "timeBudget", "budgetType")
CUSTOMER_COLLECTION_FULL = CUSTOMER_COLLECTION + ("vatId", "addressLine1", "addressLine2", "addressLine3", "city", "postCode")
CUSTOMER_ENTITY = CUSTOMER_COLLECTION_FULL + ("contact", "email", "invoiceEmail", "buyerReference", "address")
TEAM = ("id", "name", "color", "color-safe")
RATE = ("id", "rate", "internalRate", "isFixed", "user")


class Kimai:
    """One simulator over HTTP, and Kimai's test client calls on it."""

    def __init__(self, simulator: KimaiSimulator, base_url: str) -> None:
        self.simulator, self.base_url = simulator, base_url

    def request(self, path: str, method: str = "GET", role: str | None = "admin", json: Any = None,
                params: dict | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {TOKENS[role]}"} if role else {}
        return requests.request(method, self.base_url + path, headers=headers, json=json, params=params, timeout=5)

    def import_test_rates(self, customer_id: int) -> list[dict[str, Any]]:
        """RateControllerTestTrait::importTestRates for CustomerControllerTest."""
        rates = self.simulator.rates
        first = rates.insert({"customer": customer_id, "user": None, "rate": 17.45, "internalRate": None, "isFixed": False})
        second = rates.insert({"customer": customer_id, "user": 3, "rate": 99.0, "internalRate": 9.0, "isFixed": True})
        return [first, second]


@pytest.fixture
def kimai() -> Iterator[Kimai]:
    simulator = KimaiSimulator(pair_delay=(0.0, 0.0))
    simulator.seed_customer({
        "name": "Test", "number": "1", "comment": "Test comment", "company": "Test", "contact": "Test",
        "address": "Test", "country": "DE", "currency": "EUR", "phone": "111", "fax": "222", "mobile": "333",
        "email": "test@example.com", "timezone": "Europe/Berlin", "budget": 1000.0, "timeBudget": 100000,
    })
    simulator.seed_customer({"name": "Hidden customer", "number": "2", "visible": False})
    with SimulatorServer(simulator) as server:
        yield Kimai(simulator, server.base_url)


# --- APIControllerBaseTestCase's assertions ------------------------------------------------------
def assert_structure(keys: tuple[str, ...], result: dict, remove: tuple[str, ...] = ()) -> None:
    """assertApiResponseTypeStructure: exactly the expected keys."""
    assert sorted(result) == sorted(k for k in keys if k not in remove), sorted(set(result) ^ (set(keys) - set(remove)))
    for team in result.get("teams", []):
        assert sorted(team) == sorted(TEAM)


def assert_api_exception(response: requests.Response, code: int, message: str) -> None:
    assert response.status_code == code, response.text[:200]
    assert response.json() == {"code": code, "message": message}


def assert_access_denied(response: requests.Response) -> None:
    """assertApiResponseAccessDenied: the message is always 'Forbidden' outside debug mode."""
    assert_api_exception(response, 403, "Forbidden")


def assert_validation_error(response: requests.Response, failed: list[str], extra_fields: bool = False) -> None:
    """assertApiCallValidationError."""
    assert not response.ok
    errors = response.json()["errors"]
    if extra_fields:
        assert errors["errors"][0] == "This form should not contain extra fields."
    children = errors["children"]
    found = [name for name in failed if children.get(name, {}).get("errors")]
    assert found == failed, children


def assert_rate_structure(result: dict, user: int | None = None) -> None:
    """RateControllerTestTrait::assertRateStructure."""
    assert sorted(result) == sorted(RATE)
    if user is None:
        assert result["user"] is None
    else:
        assert result["user"]["id"] == user


# --- CustomerControllerTest ----------------------------------------------------------------------
def test_is_secure(kimai):
    """Ports CustomerControllerTest::testIsSecure (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers", role=None), 401, "Unauthorized")


def test_get_collection(kimai):
    """Ports CustomerControllerTest::testGetCollection (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers", role="user")
    assert response.status_code == 200
    result = response.json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION, result[0], BUDGET_FIELDS)


def test_get_collection_full(kimai):
    """Ports CustomerControllerTest::testGetCollectionFull (kimai/kimai@1f421c276)."""
    result = kimai.request("/api/customers", params={"full": "1"}).json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION_FULL, result[0])


def test_get_collection_full_needs_permission(kimai):
    """Ports CustomerControllerTest::testGetCollectionFullNeedsPermission (kimai/kimai@1f421c276)."""
    result = kimai.request("/api/customers", role="user", params={"full": "1"}).json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION, result[0], BUDGET_FIELDS)


def test_get_collection_with_query(kimai):
    """Ports CustomerControllerTest::testGetCollectionWithQuery (kimai/kimai@1f421c276)."""
    query = {"order": "ASC", "orderBy": "name", "visible": "3", "term": "test"}
    response = kimai.request("/api/customers", role="user", params=query)
    assert response.status_code == 200
    result = response.json()
    assert len(result) == 1
    assert_structure(CUSTOMER_COLLECTION, result[0], BUDGET_FIELDS)


def test_get_entity_is_secure(kimai):
    """Ports CustomerControllerTest::testGetEntityIsSecure (kimai/kimai@1f421c276)."""
    assert_access_denied(kimai.request("/api/customers/1", role="user"))


def test_get_entity(kimai):
    """Ports CustomerControllerTest::testGetEntity (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1")
    assert response.status_code == 200
    assert_structure(CUSTOMER_ENTITY, response.json())


def test_get_entity_with_full_response(kimai):
    """Ports CustomerControllerTest::testGetEntityWithFullResponse (kimai/kimai@1f421c276), adapted:
    the configured meta-field and the simulator's team 1 (see the module's table)."""
    kimai.simulator.customers.update(1, {"teams": [1]})
    assert kimai.request("/api/customers/1/meta", "PATCH", json={"name": META_FIELD, "value": "bar"}).status_code == 200
    result = kimai.request("/api/customers/1").json()
    assert_structure(CUSTOMER_ENTITY, result)
    assert result["id"]
    assert [team["name"] for team in result["teams"]] == ["Test team"]
    assert result["metaFields"] == [{"name": META_FIELD, "value": "bar"}]
    expected = {
        "name": "Test", "budget": 1000, "timeBudget": 100000, "budgetType": None, "number": "1",
        "comment": "Test comment", "company": "Test", "vatId": None, "contact": "Test", "address": "Test",
        "addressLine1": None, "addressLine2": None, "addressLine3": None, "postCode": None, "city": None,
        "country": "DE", "currency": "EUR", "phone": "111", "fax": "222", "mobile": "333",
        "email": "test@example.com", "homepage": None, "timezone": "Europe/Berlin", "language": "en",
        "invoiceEmail": None, "buyerReference": None, "color": None, "color-safe": "#5319e7",
        "visible": True, "billable": True,
    }
    assert {key: result[key] for key in expected} == expected


def test_not_found(kimai):
    """Ports CustomerControllerTest::testNotFound (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request(f"/api/customers/{PHP_INT_MAX}", role="user"), 404, "Not Found")


def test_post_action(kimai):
    """Ports CustomerControllerTest::testPostAction (kimai/kimai@1f421c276)."""
    data = {
        "name": "foo", "budget": "999", "timeBudget": "10,25", "budgetType": "month", "number": "C-754",
        "comment": "Awesome customer since a long time", "company": "IT Professional Comp.", "vatId": "DE0123456789",
        "contact": "Mr. John Doe", "addressLine1": "test address line 1", "addressLine2": "foo address line 2",
        "addressLine3": "bar address line 3", "postCode": "12345", "city": "Acme Town", "country": "DE",
        "language": "de", "currency": "EUR", "phone": "666667787778999909087", "fax": "0987654321",
        "mobile": "01234534567890", "email": "admin@example.com", "homepage": "https://www.example.com/",
        "timezone": "Europe/Berlin", "invoiceText": "Some random text, pay fast please!",
        "invoiceEmail": "invoice@example.com", "buyerReference": "REF-0123456789", "color": "#ff0000",
        "visible": True, "billable": True, "teams": [1],
    }
    response = kimai.request("/api/customers", "POST", json=data)
    assert response.ok, response.text[:300]
    result = response.json()
    assert_structure(CUSTOMER_ENTITY, result)
    assert result["id"]
    assert result["teams"] == [{"id": 1, "name": "Test team", "color": None, "color-safe": "#03A9F4"}]
    assert result["metaFields"] == []
    assert float(result["budget"]) == 999 and int(result["timeBudget"]) == 36900
    assert result["address"] is None
    skipped = {"budget", "timeBudget", "teams", "invoiceText"}
    assert {k: result[k] for k in data if k not in skipped} == {k: v for k, v in data.items() if k not in skipped}


def test_post_action_with_least_fields(kimai):
    """Ports CustomerControllerTest::testPostActionWithLeastFields (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers", "POST", json={"name": "foo"})
    assert response.ok
    result = response.json()
    assert_structure(CUSTOMER_ENTITY, result)
    assert result["id"] and result["number"] == "0003" and result["name"] == "foo"
    assert result["billable"] is True and result["visible"] is True


def test_post_action_with_invalid_user(kimai):
    """Ports CustomerControllerTest::testPostActionWithInvalidUser (kimai/kimai@1f421c276)."""
    data = {"name": "foo", "visible": True, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert_access_denied(kimai.request("/api/customers", "POST", role="user", json=data))


def test_post_action_with_invalid_data(kimai):
    """Ports CustomerControllerTest::testPostActionWithInvalidData (kimai/kimai@1f421c276)."""
    data = {"name": "foo", "visible": True, "country": "XYZ", "currency": "---", "timezone": "foo/bar",
            "unexpected": "field"}
    assert_validation_error(kimai.request("/api/customers", "POST", json=data), ["country", "currency", "timezone"], True)


def test_patch_action(kimai):
    """Ports CustomerControllerTest::testPatchAction (kimai/kimai@1f421c276)."""
    data = {"name": "foo", "comment": "", "visible": True, "country": "DE", "currency": "EUR",
            "timezone": "Europe/Berlin", "budget": "999", "timeBudget": "7200"}
    response = kimai.request("/api/customers/1", "PATCH", json=data)
    assert response.ok, response.text[:300]
    result = response.json()
    assert_structure(CUSTOMER_ENTITY, result)
    assert result["id"]


def test_patch_action_with_invalid_user(kimai):
    """Ports CustomerControllerTest::testPatchActionWithInvalidUser (kimai/kimai@1f421c276)."""
    data = {"name": "foo", "comment": "", "visible": True, "country": "DE", "currency": "EUR", "timezone": "Europe/Berlin"}
    assert_access_denied(kimai.request("/api/customers/1", "PATCH", role="user", json=data))


def test_patch_action_with_unknown_activity(kimai):
    """Ports CustomerControllerTest::testPatchActionWithUnknownActivity (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/255", "PATCH", role="user", json={}), 404, "Not Found")


def test_invalid_patch_action(kimai):
    """Ports CustomerControllerTest::testInvalidPatchAction (kimai/kimai@1f421c276)."""
    data = {"name": "foo", "visible": True, "country": "DE", "currency": "XXX", "timezone": "Europe/Berlin"}
    response = kimai.request("/api/customers/1", "PATCH", json=data)
    assert response.status_code == 400
    assert_validation_error(response, ["currency"])


def test_meta_action_not_allowed(kimai):
    """Ports CustomerControllerTest::testMetaActionNotAllowed (kimai/kimai@1f421c276)."""
    assert_access_denied(kimai.request("/api/customers/1/meta", "PATCH", role="user", json={"name": "asdasd"}))


def test_meta_action_throws_not_found(kimai):
    """Ports CustomerControllerTest::testMetaActionThrowsNotFound (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/42/meta", "PATCH", json={}), 404, "Not Found")


@pytest.mark.parametrize(("upstream", "body"), [("testMetaActionThrowsExceptionOnMissingName", {"value": "X"}),
                                                ("testMetaActionThrowsExceptionOnMissingValue", {"name": "X"})])
def test_meta_action_incomplete(kimai, upstream, body):
    """Ports CustomerControllerTest::testMetaActionThrowsExceptionOnMissingName and
    ::testMetaActionThrowsExceptionOnMissingValue (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/1/meta", "PATCH", json=body), 400, "Bad Request")


def test_meta_action_throws_exception_on_missing_metafield(kimai):
    """Ports CustomerControllerTest::testMetaActionThrowsExceptionOnMissingMetafield (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1/meta", "PATCH", json={"name": "X", "value": "Y"})
    assert_api_exception(response, 404, "Not Found")


def test_meta_action(kimai):
    """Ports CustomerControllerTest::testMetaAction (kimai/kimai@1f421c276), with the configured meta-field."""
    response = kimai.request("/api/customers/1/meta", "PATCH", json={"name": META_FIELD, "value": "another,testing,bar"})
    assert response.ok
    stored = kimai.simulator.customers.get(1)["metaFields"]
    assert {"name": META_FIELD, "value": "another,testing,bar"} in stored


def test_delete_is_secure(kimai):
    """Ports CustomerControllerTest::testDeleteIsSecure (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/1", "DELETE", role=None), 401, "Unauthorized")


def test_delete_action_with_unknown_timesheet(kimai):
    """Ports CustomerControllerTest::testDeleteActionWithUnknownTimesheet (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request(f"/api/customers/{PHP_INT_MAX}", "DELETE"), 404, "Not Found")


def test_delete_entity_is_secure(kimai):
    """Ports CustomerControllerTest::testDeleteEntityIsSecure (kimai/kimai@1f421c276)."""
    assert_access_denied(kimai.request("/api/customers/1", "DELETE", role="user"))


def test_delete_action_without_authorization(kimai):
    """Ports CustomerControllerTest::testDeleteActionWithoutAuthorization (kimai/kimai@1f421c276)."""
    second = kimai.simulator.seed_customer({"name": "baaaaar", "country": "RU", "timezone": "Europe/Moscow"})
    assert_access_denied(kimai.request(f"/api/customers/{second['id']}", "DELETE", role="teamlead"))


def test_delete_action(kimai):
    """Ports CustomerControllerTest::testDeleteAction (kimai/kimai@1f421c276)."""
    first = kimai.simulator.seed_customer({"name": "foooo", "country": "DE", "timezone": "Europe/Paris"})
    url = f"/api/customers/{first['id']}"
    result = kimai.request(url).json()
    assert_structure(CUSTOMER_ENTITY, result)
    response = kimai.request(f"/api/customers/{result['id']}", "DELETE")
    assert response.status_code == 204 and response.content == b""
    assert_api_exception(kimai.request(url), 404, "Not Found")


# --- RateControllerTestTrait (as CustomerControllerTest uses it) ---------------------------------
RATE_DATA = {"rate": 12.34, "internal_rate": 6.66, "is_fixed": False}


def test_add_rate_missing_entity_action(kimai):
    """Ports RateControllerTestTrait::testAddRateMissingEntityAction (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/99/rates", "POST", json={"user": 1, **RATE_DATA})
    assert_api_exception(response, 404, "Not Found")


def test_add_rate_missing_user_action(kimai):
    """Ports RateControllerTestTrait::testAddRateMissingUserAction (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1/rates", "POST", json={"user": 33, **RATE_DATA})
    assert response.status_code == 400
    assert_validation_error(response, ["user"])


def test_add_rate_action_with_invalid_user(kimai):
    """Ports RateControllerTestTrait::testAddRateActionWithInvalidUser (kimai/kimai@1f421c276)."""
    assert_access_denied(kimai.request("/api/customers/1/rates", "POST", role="user", json={"user": None, **RATE_DATA}))


def test_add_rate_action(kimai):
    """Ports RateControllerTestTrait::testAddRateAction (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1/rates", "POST", json={"user": None, **RATE_DATA})
    assert response.ok
    result = response.json()
    assert_rate_structure(result, None)
    assert result["id"] and result["rate"] == 12.34 and result["internalRate"] == 6.66 and result["isFixed"] is False


def test_add_fixed_rate_action(kimai):
    """Ports RateControllerTestTrait::testAddFixedRateAction (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1/rates", "POST", json={"user": 1, **RATE_DATA, "is_fixed": True})
    assert response.ok
    result = response.json()
    assert_rate_structure(result, 1)
    assert result["id"] and result["rate"] == 12.34 and result["internalRate"] == 6.66 and result["isFixed"] is True


def test_get_rates_empty_result(kimai):
    """Ports RateControllerTestTrait::testGetRatesEmptyResult (kimai/kimai@1f421c276)."""
    response = kimai.request("/api/customers/1/rates")
    assert response.ok and response.json() == []


def test_get_rates(kimai):
    """Ports RateControllerTestTrait::testGetRates (kimai/kimai@1f421c276)."""
    expected = kimai.import_test_rates(1)
    response = kimai.request("/api/customers/1/rates")
    assert response.ok
    result = response.json()
    assert len(result) == len(expected)
    for rate in result:
        assert_rate_structure(rate, None if rate["user"] is None else rate["user"]["id"])


def test_get_rates_entity_not_found(kimai):
    """Ports RateControllerTestTrait::testGetRatesEntityNotFound (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/99/rates"), 404, "Not Found")


def test_get_rates_is_secured(kimai):
    """Ports RateControllerTestTrait::testGetRatesIsSecured (kimai/kimai@1f421c276)."""
    assert_access_denied(kimai.request("/api/customers/1/rates", role="user"))


def test_delete_rate(kimai):
    """Ports RateControllerTestTrait::testDeleteRate (kimai/kimai@1f421c276)."""
    expected = kimai.import_test_rates(1)
    response = kimai.request(f"/api/customers/1/rates/{expected[0]['id']}", "DELETE")
    assert response.ok and response.content == b""
    result = kimai.request("/api/customers/1/rates").json()
    assert len(result) == len(expected) - 1


def test_delete_rate_entity_not_found(kimai):
    """Ports RateControllerTestTrait::testDeleteRateEntityNotFound (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/99/rates/1", "DELETE"), 404, "Not Found")


def test_delete_rate_rate_not_found(kimai):
    """Ports RateControllerTestTrait::testDeleteRateRateNotFound (kimai/kimai@1f421c276)."""
    assert_api_exception(kimai.request("/api/customers/1/rates/99", "DELETE"), 404, "Not Found")


def test_delete_rate_with_invalid_assignment(kimai):
    """Ports RateControllerTestTrait::testDeleteRateWithInvalidAssignment (kimai/kimai@1f421c276)."""
    kimai.import_test_rates(1)
    kimai.import_test_rates(2)
    assert_api_exception(kimai.request("/api/customers/2/rates/1", "DELETE"), 404, "Not Found")


def test_delete_not_allowed(kimai):
    """Ports RateControllerTestTrait::testDeleteNotAllowed (kimai/kimai@1f421c276)."""
    rate = kimai.import_test_rates(1)[0]
    assert_access_denied(kimai.request(f"/api/customers/1/rates/{rate['id']}", "DELETE", role="user"))
