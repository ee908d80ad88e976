"""Custom fields: values per field id, and each field's configured Mandatory, MaxLength and RegEx.

The configuration is read from the target (the update answer's CustomFields), so the checks hold
for whatever fields a live company has configured; a rule no field has is not applicable.
"""

from __future__ import annotations

import re

import pytest

from accord.checks import body_of, expect_json, expect_schema

CANDIDATES = ("12345", "B-123", "M", "accord", "1")


def valid_value(field: dict) -> str | None:
    options = [v.get("Value") for v in field.get("Values") or [] if isinstance(v, dict)]
    for value in (options or CANDIDATES):
        if (not field.get("MaxLength") or len(value) <= field["MaxLength"]) and (
                not field.get("RegEx") or re.search(field["RegEx"], value)):
            return value
    return None


@pytest.fixture(scope="module")
def config(client):
    """The run company's custom field configuration, from an update answer."""
    created = client.create_ok("custom fields")
    answer = body_of(client.update(created["Id"], {"Firstname": "Config"}))
    return created, answer.get("CustomFields") or []


def values_of(client, customer_id) -> dict:
    read = client.read(customer_id, IncludeCustomFieldValues=True) or {}
    return {v.get("Id"): v.get("Value") for v in read.get("CustomFieldValues") or []}


def field_with(config, rule) -> dict:
    fields = [f for f in config[1] if rule(f) and valid_value(f) is not None]
    if not fields:
        pytest.skip("not applicable: no custom field of the company has this rule")
    return fields[0]


def complete(config) -> list[dict]:
    """A valid value for every configured field (a mandatory one left out could be refused)."""
    return [{"Id": f["Id"], "Value": valid_value(f)} for f in config[1] if valid_value(f) is not None]


def refused_and_not_stored(client, config, field, value, message_key=None):
    customer, _ = config
    before = values_of(client, customer["Id"])
    sent = [{"Id": e["Id"], "Value": value} if e["Id"] == field["Id"] else e for e in complete(config)]
    response = client.update(customer["Id"], {"CustomFields": sent})
    assert response.status_code == 400, f"{field['Name']} = {value!r}: PUT answered {response.status_code}"
    if message_key and field.get(message_key):
        assert field[message_key] in response.text, (
            f"the refusal does not carry the configured {message_key} {field[message_key]!r}")
    after = values_of(client, customer["Id"])
    assert after == before, f"the refused update changed the stored values: {before} -> {after}"


@pytest.mark.clause("bokamera.custom-fields.update.values-per-id")
def test_values_stored_per_field_id(client, config):
    customer, fields = config
    if not fields:
        pytest.skip("not applicable: the company has no custom fields")
    sent = complete(config)
    expect_json(client.update(customer["Id"], {"CustomFields": sent}), 200)
    stored = values_of(client, customer["Id"])
    wrong = {e["Id"]: stored.get(e["Id"]) for e in sent if stored.get(e["Id"]) != e["Value"]}
    assert not wrong, f"values not stored under their field id (sent {sent}): read back {stored}"


@pytest.mark.clause("bokamera.custom-fields.update.mandatory-enforced")
def test_mandatory_field(client, config):
    refused_and_not_stored(client, config, field_with(config, lambda f: f.get("IsMandatory")), "", "MandatoryErrorMessage")


@pytest.mark.clause("bokamera.custom-fields.update.max-length-enforced")
def test_max_length(client, config):
    field = field_with(config, lambda f: f.get("MaxLength"))
    value = valid_value(field)
    too_long = (value * (field["MaxLength"] + 1))[: field["MaxLength"] + 1]
    refused_and_not_stored(client, config, field, too_long)


@pytest.mark.clause("bokamera.custom-fields.update.regex-enforced")
def test_regex(client, config):
    field = field_with(config, lambda f: f.get("RegEx"))
    value = next((v for v in ("x!", "!", "accord!") if not re.search(field["RegEx"], v)), None)
    if value is None:
        pytest.skip("not applicable: found no value the field's RegEx refuses")
    refused_and_not_stored(client, config, field, value, "RegExErrorMessage")


@pytest.mark.clause("bokamera.custom-fields.update.config-returned")
def test_configuration_returned(client, customer, contract):
    answer = expect_json(client.update(customer["Id"], {"Firstname": "Config"}), 200)
    fields = answer.get("CustomFields")
    assert isinstance(fields, list), f"the update answer carries no CustomFields configuration: {fields!r}"
    if not fields:
        pytest.skip("not applicable: the company has no custom fields configured")
    for index, field in enumerate(fields):
        expect_schema(contract, "CustomFieldConfigData.json", field, f"CustomFields[{index}]")
