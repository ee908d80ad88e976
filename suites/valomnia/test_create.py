"""POST /customers (11.3): both form encodings, every parameter read back, and each documented refusal."""

from __future__ import annotations

import json
import secrets

import pytest

from accord.checks import body_of, expect_json, expect_status
from accord.vendors.valomnia.expect import customer_in, expect_error, ids_of, read_back_differences

FULL_FORM = {
    "reference2": "R2-accord", "barcode": "3760123456789", "isActive": True, "billWithParent": False, "isSameAddress": False,
    "billingCountry": "FR", "billingCity": "Nice", "billingPostalCode": "06000", "billingAddress": "1 Promenade des Anglais",
    "billingLat": 43.695, "billingLng": 7.265, "country": "TN", "city": "Sousse", "postalCode": "4000",
    "address": "  12 rue de la Plage  ", "latitude": 35.8256, "longitude": 10.636, "email": "billing@example.com",
    "phone": "+216 73 000 000", "mobile": "+216 98 000 000", "fax": "+216 73 000 001", "comment": "a customer of the accord run",
    "website": "https://example.com", "creditLimit": 5000.5, "dueDateConfigNumber": 30, "dueDateConfigType": "1",
    "taxNumber": "TN-123456", "companyRegistrationNumber": "B123456", "customerRisk": "low", "customerRiskColor": "#1BE9D8",
    "onHold": True, "onHoldReason": "accord check",
}
NOT_READ_BACK_AS_SENT = {"dueDateConfigType", "paymentTypes", "categoryId", "customerSegmentationId", "userId", "regionId"}


def payment_types(ids: str) -> str:
    return json.dumps([{"id": int(i)} for i in ids.split(",") if i.strip()])


@pytest.fixture(scope="module")
def full(client, target):
    """Every documented parameter, the reference data the target names included; (form, answer, read)."""
    settings = target.settings
    form = {"reference": client.reference("full"), "name": f"{client.tag} full form", **FULL_FORM}
    for field, setting in (("categoryId", "CATEGORY_ID"), ("customerSegmentationId", "SEGMENTATION_ID"),
                           ("userId", "USER_ID"), ("currency", "CURRENCY"), ("regionId", "REGION_ID")):
        if settings.get(setting):
            form[field] = settings[setting]
    if settings.get("PAYMENT_TYPE_IDS"):
        form["paymentTypes"] = payment_types(settings["PAYMENT_TYPE_IDS"])
    response = client.create(form)
    created = expect_json(response, 201) if response.status_code == 201 else expect_json(response, 200)
    read = customer_in(client.show(created["id"]))
    return form, created, read


@pytest.mark.clause("valomnia.customers.create.returns-201", "valomnia.customers.create.form-urlencoded")
def test_create_answers_201_with_the_customer(client, verify):
    form = {"reference": client.reference("form"), "name": f"{client.tag} url-encoded form"}
    response = client.create(form)
    with verify.clause("valomnia.customers.create.form-urlencoded"):
        assert 200 <= response.status_code < 300, (
            f"an url-encoded create answered {response.status_code}: {response.text[:200]!r}")
    with verify.clause("valomnia.customers.create.returns-201"):
        body = expect_json(response, 201)
        assert isinstance(body.get("id"), int) and body["id"] > 0, f"expected a server-assigned id, got {body.get('id')!r}"
    if 200 <= response.status_code < 300:
        with verify.clause("valomnia.customers.create.form-urlencoded"):
            body = body_of(response)
            assert body.get("reference") == form["reference"] and body.get("name") == form["name"], (
                f"the url-encoded parameters were not applied: {body.get('reference')!r}, {body.get('name')!r}")


@pytest.mark.clause("valomnia.customers.create.multipart")
def test_create_takes_multipart(client):
    form = {"reference": client.reference("multipart"), "name": f"{client.tag} multipart form", "city": "Monastir"}
    response = client.create(form, encoding="multipart")
    assert response.status_code in (200, 201), f"a multipart create answered {response.status_code}: {response.text[:200]!r}"
    body = body_of(response)
    assert not read_back_differences(form, body), "; ".join(read_back_differences(form, body))


@pytest.mark.clause("valomnia.customers.create.read-back")
def test_every_parameter_reads_back(full):
    form, created, read = full
    sent = {k: v for k, v in form.items() if k not in NOT_READ_BACK_AS_SENT}
    for label, body in (("the create answer", created), ("GET /customers/{id}", read)):
        problems = read_back_differences(sent, body)
        assert not problems, f"{label} differs from the form: " + "; ".join(problems)


@pytest.mark.clause("valomnia.customers.create.due-date-type")
def test_due_date_type_reads_back_by_name(full):
    _, created, read = full
    for body in (created, read):
        assert body.get("dueDateConfigType") == "daysAfterInvoiceDate" and body.get("dueDateConfigNumber") == 30, (
            f"dueDateConfigType=1, dueDateConfigNumber=30 read back as {body.get('dueDateConfigType')!r}, "
            f"{body.get('dueDateConfigNumber')!r}")


