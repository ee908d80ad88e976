"""Access keys: added with the update, and AccessKeysToDelete removes exactly the keys it names."""

from __future__ import annotations

import pytest

from accord.checks import expect_json

KEYS = [{"AccessKeyTypeId": 1, "Value": "accord-key-1", "Description": "first key"},
        {"AccessKeyTypeId": 1, "Value": "accord-key-2", "Description": "second key"}]


def shown(key: dict) -> tuple:
    return key.get("AccessKeyTypeId"), key.get("Value"), key.get("Description")


@pytest.mark.clause("bokamera.access-keys.update.added")
def test_access_key_added(client, customer):
    answer = expect_json(client.update(customer["Id"], {"AccessKeys": KEYS[:1]}), 200)
    keys = [shown(k) for k in answer.get("AccessKeys") or []]
    assert shown(KEYS[0]) in keys, f"the answer's AccessKeys {keys} lack the key sent {shown(KEYS[0])}"


@pytest.mark.clause("bokamera.access-keys.update.delete-named")
def test_access_keys_to_delete_removes_only_the_named(client, customer):
    added = expect_json(client.update(customer["Id"], {"AccessKeys": KEYS}), 200).get("AccessKeys") or []
    ids = {k.get("Value"): k.get("Id") for k in added}
    if not all(ids.get(k["Value"]) for k in KEYS):
        pytest.fail(f"the keys added come back without their Id: {added}")
    doomed, kept = ids[KEYS[0]["Value"]], ids[KEYS[1]["Value"]]
    left = expect_json(client.update(customer["Id"], {"AccessKeysToDelete": [{"Id": doomed}]}), 200).get("AccessKeys") or []
    left_ids = {k.get("Id") for k in left}
    assert doomed not in left_ids, "the key named in AccessKeysToDelete is still there"
    assert kept in left_ids, "AccessKeysToDelete removed a key it did not name"
