"""Kimai's customer operations as calls; the run's safety rules come from ``accord.client``."""

from __future__ import annotations

from typing import Any

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import VendorClient
from accord.errors import RunSafetyError, TargetError
from accord.pagination import NoPagination

CUSTOMERS, CUSTOMER = "/api/customers", "/api/customers/{id}"
RATES, RATE = "/api/customers/{id}/rates", "/api/customers/{id}/rates/{rateId}"

API = Api(
    resources=(
        Resource("customer", CUSTOMERS, CUSTOMER, tag_field="name", item_paths=(CUSTOMER + "/meta",),
                 sweep_query={"visible": "3", "term": "{tag}"}),
        # No GET of one rate: a rate is verified by finding it in its customer's rate list.
        Resource("rate", RATES, RATE, id_param="rateId", parent="customer", readable_item=False),
    ),
    paging=NoPagination(),
    error_fields=("code", "message"),
)


class KimaiClient(VendorClient):
    cleanup_strategy = ("delete what the run created (DELETE where the target offers it, otherwise hide the "
                        "customer with visible=false), newest first, then sweep by the run tag")
    tag_limit = 150  # Customer.name: Length(max=150)

    def __init__(self, session: Any, ledger: Any, settings: dict[str, str], api: Api = API) -> None:
        super().__init__(session, ledger, settings, api)
        self.meta_field = settings.get("META_FIELD")

    # --- operations (documented) ------------------------------------------------------------------
    def list(self, **params: Any) -> requests.Response:
        return self.session.get(CUSTOMERS, params=params)

    def get(self, customer_id: int | str) -> requests.Response:
        return self.send("GET", CUSTOMER, id=customer_id)

    def create(self, form: dict[str, Any], *, untagged: bool = False) -> requests.Response:
        """``untagged``: a form that must be refused (its name left out on purpose); should the target
        accept it anyway, the ledger still has its id and the clean-up removes it."""
        if not untagged and not str(form.get("name", "")).startswith(self.tag):
            raise RunSafetyError("a created customer must carry the run tag in its name (use client.tagged)")
        return self.send("POST", CUSTOMERS, form)

    def update(self, customer_id: int | str, form: dict[str, Any]) -> requests.Response:
        return self.send("PATCH", CUSTOMER, form, id=customer_id)

    def set_meta(self, customer_id: int | str, body: dict[str, Any]) -> requests.Response:
        return self.send("PATCH", CUSTOMER + "/meta", body, id=customer_id)

    def rates(self, customer_id: int | str) -> requests.Response:
        return self.send("GET", RATES, id=customer_id)

    def add_rate(self, customer_id: int | str, form: dict[str, Any]) -> requests.Response:
        return self.send("POST", RATES, form, id=customer_id)

    def delete_rate(self, customer_id: int | str, rate_id: int | str) -> requests.Response:
        return self.send("DELETE", RATE, id=customer_id, rateId=rate_id)

    def delete(self, customer_id: int | str) -> requests.Response:
        """The undocumented DELETE of Kimai >= 2.25 (an extension clause)."""
        return self.send("DELETE", CUSTOMER, id=customer_id)

    # --- helpers for scenarios --------------------------------------------------------------------
    def create_ok(self, **form: Any) -> dict[str, Any]:
        """Creates a tagged customer and returns its entity; any other answer is an error verdict."""
        form["name"] = self.tagged(form.get("name", "customer"))
        response = self.create(form)
        if response.status_code not in (200, 201):
            raise TargetError(f"could not create a customer to test with: POST answered {response.status_code}")
        body = body_of(response)
        if not isinstance(body, dict) or not str(body.get("id", "")).isdigit():
            raise TargetError("could not create a customer to test with: the answer has no id")
        return body

    def absent_customer_id(self) -> int:
        return int(self.absent_id("customer"))

    # --- clean-up ---------------------------------------------------------------------------------
    def neutralise(self, resource: Resource, ids: dict[str, str], response: requests.Response) -> str:
        """Kimai's documented API has no customer DELETE: hide the customer instead."""
        if resource.kind != "customer":
            return super().neutralise(resource, ids, response)
        hidden = self.update(ids["id"], {"visible": False})
        if hidden.status_code == 200:
            return (f"neutralised: no DELETE on this target (answered {response.status_code}); "
                    f"hidden with visible=false, name keeps the tag {self.tag}")
        raise TargetError(f"DELETE answered {response.status_code} and hiding answered {hidden.status_code}")
