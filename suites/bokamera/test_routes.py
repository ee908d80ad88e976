"""ServiceStack's predefined routes: every operation answers on /api/{Dto} and /json/reply/{Dto} as on its custom route."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json

CLAUSE = {"api": "bokamera.routes.any.api-route", "json-reply": "bokamera.routes.any.json-reply-route"}


def life_cycle(client, contract, route: str, verify) -> None:
    clause = CLAUSE[route]
    with verify.clause(clause):
        created = expect_json(client.create(client.new_body(f"{route} route"), route=route), 200, contract,
                              "UpdateCustomerResponse.json")
        customer_id = created["Id"]
    with verify.clause(clause):
        listed = expect_json(client.query(route=route, CustomerId=customer_id), 200, contract, "CustomerQueryPage.json")
        assert [r.get("Id") for r in listed.get("Results") or []] == [customer_id], f"CustomerQuery listed {listed}"
    with verify.clause(clause):
        updated = expect_json(client.update(customer_id, {"Firstname": "Routed"}, route=route), 200, contract,
                              "CustomerQueryResponse.json")
        assert updated.get("Id") == customer_id and updated.get("Firstname") == "Routed", f"the update answered {updated}"
        assert (client.read(customer_id) or {}).get("Firstname") == "Routed", "the update was not stored"
    with verify.clause(clause):
        deleted = expect_json(client.delete(customer_id, route=route), 200)
        assert deleted.get("Id") == customer_id, f"the delete answered {deleted}"
        assert client.read(customer_id) is None, "the customer is still listed after the delete"


@pytest.mark.clause("bokamera.routes.any.api-route")
def test_api_route(client, contract, verify):
    life_cycle(client, contract, "api", verify)


@pytest.mark.clause("bokamera.routes.any.json-reply-route")
def test_json_reply_route(client, contract, verify):
    life_cycle(client, contract, "json-reply", verify)


@pytest.mark.clause("bokamera.requests.any.property-names-case-insensitive")
def test_camel_case_names_bind(client, customer):
    """camelCase, as ServiceStack's own clients send it, on the route its Python client uses."""
    expect_json(client.update(customer["Id"], {"firstname": "Camel", "phone": "+46 8 111 222"}, route="api"), 200)
    read = client.read(customer["Id"]) or {}
    assert (read.get("Firstname"), read.get("Phone")) == ("Camel", "+46 8 111 222"), f"camelCase names were not bound: {read}"
    assert body_of(client.query(CustomerId=customer["Id"]))["Total"] == 1
