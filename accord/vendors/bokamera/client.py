"""BokaMera's customer operations as calls; the run's safety rules come from ``accord.client``.

Every operation answers on its custom route (``/customers…``) and on ServiceStack's predefined
routes (``/api/{Dto}``, ``/json/reply/{Dto}``), which name the customer in the body or the query
string: the declaration says so, and the shared guard reads the id there.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import Key, VendorClient
from accord.errors import RunSafetyError, TargetError
from accord.pagination import SkipTake

CUSTOMERS, CUSTOMER = "/customers", "/customers/{Id}"
ROUTE_STYLES = {"custom": "", "api": "/api", "json-reply": "/json/reply"}
ZERO_GUID = "00000000-0000-0000-0000-000000000000"


def rpc(dto: str) -> tuple[str, ...]:
    """The predefined routes of one request DTO."""
    return tuple(f"{prefix}/{dto}" for prefix in ROUTE_STYLES.values() if prefix)


API = Api(
    resources=(
        # No GET of one customer: CustomerQuery?CustomerId= reads it (readable_item=False).
        Resource("customer", CUSTOMERS, CUSTOMER, id_param="Id", id_field="Id", id_style="uuid", tag_field="Lastname",
                 readable_item=False, create_paths=rpc("CreateCustomer"),
                 body_id_paths=rpc("UpdateCustomer") + rpc("DeleteCustomer"), sweep_query={"Search": "{tag}"}),
    ),
    paging=SkipTake(results="Results", total="Total", skip="Skip", take="Take", page_size=100),
    error_fields=("ResponseStatus",),
)


class BokaMeraClient(VendorClient):
    cleanup_strategy = "delete what the run created (DELETE /customers/{Id}), newest first, then sweep by the run tag"

    def __init__(self, session: Any, ledger: Any, settings: dict[str, str], api: Api = API) -> None:
        super().__init__(session, ledger, settings, api)
        self.fixtures: set[str] = set()  # fixed records of the built-in simulator a test may change

    # --- operations (documented) ------------------------------------------------------------------
    def query(self, session: Any = None, route: str = "custom", **params: Any) -> requests.Response:
        """CustomerQuery; ``session``: another identity's (the same guard and ledger)."""
        path = CUSTOMERS if route == "custom" else f"{ROUTE_STYLES[route]}/CustomerQuery"
        return (session or self.session).get(path, params=params)

    def create(self, body: dict[str, Any], *, route: str = "custom", session: Any = None,
               untagged: bool = False) -> requests.Response:
        """``untagged``: a body that must be refused (its Lastname left out on purpose); should the
        target accept it anyway, the ledger still has its id and the clean-up removes it."""
        if not untagged and not str(body.get("Lastname", "")).startswith(self.tag):
            raise RunSafetyError("a created customer must carry the run tag in its Lastname (use client.tagged)")
        path = CUSTOMERS if route == "custom" else f"{ROUTE_STYLES[route]}/CreateCustomer"
        return self.call("POST", path, body, session)

    def update(self, customer_id: str, body: dict[str, Any], *, route: str = "custom", session: Any = None,
               params: dict[str, Any] | None = None) -> requests.Response:
        if route == "custom":
            return self.call("PUT", self.path(CUSTOMER, Id=customer_id), body, session, params)
        return self.call("PUT", f"{ROUTE_STYLES[route]}/UpdateCustomer", {**body, "Id": customer_id}, session, params)

    def update_jsonl(self, customer_id: str, body: dict[str, Any]) -> requests.Response:
        """The documented sample exchange: a text/jsonl request, text/jsonl answer asked for."""
        return self.session.request("PUT", self.path(CUSTOMER, Id=customer_id), data=json.dumps(body).encode() + b"\n",
                                    headers={"Content-Type": "text/jsonl", "Accept": "text/jsonl"})

    def update_raw(self, customer_id: str, data: bytes, content_type: str = "application/json") -> requests.Response:
        return self.session.request("PUT", self.path(CUSTOMER, Id=customer_id), data=data,
                                    headers={"Content-Type": content_type})

    def delete(self, customer_id: str, *, route: str = "custom", session: Any = None) -> requests.Response:
        if route == "custom":
            return self.call("DELETE", self.path(CUSTOMER, Id=customer_id), None, session)
        return self.call("DELETE", f"{ROUTE_STYLES[route]}/DeleteCustomer", None, session, {"Id": customer_id})

    def call(self, method: str, path: str, body: Any = None, session: Any = None,
              params: dict[str, Any] | None = None) -> requests.Response:
        """Through ``session`` (another identity's) or the run's own; the guard sees the query too."""
        if session is None:
            return self.send(method, path, body, params=params)
        self._query = dict(params or {})
        try:
            return session.request(method, path, **({"json": body} if body is not None else {}), params=params)
        finally:
            self._query = {}

    # --- helpers for scenarios --------------------------------------------------------------------
    def new_body(self, label: str = "customer", **fields: Any) -> dict[str, Any]:
        return {"Firstname": "Accord", "Lastname": self.tagged(label), "Phone": "+46 70 123 45 67",
                "Email": "accord@example.com", **fields}

    def create_ok(self, label: str = "customer", **fields: Any) -> dict[str, Any]:
        """Creates a tagged customer and returns the answer; any other answer is an error verdict."""
        response = self.create(self.new_body(label, **fields))
        if response.status_code != 200:
            raise TargetError(f"could not create a customer to test with: POST answered {response.status_code}")
        body = body_of(response)
        if not isinstance(body, dict) or not body.get("Id") or body["Id"] == ZERO_GUID:
            raise TargetError("could not create a customer to test with: the answer has no Id")
        return body

    def read(self, customer_id: str, session: Any = None, **params: Any) -> dict[str, Any] | None:
        """The customer as CustomerQuery lists it (None: not listed)."""
        response = self.query(session, CustomerId=customer_id, **params)
        if response.status_code != 200:
            raise TargetError(f"could not read customer {customer_id} back: CustomerQuery answered {response.status_code}")
        results = (body_of(response) or {}).get("Results") or []
        return next((r for r in results if isinstance(r, dict) and r.get("Id") == customer_id), None)

    def absent_id(self, kind: str, **parent_ids: Any) -> str:
        """No GET of one customer: an id is proved unused when CustomerQuery?CustomerId= lists nothing."""
        cached = self._absent.get((kind, ()))
        if cached is not None:
            return cached[-1]
        resource = self.api.resource(kind)
        for attempt in range(5):
            candidate = self._candidate(resource, attempt)
            response = self.query(CustomerId=candidate)
            if response.status_code == 200 and (body_of(response) or {}).get("Total") == 0:
                self.ledger.mark_absent(kind, (candidate,))
                self._absent[(kind, ())] = (candidate,)
                return candidate
        raise TargetError(f"found no unused {kind} id to test 404 answers with")

    def allow_item_write(self, method: str, resource: Resource, key: Key) -> bool:
        """Only fixed records of the built-in simulator (set by the suite when the target is one)."""
        return method == "PUT" and key[-1] in self.fixtures
