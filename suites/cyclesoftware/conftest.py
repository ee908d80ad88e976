"""CycleSoftware fixtures: the few customers a run creates, shared by every test that only reads them.

No delete is documented, so each customer stays on the target after the run (tagged, listed for
manual removal). Four are enough: two that tell every find.json filter apart (``findable``), one
created from the documented create example (``created``) and one the update checks change
(``mutable``). Each is made on first use, so a run of a single clause creates only what it needs.
"""

from __future__ import annotations

import copy
import secrets
import time
from dataclasses import dataclass
from typing import Any

import pytest

from accord.checks import body_of
from accord.vendors.cyclesoftware.scenarios import READONLY_CREATED


@dataclass
class Findable:
    word: str  # a word only these two customers carry in their names
    a: dict[str, Any]  # as created (the answer)
    b: dict[str, Any]
    sent_a: dict[str, Any]
    sent_b: dict[str, Any]

    @property
    def ids(self) -> set[int]:
        return {self.a["customer_id"], self.b["customer_id"]}


def _digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def make_findable(client: Any) -> Findable:
    """Two customers that differ in every field a find.json filter reads, with values no other
    customer has (random per run): B's house number starts with A's, B's e-mail contains A's."""
    word = "w" + secrets.token_hex(4)
    postcode, house = f"{_digits(4)}", f"{secrets.randbelow(900) + 100}"
    letters = "".join(secrets.choice("abcdefghjkmnpqrstuvwxyz") for _ in range(3))
    mob_a, tel_b, extra_b = _digits(8), _digits(7), _digits(7)
    sent_a = {
        "customer_type_name": "Werkgever", "postcode": f"{postcode}QA", "house_number": house,
        "house_number_postfix": f"q{letters}", "email": f"{word}@example.com", "country_code_iso_3166": "LU",
        "first_name": "Anna", "insertion": "van", "company_name": f"Alpha {word} BV", "name": client.tagged(f"{word} Alpha"),
        "phone_numbers": [{"phone_number_id": "mob", "phone_number": f"06 {mob_a[:4]} {mob_a[4:]}", "name": "Anna"},
                          {"phone_number_id": "tel", "phone_number": "", "name": "Anna"}],
    }
    sent_b = {
        "customer_type_name": "Leverancier", "postcode": f"{postcode}QB", "house_number": house + "2",
        "house_number_postfix": f"r{letters}", "email": f"x{word}@example.com", "country_code_iso_3166": "BE",
        "first_name": "Bert", "insertion": "", "company_name": f"Beta {word}", "name": client.tagged(f"{word} Beta"),
        "phone_numbers": [{"phone_number_id": "mob", "phone_number": "", "name": "Bert"},
                          {"phone_number_id": "tel", "phone_number": f"073 {tel_b[:3]} {tel_b[3:]}", "name": "Bert"},
                          {"phone_number_id": "714253", "phone_number": f"+31 6 {extra_b}", "name": "Extra 1"}],
    }
    return Findable(word, client.create_ok(**copy.deepcopy(sent_a)), client.create_ok(**copy.deepcopy(sent_b)),
                    sent_a, sent_b)


@dataclass
class Created:
    """The documented create request (tagged), with readonly fields that must be ignored."""

    sent: dict[str, Any]
    response: Any
    absent_id: int

    @property
    def body(self) -> Any:
        return body_of(self.response)

    @property
    def customer_id(self) -> Any:
        return self.body.get("customer_id") if isinstance(self.body, dict) else None


def make_created(client: Any, contract: Any) -> Created:
    absent = client.absent_customer_id()
    sent = copy.deepcopy(contract.examples("CustomerWrite.json")[0])  # CustomerWrite.create-request.json
    sent.update({"name": client.tagged(sent["name"]), "customer_id": absent, "datetime_created": READONLY_CREATED})
    for phone in sent["phone_numbers"]:
        phone["customer_id"] = absent
    return Created(sent, client.create(sent), absent)


@dataclass
class Mutable:
    customer: dict[str, Any]
    created_at: float  # time.monotonic() of its create answer


@pytest.fixture
def findable(client) -> Findable:
    return client.shared("findable", lambda: make_findable(client))


@pytest.fixture
def created(client, contract) -> Created:
    return client.shared("created", lambda: make_created(client, contract))


@pytest.fixture
def mutable(client) -> Mutable:
    """The customer the update checks change (never one another test reads for its values)."""
    return client.shared("mutable", lambda: Mutable(
        client.create_ok(name="mutable", first_name="Mia", city="Startstad", discount_percentage=0), time.monotonic()))


@pytest.fixture
def created_id(created) -> int:
    if not isinstance(created.customer_id, int):
        pytest.fail(f"the create answered no integer customer_id: {created.response.status_code} {created.body!r}")
    return created.customer_id


def pytest_collection_modifyitems(session, config, items) -> None:
    """The limit check last: the 429s it provokes would hold up every check after it for a minute."""
    last = [item for item in items if item.nodeid.endswith("test_limit_enforced.py::test_limit_enforced")]
    items[:] = [item for item in items if item not in last] + last
