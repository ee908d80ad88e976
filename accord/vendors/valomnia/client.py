"""Valomnia's customer operations as calls; the run's safety rules come from ``accord.client``.

Paths are relative to the documented base URL ``https://HOST/api/v2.1``. Bodies are forms
(url-encoded or multipart, never JSON), booleans ``true``/``false`` and ``paymentTypes`` JSON text.
The run tag rides in ``reference`` (``accord-<run>-<n>``), which also names a customer in the
``/customers/reference/{reference}`` paths, so an upsert by a tagged reference is the run's own.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from accord.api import Api, Resource
from accord.checks import body_of
from accord.client import VendorClient
from accord.errors import RunSafetyError, TargetError
from accord.pagination import MaxOffset

API_PATH = re.compile(r"/api/v[^/]+$")  # the documented base URL's path: /api/<version>
CUSTOMERS, CUSTOMER, BY_REFERENCE = "/customers", "/customers/{id}", "/customers/reference/{reference}"

API = Api(
    resources=(
        Resource("customer", CUSTOMERS, CUSTOMER, tag_field="reference", tagged_key_paths=(BY_REFERENCE,),
                 sweep_query={"reference": "{tag}*"}),
    ),
    paging=MaxOffset(items="data"),
    body_encoding="form",
    error_fields=("error", "error_description"),
)


def form_value(value: Any) -> Any:
    """A value as Valomnia reads it from a form: booleans true/false, lists and objects as JSON text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, separators=(",", ":"))
    return value


class ValomniaClient(VendorClient):
    cleanup_strategy = "delete what the run created by id, newest first (sub-customers before parents), then sweep by the run tag"
    tag_limit = 255  # Grails' default varchar(255)

    def __init__(self, session: Any, ledger: Any, settings: Mapping[str, str], api: Api = API) -> None:
        super().__init__(session, ledger, settings, api)
        self._serial = itertools.count(1)

    # --- tags ---------------------------------------------------------------------------------------
    def reference(self, label: str = "") -> str:
        """A fresh reference carrying the run tag: ``accord-<run>-<n>`` (and the label, if any)."""
        return f"{self.tag}-{next(self._serial)}" + (f"-{label}" if label else "")

    def encoded(self, form: Mapping[str, Any] | None) -> dict[str, Any] | None:
        return None if form is None else {k: form_value(v) for k, v in form.items()}

    # --- links the target writes -------------------------------------------------------------------
    @property
    def api_path(self) -> str:
        """``/api/<version>`` as the base URL names it (hrefs hold it)."""
        found = API_PATH.search(self.session.base_path)
        return found.group(0) if found else self.session.base_path

    def resolve(self, link: str) -> str:
        """A link the target wrote from its own root (``/login/ajaxSuccess``, ``/api/v2.1/customers?...``,
        a logo URL): under the root the base URL names, so a proxy serving the target under a path
        prefix changes nothing. A link to another host stays as it is."""
        root = urlsplit(API_PATH.sub("", self.session.base_url))
        parts = urlsplit(link)
        if parts.netloc and parts.netloc != root.netloc:
            return link
        path = parts.path
        if root.path and not (path == root.path or path.startswith(root.path + "/")):
            path = root.path + path
        return urlunsplit((root.scheme, root.netloc, path, parts.query, ""))

    # --- operations (documented, 11.1-11.6) ---------------------------------------------------------
    def list(self, **params: Any) -> requests.Response:
        return self.session.get(CUSTOMERS, params={k: form_value(v) for k, v in params.items()})

    def show(self, customer_id: int | str) -> requests.Response:
        return self.send("GET", CUSTOMER, id=customer_id)

    def show_by_reference(self, reference: str) -> requests.Response:
        return self.send("GET", BY_REFERENCE, reference=quote(reference, safe=""))

    def create(self, form: Mapping[str, Any], *, encoding: str = "form", untagged: bool = False) -> requests.Response:
        """``untagged``: a form that must be refused (its reference left out or blank on purpose);
        should the target accept it anyway, the ledger still has its id and the clean-up removes it."""
        if not untagged and not str(form.get("reference", "")).startswith(self.tag):
            raise RunSafetyError("a created customer must carry the run tag in its reference (use client.reference)")
        return self.send("POST", CUSTOMERS, self.encoded(form), encoding=encoding)

    def update(self, customer_id: int | str, form: Mapping[str, Any], *, encoding: str = "form") -> requests.Response:
        return self.send("POST", CUSTOMER, self.encoded(form), encoding=encoding, id=customer_id)

    def upsert(self, reference: str, form: Mapping[str, Any], *, encoding: str = "form") -> requests.Response:
        """POST /customers/reference/{reference}: creates the customer when absent, updates it when present."""
        return self.send("POST", BY_REFERENCE, self.encoded(form), encoding=encoding, reference=quote(reference, safe=""))

    def delete(self, customer_id: int | str) -> requests.Response:
        return self.send("DELETE", CUSTOMER, id=customer_id)

    def delete_by_reference(self, reference: str) -> requests.Response:
        return self.send("DELETE", BY_REFERENCE, reference=quote(reference, safe=""))

    # --- helpers for scenarios ----------------------------------------------------------------------
    def create_ok(self, *, encoding: str = "form", **form: Any) -> dict[str, Any]:
        """Creates a tagged customer and returns it; any other answer is an error verdict."""
        form.setdefault("reference", self.reference())
        form.setdefault("name", f"accord customer {form['reference']}")
        response = self.create(form, encoding=encoding)
        if response.status_code not in (200, 201):
            raise TargetError(f"could not create a customer to test with: POST answered {response.status_code}")
        body = body_of(response)
        if not isinstance(body, dict) or not str(body.get("id", "")).isdigit():
            raise TargetError("could not create a customer to test with: the answer has no id")
        return body

    def absent_customer_id(self) -> int:
        return int(self.absent_id("customer"))

    def non_numeric_id(self) -> str:
        """An id that is not a number, proved to name no customer: a GET of it is refused (400) or
        not found (404); only then may a write be sent to it."""
        candidate = f"{self.tag}-not-a-number"
        status = self.show(candidate).status_code
        if status not in (400, 404):
            raise TargetError(f"GET /customers/{candidate} answered {status}: it cannot be proved to name no customer")
        self.ledger.mark_absent("customer", (candidate,))
        return candidate