@pytest.mark.clause("valomnia.customers.create.payment-types")
def test_payment_types_read_back(full, setting):
    wanted = sorted(int(i) for i in setting("PAYMENT_TYPE_IDS").split(","))
    _, created, read = full
    for body in (created, read):
        got = sorted(p.get("id") for p in body.get("paymentTypes") or [] if isinstance(p, dict))
        assert got == wanted, f"paymentTypes {wanted} read back as {got}"


@pytest.mark.clause("valomnia.customers.create.references-resolved")
def test_references_resolved(full, base, setting, verify):
    category, segmentation, user = setting("CATEGORY_ID"), setting("SEGMENTATION_ID"), setting("USER_ID")
    _, created, _ = full
    with verify.clause("valomnia.customers.create.references-resolved"):
        assert str((created.get("customerCategory") or {}).get("id")) == category, (
            f"categoryId={category} read back as customerCategory {created.get('customerCategory')!r}")
        assert created.get("categoryReference") == created["customerCategory"].get("reference"), "categoryReference differs"
    with verify.clause("valomnia.customers.create.references-resolved"):
        seg = created.get("customerSegmentation") or {}
        assert str(seg.get("id")) == segmentation and created.get("customerSegmentationReference") == seg.get("reference"), (
            f"customerSegmentationId={segmentation} read back as {seg!r}")
    with verify.clause("valomnia.customers.create.references-resolved"):
        assert str((created.get("createdBy") or {}).get("userId")) == user, (
            f"userId={user} read back as createdBy {created.get('createdBy')!r}")
    with verify.clause("valomnia.customers.create.references-resolved"):
        assert base.get("customerCategory") and base.get("categoryReference"), (
            f"without categoryId the customer is in no category: {base.get('customerCategory')!r}")


@pytest.mark.clause("valomnia.customers.create.region")
def test_region_reads_back(full, setting):
    region = setting("REGION_ID")
    _, created, read = full
    for body in (created, read):
        got = body.get("region") or {}
        assert str(got.get("id")) == region and got.get("name") and got.get("href"), f"regionId={region} read back as {got!r}"


@pytest.mark.clause("valomnia.customers.create.defaults")
def test_defaults(base):
    expected = {"isActive": True, "isSubCustomer": False, "billWithParent": False, "isSameAddress": True, "onHold": False}
    wrong = [f"{k}: {base.get(k)!r}, expected {v!r}" for k, v in expected.items() if base.get(k) is not v]
    currency = base.get("currency")
    if not (isinstance(currency, str) and len(currency) == 3):
        wrong.append(f"currency: {currency!r}, expected the organisation's currency code")
    assert not wrong, "a customer created with reference and name only: " + "; ".join(wrong)


@pytest.mark.clause("valomnia.customers.create.reference-required")
@pytest.mark.parametrize("reference", [None, "   "], ids=["left out", "blank"])
def test_reference_required(client, reference):
    form = {"name": f"{client.tag} no reference", **({} if reference is None else {"reference": reference})}
    expect_error(client.create(form, untagged=True), 400, "missing_param")


@pytest.mark.clause("valomnia.customers.create.name-required")
@pytest.mark.parametrize("name", [None, "  "], ids=["left out", "blank"])
def test_name_required(client, name):
    form = {"reference": client.reference("no-name"), **({} if name is None else {"name": name})}
    expect_error(client.create(form), 400, "missing_param")


@pytest.mark.clause("valomnia.customers.create.reference-unique")
def test_reference_unique(client, base):
    expect_error(client.create({"reference": base["reference"], "name": f"{client.tag} duplicate"}), 400, "not_unique")
    listed = expect_json(client.list(reference=base["reference"]), 200)
    assert ids_of(listed) == [base["id"]], f"reference {base['reference']} is held by {ids_of(listed)}"


@pytest.mark.clause("valomnia.customers.create.due-date-number-required")
def test_due_date_number_required(client):
    form = {"reference": client.reference(), "name": f"{client.tag} due date", "dueDateConfigType": "1"}
    expect_error(client.create(form), 400, "missing_param")


@pytest.mark.clause("valomnia.customers.create.parent-required")
def test_parent_required(client):
    form = {"reference": client.reference(), "name": f"{client.tag} orphan", "isSubCustomer": True}
    expect_error(client.create(form), 400, "missing_param")


@pytest.mark.clause("valomnia.customers.create.parent-must-exist")
def test_parent_must_exist(client):
    form = {"reference": client.reference(), "name": f"{client.tag} unknown parent", "isSubCustomer": True,
            "parentCustomer": client.absent_customer_id()}
    expect_error(client.create(form), 404, "not_found")


