"""What holds for every answer (Success and Failure Output of 11.1-11.6): the error envelope with the
documented code for its status, JSON labelled as JSON, no server error, the Customer schema, hrefs."""

from __future__ import annotations

import pytest

from accord.checks import describe, expect_json, expect_schema, is_json_content_type
from accord.vendors.valomnia.expect import customer_in, ids_of

CODES = {400: {"invalid_param", "invalid_datetime_format", "invalid_param_type", "missing_param", "not_unique", "save_failed",
               "exceeded_file_size", "unsupported_file_type", "delete_failed"}, 404: {"not_found"}, 500: {"server_error"}}
NESTED = ("customerCategory", "customerSegmentation", "createdBy", "region", "parentCustomer")


def failures(client, read_only: bool) -> list:
    """One failure answer of each kind a client provokes without writing, and with writes a refused create."""
    answers = [client.list(dateCreated_gta="2015-12-17T23:00:00Z"), client.list(max="many"),
               client.list(dateCreated_gt="yesterday"), client.show(client.absent_customer_id())]
    if not read_only:
        answers.append(client.create({"reference": client.reference(), "name": ""}))
    return answers


@pytest.mark.clause("valomnia.responses.error-envelope")
def test_failures_carry_the_envelope(client, contract, verify, run_state):
    for response in failures(client, run_state.read_only):
        if response.status_code < 400:
            continue  # not refused at all: the clause of that refusal says so
        with verify.clause("valomnia.responses.error-envelope"):
            assert response.status_code in CODES, f"{describe(response)} answered {response.status_code}"
            body = expect_json(response, response.status_code, contract, "Error.json")
            assert body["error"] in CODES[response.status_code], (
                f"{describe(response)}: error {body['error']!r} is not a documented {response.status_code} code")


@pytest.mark.clause("valomnia.responses.json-content-type")
def test_json_is_labelled_json(client, readable, verify):
    for response in (client.list(max=1), client.show(readable["id"]), client.show(client.absent_customer_id())):
        with verify.clause("valomnia.responses.json-content-type"):
            kind = response.headers.get("Content-Type")
            assert is_json_content_type(response), f"{describe(response)} answered {response.status_code} as {kind!r}"


@pytest.mark.clause("valomnia.responses.no-server-error")
@pytest.mark.parametrize("params", [{"name": ""}, {"reference": ""}, {"categoryReference": ""}, {"isActive": ""},
                                    {"dateCreated_gt": ""}, {"sort": "name", "order": "desc", "max": 0}], ids=str)
def test_allowed_requests_never_fail_the_server(client, params):
    response = client.list(**params)
    assert response.status_code < 500, f"{describe(response)} answered {response.status_code}"


@pytest.fixture(scope="module")
def every_answer(client, full_customer):
    """The full customer as create, show, list, update and upsert answer it."""
    created, read = full_customer
    listed = expect_json(client.list(reference=created["reference"]), 200)
    updated = customer_in(client.update(created["id"], {"comment": "schema check"}), 200, 201)
    upserted = client.upsert(created["reference"], {"comment": "schema check, upserted"})
    answers = {"create": created, "show": read, "update": updated, "upsert": customer_in(upserted, 200, 201)}
    answers.update({f"list item {i}": item for i, item in enumerate(listed.get("data") or [])})
    return answers


@pytest.fixture(scope="module")
def full_customer(client, target):
    """A customer with every reference the target names (category, segmentation, payment types, region)."""
    settings = target.settings
    form = {"reference": client.reference("schema"), "name": f"{client.tag} schema", "creditLimit": 1500.25,
            "dueDateConfigType": "2", "dueDateConfigNumber": 15}
    for field, setting in (("categoryId", "CATEGORY_ID"), ("customerSegmentationId", "SEGMENTATION_ID"),
                           ("userId", "USER_ID"), ("regionId", "REGION_ID")):
        if settings.get(setting):
            form[field] = settings[setting]
    if settings.get("PAYMENT_TYPE_IDS"):
        form["paymentTypes"] = [{"id": int(i)} for i in settings["PAYMENT_TYPE_IDS"].split(",")]
    created = client.create_ok(**form)
    return created, customer_in(client.show(created["id"]))


@pytest.mark.clause("valomnia.responses.schema-conformance")
def test_every_customer_answer_has_the_documented_fields(every_answer, contract, verify):
    assert ids_of(list(every_answer.values())), "no customer answer to check"
    for label, body in every_answer.items():
        with verify.clause("valomnia.responses.schema-conformance"):
            expect_schema(contract, "Customer.json", body, label)


@pytest.mark.clause("valomnia.responses.nested-href")
def test_nested_resources_carry_href(every_answer, client, verify):
    base_path = client.api_path  # /api/<version>
    for label, body in every_answer.items():
        nested = [(name, body.get(name)) for name in NESTED] + [("paymentTypes[]", p) for p in body.get("paymentTypes") or []]
        for name, value in nested:
            if not isinstance(value, dict):
                continue
            with verify.clause("valomnia.responses.nested-href"):
                href = value.get("href")
                assert isinstance(href, str) and base_path + "/" in href, (
                    f"{label}: {name} has href {href!r}, not a link under {base_path}/")
