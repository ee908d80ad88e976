"""ServiceStack's error body on 400/401/403/404, and how requests are bound (types, names, malformed JSON)."""

from __future__ import annotations

import pytest

from accord.checks import body_of, expect_json, expect_schema


def error_shape(contract, response, status: int) -> dict:
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.text[:200]!r}"
    body = body_of(response)
    expect_schema(contract, "ErrorResponse.json", body, f"the {status} answer")
    return body


@pytest.mark.clause("bokamera.errors.any.response-status")
def test_error_bodies_carry_response_status(client, target, contract, verify, run_state):
    """A read-only run sends no write, so it sees the 401 only."""
    with verify.clause("bokamera.errors.any.response-status"):
        no_token = target.session({"API_KEY": target.credentials["API_KEY"]})
        error_shape(contract, no_token.get("/customers", params={"Take": 1}), 401)
    if run_state.read_only:
        return
    with verify.clause("bokamera.errors.any.response-status"):
        error_shape(contract, client.create({"Lastname": client.tagged("no first name")}), 400)
    with verify.clause("bokamera.errors.any.response-status"):
        error_shape(contract, client.update(client.absent_id("customer"), {"Firstname": "x"}), 404)
    if target.credentials.get("USER_TOKEN"):  # a 403 needs a caller without a role
        with verify.clause("bokamera.errors.any.response-status"):
            user = target.session({"API_KEY": target.credentials["API_KEY"], "TOKEN": target.credentials["USER_TOKEN"]})
            error_shape(contract, client.create(client.new_body("403 probe"), session=user), 403)


@pytest.mark.clause("bokamera.errors.any.validation-errors-list")
def test_validation_errors_name_the_field(client, contract, verify):
    with verify.clause("bokamera.errors.any.validation-errors-list"):
        body = error_shape(contract, client.create({"Lastname": client.tagged("no first name"), "Phone": "+46 8 1"}), 400)
        errors = body["ResponseStatus"].get("Errors") or []
        assert any(e.get("FieldName") == "Firstname" and e.get("Message") for e in errors), (
            f"Errors does not name Firstname with a message: {errors}")


@pytest.mark.clause("bokamera.requests.any.malformed-body-rejected")
def test_malformed_body(client, customer):
    response = client.update_raw(customer["Id"], b'{"Firstname": "unterminated')
    assert response.status_code == 400, f"a body that is not JSON answered {response.status_code}"


@pytest.mark.clause("bokamera.requests.any.unknown-properties-ignored")
def test_unknown_property_ignored(client, customer):
    expect_json(client.update(customer["Id"], {"Firstname": "Unknown ignored", "accordUnexpectedField": "x"}), 200)
    assert (client.read(customer["Id"]) or {}).get("Firstname") == "Unknown ignored", "the update was not served as without it"
