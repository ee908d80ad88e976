"""Kimai's customer operations as calls, with the run's safety rules built in.

Every write goes through the session's write guard: the run may create customers, and may
change or delete only the customers and rates it created itself (or ids it proved absent).
"""

from __future__ import annotations

import re
from typing import Any

import requests

from accord.checks import body_of
from accord.cleanup import REMOVED, Ledger
from accord.errors import RunSafetyError, TargetError
from accord.http import Session

CUSTOMER_PATH = re.compile(r"^/api/customers/(\d+)(/meta|/rates|/rates/(\d+))?$")
ABSENT_ID_BASE = 2_000_000_000  # far above any real id; proved absent by a 404 before use


def _int_id(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


class KimaiClient:
    def __init__(self, session: Session, ledger: Ledger, settings: dict[str, str]) -> None:
        self.session, self.ledger = session, ledger
        self.meta_field = settings.get("META_FIELD")
        self._absent: int | None = None
        session.write_guard = self.check_write
        session.observers.append(self.observe)

    @property
    def tag(self) -> str:
        return self.ledger.tag

    def tagged(self, name: str = "") -> str:
        """A customer name carrying the run's tag, within Kimai's 150 characters."""
        return f"{self.tag} {name}"[:150].rstrip() if not name.startswith(self.tag) else name[:150]

    # --- safety -----------------------------------------------------------------------------------
    def check_write(self, method: str, path: str) -> None:
        if path == "/api/customers" and method == "POST":
            return
        match = CUSTOMER_PATH.match(path)
        if match and self.ledger.owns("customer", (int(match.group(1)),)):
            rate_id = match.group(3)
            if rate_id is None or self.ledger.owns("rate", (int(rate_id),)):
                return
        raise RunSafetyError(f"refused {method} {path}: the run did not create that record")

    def observe(self, method: str, path: str, response: requests.Response) -> None:
        """Enters what the target confirms it created, and notes what a test removed itself."""
        match = CUSTOMER_PATH.match(path)
        if method == "POST" and response.status_code in (200, 201):
            try:
                created = response.json()
            except ValueError:
                return
            created_id = _int_id(created.get("id")) if isinstance(created, dict) else None
            if created_id is None:
                return
            if path == "/api/customers":
                self.ledger.add("customer", (created_id,), f"customer {created_id}",
                                lambda: self.remove_customer(created_id))
            elif match and match.group(2) == "/rates":
                customer_id = int(match.group(1))
                self.ledger.add("rate", (created_id,), f"rate {created_id} of customer {customer_id}",
                                lambda: self.remove_rate(customer_id, created_id), parent=("customer", (customer_id,)))
        elif method == "DELETE" and response.status_code in (200, 204) and match:
            if match.group(3):
                self.ledger.mark_removed("rate", (int(match.group(3)),))
            elif not match.group(2):
                self.ledger.mark_removed("customer", (int(match.group(1)),))

    # --- operations (documented) ------------------------------------------------------------------
    def list(self, **params: Any) -> requests.Response:
        return self.session.get("/api/customers", params=params)

    def get(self, customer_id: int | str) -> requests.Response:
        return self.session.get(f"/api/customers/{customer_id}")

    def create(self, form: dict[str, Any]) -> requests.Response:
        if not str(form.get("name", "")).startswith(self.tag):
            raise RunSafetyError("a created customer must carry the run tag in its name (use client.tagged)")
        return self.session.post("/api/customers", json=form)

    def update(self, customer_id: int, form: dict[str, Any]) -> requests.Response:
        return self.session.patch(f"/api/customers/{customer_id}", json=form)

    def set_meta(self, customer_id: int, body: dict[str, Any]) -> requests.Response:
        return self.session.patch(f"/api/customers/{customer_id}/meta", json=body)

    def rates(self, customer_id: int) -> requests.Response:
        return self.session.get(f"/api/customers/{customer_id}/rates")

    def add_rate(self, customer_id: int, form: dict[str, Any]) -> requests.Response:
        return self.session.post(f"/api/customers/{customer_id}/rates", json=form)

    def delete_rate(self, customer_id: int, rate_id: int) -> requests.Response:
        return self.session.delete(f"/api/customers/{customer_id}/rates/{rate_id}")

    def delete(self, customer_id: int) -> requests.Response:
        """The undocumented DELETE of Kimai >= 2.25 (an extension clause)."""
        return self.session.delete(f"/api/customers/{customer_id}")

    # --- helpers for scenarios ----------------------------------------------------------------------
    def create_ok(self, **form: Any) -> dict[str, Any]:
        """Creates a tagged customer and returns its entity; any other answer is an error verdict."""
        form["name"] = self.tagged(form.get("name", "customer"))
        response = self.create(form)
        if response.status_code not in (200, 201):
            raise TargetError(f"could not create a customer to test with: POST answered {response.status_code}")
        body = body_of(response)
        if not isinstance(body, dict) or _int_id(body.get("id")) is None:
            raise TargetError("could not create a customer to test with: the answer has no id")
        return body

    def absent_customer_id(self) -> int:
        """An id proved to name no customer (404), so writing to it cannot touch anyone's record."""
        if self._absent is not None:
            return self._absent
        for offset in range(5):
            candidate = ABSENT_ID_BASE + offset
            if self.get(candidate).status_code == 404:
                self.ledger.mark_absent("customer", (candidate,))
                self._absent = candidate
                return candidate
        raise TargetError("found no unused customer id to test 404 answers with")

    # --- clean-up -----------------------------------------------------------------------------------
    def remove_customer(self, customer_id: int) -> str:
        """DELETE where the target offers it; otherwise hide the customer (the documented API has no delete)."""
        response = self.delete(customer_id)
        if response.status_code in (200, 204, 404):
            return REMOVED
        hidden = self.update(customer_id, {"visible": False})
        if hidden.status_code == 200:
            return (f"neutralised: no DELETE on this target (answered {response.status_code}); "
                    f"hidden with visible=false, name keeps the tag {self.tag}")
        raise TargetError(f"DELETE answered {response.status_code} and hiding answered {hidden.status_code}")

    def remove_rate(self, customer_id: int, rate_id: int) -> str:
        response = self.delete_rate(customer_id, rate_id)
        if response.status_code in (200, 204, 404):
            return REMOVED
        raise TargetError(f"rate DELETE answered {response.status_code}")

    def sweep(self) -> list[str]:
        """Customers that carry this run's tag yet are still listed after clean-up."""
        response = self.list(visible="3", term=self.tag)
        if response.status_code != 200:
            return [f"sweep by tag could not list customers (answered {response.status_code})"]
        try:
            items = response.json()
        except ValueError:
            return ["sweep by tag: the list was not JSON"]
        left: list[str] = []
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not str(item.get("name", "")).startswith(self.tag):
                continue
            customer_id = _int_id(item.get("id"))
            if customer_id is None or not self.ledger.owns("customer", (customer_id,)):
                continue
            if item.get("visible") is False and self.delete(customer_id).status_code not in (200, 204):
                continue  # neutralised already and reported as such
            again = self.get(customer_id)
            if again.status_code != 404:
                left.append(f"customer {customer_id} ({self.tag}) still present after clean-up")
        return left
