"""Comparisons the CycleSoftware suite shares: what a read-back must show of what was sent."""

from __future__ import annotations

from typing import Any

from accord.contracts import load_contract

READONLY_CREATED = "2001-02-03 04:05:06"  # a datetime_created no new customer can have
# The writable fields (PUT|POST in the property table) but the phone numbers, compared on their own.
WRITABLE = tuple(k for k in load_contract("cyclesoftware").schemas["CustomerWrite.json"]["properties"] if k != "phone_numbers")


def same(field: str, sent: Any, received: Any) -> bool:
    """A decimal is held to two decimals (_introduction.md API Types); surrounding blanks may be trimmed."""
    if field == "discount_percentage" and isinstance(sent, int | float) and isinstance(received, int | float):
        return abs(round(float(sent), 2) - float(received)) < 0.005
    if isinstance(sent, str) and isinstance(received, str):
        return sent.strip() == received.strip()
    return sent == received


def differences(sent: dict[str, Any], received: dict[str, Any]) -> list[str]:
    """Writable values (phone numbers by phone_number_id) that read back otherwise than sent."""
    found = [f"{k}: sent {sent[k]!r}, got {received.get(k)!r}" for k in WRITABLE if k in sent
             and not same(k, sent[k], received.get(k))]
    held = {p.get("phone_number_id"): p for p in received.get("phone_numbers") or [] if isinstance(p, dict)}
    for phone in sent.get("phone_numbers") or []:
        got = held.get(phone["phone_number_id"])
        if got is None:
            found.append(f"phone number {phone['phone_number_id']!r} is missing")
            continue
        found += [f"phone {phone['phone_number_id']} {k}: sent {phone[k]!r}, got {got.get(k)!r}"
                  for k in ("phone_number", "name") if k in phone and not same(k, phone[k], got.get(k))]
    return found
