"""KORONA.cloud's customer operations as calls; the run's safety rules come from ``accord.client``.

Every customer the run creates carries the run tag in its lastname (the tag field: it survives a
number in UUID form, which the look-up checks need) and, unless a check needs another, a tagged
number (``accord-<run>-<n>``: unique, never UUID-shaped, and the key a batch update writes by).
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import VendorClient
from accord.errors import TargetError
from accord.pagination import PageSize

CUSTOMERS = "/accounts/{accountId}/customers"
CUSTOMER = "/accounts/{accountId}/customers/{customerIdOrNumber}"

API = Api(
    resources=(
        # No search by name: the sweep walks the whole (non-deleted) list and keeps tagged lastnames.
        Resource("customer", CUSTOMERS, CUSTOMER, id_param="customerIdOrNumber", id_style="uuid",
                 tag_field="lastname", sweep_query={"includeDeleted": "false"}),
    ),
    paging=PageSize(page="page", size="size", results="results", pages_total="pagesTotal", first_page=1,
                    page_size=100),
    body_encoding="json",
    context={"accountId": "ACCOUNT_ID"},
    error_fields=("message", "code"),
)


class KoronaClient(VendorClient):
    cleanup_strategy = ("delete what the run created by id (KORONA marks it active=false; it then shows only with "
                        "includeDeleted=true), newest first, then sweep the list for lastnames with the run tag")

    def __init__(self, session: Any, ledger: Any, settings: dict[str, str], api: Api = API) -> None:
        super().__init__(session, ledger, settings, api)
        self._serial = itertools.count(1)
        self._absent_numbers: list[str] = []

    # --- operations (documented) ------------------------------------------------------------------
    def list(self, account: str | None = None, **params: Any) -> requests.Response:
        """getCustomers (page, size, sort, revision, includeDeleted; number from 2.13.40)."""
        return self.send("GET", CUSTOMERS, params=params, **self._account(account))

    def get(self, ref: str, account: str | None = None) -> requests.Response:
        """getCustomer by id (UUID) or number."""
        return self.send("GET", CUSTOMER, customerIdOrNumber=ref, **self._account(account))

    def add(self, entries: Any, **params: Any) -> requests.Response:
        """addCustomers: a batch (array) of customers."""
        return self.send("POST", CUSTOMERS, entries, params=params)

    def update(self, ref: str, fields: Any, account: str | None = None) -> requests.Response:
        """updateCustomer: the properties to change of one customer."""
        return self.send("PATCH", CUSTOMER, fields, customerIdOrNumber=ref, **self._account(account))

    def update_batch(self, entries: Any, account: str | None = None) -> requests.Response:
        """updateCustomers: a batch keyed by number (3.2: id or number)."""
        return self.send("PATCH", CUSTOMERS, entries, **self._account(account))

    def delete(self, ref: str, account: str | None = None) -> requests.Response:
        """deleteCustomer."""
        return self.send("DELETE", CUSTOMER, customerIdOrNumber=ref, **self._account(account))

    def delete_batch(self, entries: Any) -> requests.Response:
        """deleteCustomers (3.2 only)."""
        return self.send("DELETE", CUSTOMERS, entries)

    def _account(self, account: str | None) -> dict[str, str]:
        return {"accountId": account} if account else {}

    # --- what the seam needs ----------------------------------------------------------------------
    def created_ids(self, resource: Resource, body: Any) -> list[str]:
        """addCustomers answers one AddOrUpdateResult per entry; an ADDED one names the new customer's id."""
        results = body if isinstance(body, list) else []
        return [str(r["id"]) for r in results if isinstance(r, dict) and r.get("id")
                and r.get("status", "OK") == "OK" and r.get("action", "ADDED") == "ADDED"]

    def allow_collection_write(self, method: str, resource: Resource, body: Any) -> bool:
        """A batch update (or 3.2's batch delete) names customers by number or id: every entry must
        name the run's own (a tagged number, or an id the run created, read back first). A body that
        is not an array or object names no customer."""
        if method not in ("PATCH", "DELETE"):
            return False
        entries = body if isinstance(body, list) else [body] if isinstance(body, dict) else []
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            number, customer_id = entry.get("number"), entry.get("id")
            if number is not None and not str(number).startswith(self.tag):
                return False
            if customer_id is not None and not self._owns_lineage(resource, (str(customer_id),)):
                return False
        return True

    # --- helpers for scenarios --------------------------------------------------------------------
    def number(self) -> str:
        """A fresh tagged number: unique in the run, never in UUID form."""
        return f"{self.tag}-{next(self._serial)}"

    def entry(self, label: str = "customer", **fields: Any) -> dict[str, Any]:
        """A batch entry carrying the run tag (lastname) and a fresh tagged number unless given."""
        return {"number": self.number(), **fields, "lastname": self.tagged(fields.get("lastname", label))}

    def add_ok(self, *entries: dict[str, Any]) -> list[dict[str, Any]]:
        """Adds the entries and returns each one's customer as read back; any other answer is an error verdict."""
        response = self.add(list(entries))
        results = body_of(response) if response.status_code == 200 else None
        if not isinstance(results, list) or len(results) != len(entries) or not all(
                isinstance(r, dict) and r.get("status") == "OK" and r.get("id") for r in results):
            raise TargetError(f"could not create customers to test with: POST answered {response.status_code}: "
                              f"{response.text[:200]!r}")
        customers = []
        for result in results:
            read = self.get(result["id"])
            if read.status_code != 200:
                raise TargetError(f"a created customer does not read back: GET answered {read.status_code}")
            customer = body_of(read)
            if isinstance(customer, dict) and isinstance(customer.get("revision"), str) and customer["revision"].isdigit():
                # the revision's type is the schema clauses' to judge; scenarios need its value
                customer = {**customer, "revision": int(customer["revision"])}
            customers.append(customer)
        return customers

    def create_ok(self, label: str = "customer", **fields: Any) -> dict[str, Any]:
        return self.add_ok(self.entry(label, **fields))[0]

    def absent_customer_id(self) -> str:
        return self.absent_id("customer")

    def absent_number(self) -> str:
        """A tagged number proved to name no customer (a 404), so a write to it touches no one's record."""
        if self._absent_numbers:
            return self._absent_numbers[0]
        for attempt in range(5):
            candidate = f"{self.tag}-absent-{attempt}"
            if self.get(candidate).status_code == 404:
                self.ledger.mark_absent("customer", (candidate,))
                self._absent_numbers.append(candidate)
                return candidate
        raise TargetError("found no unused customer number to test 404 answers with")

    @staticmethod
    def uuid_number() -> str:
        """A number in UUID form that is no customer's id (a fresh random UUID)."""
        return str(uuid.uuid4())