@pytest.mark.clause("valomnia.customers.create.sub-customer", "valomnia.customers.delete.delete-failed")
def test_sub_customer_and_its_parent(client, verify, run_state):
    parent = client.create_ok(name=f"{client.tag} parent")
    child = client.create_ok(name=f"{client.tag} child", isSubCustomer=True, parentCustomer=parent["id"])
    with verify.clause("valomnia.customers.create.sub-customer"):
        assert child.get("isSubCustomer") is True and (child.get("parentCustomer") or {}).get("id") == parent["id"], (
            f"expected a sub-customer of {parent['id']}, got isSubCustomer {child.get('isSubCustomer')!r}, "
            f"parentCustomer {child.get('parentCustomer')!r}")
    with verify.clause("valomnia.customers.delete.delete-failed"):
        expect_error(client.delete(parent["id"]), 400, "delete_failed")
        expect_status(client.show(parent["id"]), 200)


@pytest.mark.clause("valomnia.customers.create.payment-type-must-exist")
def test_unknown_payment_type(client):
    form = {"reference": client.reference(), "name": f"{client.tag} payment", "paymentTypes": '[{"id": 2000000000}]'}
    expect_error(client.create(form), 404, "not_found")


@pytest.mark.clause("valomnia.customers.create.payment-type-id-type")
def test_payment_type_id_type(client):
    form = {"reference": client.reference(), "name": f"{client.tag} payment", "paymentTypes": '[{"id": "cash"}]'}
    expect_error(client.create(form), 400, "invalid_param_type")


@pytest.mark.clause("valomnia.customers.create.currency-configured")
def test_currency_must_be_configured(client, target, verify):
    codes = ["QQQ"] + ([target.settings["UNCONFIGURED_CURRENCY"]] if target.settings.get("UNCONFIGURED_CURRENCY") else [])
    for code in codes:
        with verify.clause("valomnia.customers.create.currency-configured"):
            form = {"reference": client.reference(), "name": f"{client.tag} currency", "currency": code}
            expect_error(client.create(form), 404, "not_found")


@pytest.mark.clause("valomnia.customers.create.references-must-exist")
@pytest.mark.parametrize("field", ["categoryId", "customerSegmentationId", "userId"])
def test_references_must_exist(client, field):
    form = {"reference": client.reference(), "name": f"{client.tag} unknown {field}", field: 2000000000}
    expect_error(client.create(form), 404, "not_found")


@pytest.mark.clause("valomnia.customers.create.save-failed")
def test_long_text_refused(client):
    form = {"reference": client.reference(), "name": f"{client.tag} " + "x" * 256}
    expect_error(client.create(form), 400, "save_failed")


@pytest.mark.clause("valomnia.customers.create.readonly-ignored")
def test_readonly_fields_ignored(client, base):
    sent = {"id": 2000000000, "dateCreated": "2001-01-01T00:00:00Z", "lastUpdated": "2001-01-01T00:00:00Z",
            "createdBy": 1}
    created = client.create_ok(name=f"{client.tag} readonly", **sent)
    assert created["id"] != sent["id"], "the id sent on create was used"
    assert created.get("dateCreated") != sent["dateCreated"], "the dateCreated sent on create was stored"
    assert created.get("dateCreated") == created.get("lastUpdated"), (
        f"a new customer: dateCreated {created.get('dateCreated')!r} differs from lastUpdated {created.get('lastUpdated')!r}")


@pytest.mark.clause("valomnia.customers.create.listed")
def test_created_customer_is_listed(client):
    created = client.create_ok(name=f"{client.tag} listed")
    listed = expect_json(client.list(reference=created["reference"]), 200)
    assert ids_of(listed) == [created["id"]], f"customer {created['id']} is not listed under its reference: {ids_of(listed)}"


@pytest.mark.clause("valomnia.customers.create.external-ids")
def test_external_ids(client):
    """A parent whose reference is, for a moment, all digits: read as an id it names no customer, read
    as a reference it names the parent. The parent is created with the run tag (so the run owns it)
    and gets its tagged reference back at the end."""
    parent = client.create_ok(name=f"{client.tag} external parent")
    numeric = "9" + "".join(secrets.choice("0123456789") for _ in range(15))
    customer_in(client.update(parent["id"], {"reference": numeric}), 200, 201)
    try:
        child = client.create({"reference": client.reference(), "name": f"{client.tag} external child",
                               "useExternalId": True, "isSubCustomer": True, "parentCustomer": numeric})
        assert child.status_code in (200, 201), (
            f"useExternalId=true with the parent's reference answered {child.status_code}: {child.text[:200]!r}")
        got = body_of(child).get("parentCustomer") or {}
        assert got.get("id") == parent["id"], f"parentCustomer={numeric} with useExternalId=true read as {got!r}"
    finally:
        client.update(parent["id"], {"reference": parent["reference"]})
