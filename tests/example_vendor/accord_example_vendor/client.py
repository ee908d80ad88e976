"""acme's operations; safety comes from the declared API shape."""

from __future__ import annotations

from typing import Any

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import VendorClient
from accord.errors import TargetError
from accord.pagination import OffsetNext

CONTACTS, CONTACT = "/accounts/{accountId}/contacts", "/accounts/{accountId}/contacts/{id}"

API = Api(
    resources=(Resource("contact", CONTACTS, CONTACT, tag_field="name", sweep_query={"q": "{tag}"}),),
    paging=OffsetNext(items="items", envelope="paging"),
    body_encoding="form",
    context={"accountId": "ACCOUNT_ID"},
    error_fields=("error", "error_description"),
)


class AcmeClient(VendorClient):
    tag_limit = 60

    def list(self, **params: Any) -> requests.Response:
        return self.send("GET", CONTACTS, params=params)

    def get(self, contact_id: Any) -> requests.Response:
        return self.send("GET", CONTACT, id=contact_id)

    def create(self, form: dict[str, Any], encoding: str | None = None) -> requests.Response:
        return self.send("POST", CONTACTS, form, encoding=encoding)

    def update(self, contact_id: Any, form: dict[str, Any]) -> requests.Response:
        return self.send("POST", CONTACT, form, id=contact_id)

    def delete(self, contact_id: Any) -> requests.Response:
        return self.send("DELETE", CONTACT, id=contact_id)

    def walk(self, **params: Any) -> list[Any]:
        return list(self.api.paging.walk(lambda query: self.list(**query), params))

    def create_ok(self, **form: Any) -> dict[str, Any]:
        form["name"] = self.tagged(form.get("name", "contact"))
        response = self.create(form)
        body = body_of(response)
        if response.status_code != 201 or not isinstance(body, dict) or "id" not in body:
            raise TargetError(f"could not create a contact to test with: POST answered {response.status_code}")
        return body
