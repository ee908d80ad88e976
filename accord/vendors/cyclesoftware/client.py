"""CycleSoftware's customer operations as calls; the run's safety rules come from ``accord.client``.

No delete is documented, so nothing the run creates can be removed: the client creates as few
customers as the suite can work with (``shared`` hands one set of customers to every test that
only needs to read them), tags each in its last name (``name``, which find.json's ``query``
searches) and reports each one for manual removal instead of deleting it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import VendorClient
from accord.errors import RunSafetyError, TargetError
from accord.pagination import OffsetNext

CUSTOMERS, CUSTOMER = "/api/v1/customers.json", "/api/v1/customers/{customer_id}.json"
FIND, LIST = "/api/v1/customers/find.json", "/api/v1/customers/list.json"
CUSTOMER_TYPES = "/api/v1/common/enum/customer-types.json"
MAX_PAGES = 30  # list.json pages a check walks at most (20 to 500 customers each)

API = Api(
    # No sweep query: the documented list has no tag filter, and find.json is no listing of the
    # collection path. Every created customer is in the ledger from its create answer.
    resources=(Resource("customer", CUSTOMERS, CUSTOMER, id_param="customer_id", id_field="customer_id",
                        tag_field="name"),),
    paging=OffsetNext(items="customers"),
    error_fields=("error", "error_message"),
)


class CycleSoftwareClient(VendorClient):
    cleanup_strategy = ("no delete is documented: nothing is deleted; every customer the run created carries the "
                        "run tag in its last name (name) and is listed for manual removal")

    def __init__(self, session: Any, ledger: Any, settings: dict[str, str], api: Api = API) -> None:
        super().__init__(session, ledger, settings, api)
        self._shared: dict[str, Any] = {}

    # --- operations (documented) ------------------------------------------------------------------
    def get(self, customer_id: int | str) -> requests.Response:
        return self.send("GET", CUSTOMER, customer_id=customer_id)

    def create(self, body: Any, *, untagged: bool = False) -> requests.Response:
        """``untagged``: a body that must be refused (its name broken on purpose); should the target
        accept it anyway, the ledger still has its id and the report names it."""
        if not untagged and not str((body or {}).get("name", "")).startswith(self.tag):
            raise RunSafetyError("a created customer must carry the run tag in its name (use client.tagged)")
        return self.send("POST", CUSTOMERS, body)

    def update(self, customer_id: int | str, body: Any) -> requests.Response:
        return self.send("PUT", CUSTOMER, body, customer_id=customer_id)

    def find(self, **params: Any) -> requests.Response:
        return self.session.get(FIND, params=params)

    def list(self, **params: Any) -> requests.Response:
        return self.session.get(LIST, params=params)

    def customer_types(self) -> requests.Response:
        return self.session.get(CUSTOMER_TYPES)

    # --- helpers for scenarios --------------------------------------------------------------------
    def create_ok(self, **fields: Any) -> dict[str, Any]:
        """Creates a tagged customer and returns it; an answer without a customer id is an error verdict
        (any 2xx is taken here: the status is the create clause's business)."""
        fields["name"] = self.tagged(fields.get("name", "customer"))
        response = self.create(fields)
        body = body_of(response) if response.content else None
        if not 200 <= response.status_code < 300 or not isinstance(body, dict) \
                or not str(body.get("customer_id", "")).isdigit():
            raise TargetError(f"could not create a customer to test with: POST answered {response.status_code}")
        return body

    def shared(self, label: str, make: Callable[[], Any]) -> Any:
        """One value per run and label (customers every reading test may use), made on first use."""
        if label not in self._shared:
            self._shared[label] = make()
        return self._shared[label]

    def absent_customer_id(self) -> int:
        return int(self.absent_id("customer"))

    def pages(self, **params: Any) -> list[Any]:
        """Every list.json answer body, following next_offset until null (at most MAX_PAGES pages)."""
        found: list[Any] = []
        offset: Any = 0
        for _ in range(MAX_PAGES):
            body = body_of(self.list(**params, offset=offset))
            if not isinstance(body, dict):
                raise TargetError("list.json answered a body that is not the list envelope")
            found.append(body)
            offset = (body.get("pagination") or {}).get("next_offset")
            if offset is None:
                break
        return found

    # --- clean-up ---------------------------------------------------------------------------------
    def remove(self, resource: Resource, key: tuple[str, ...]) -> str:
        """No delete is documented (_customers.md): nothing is sent; the customer is named in the report."""
        return f"neutralised: no delete in the API; tagged {self.tag}, listed for manual removal"
