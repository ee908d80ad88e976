"""Secret redaction for every piece of evidence that leaves the run (reports, JUnit, logs)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

MASK = "[REDACTED]"
SENSITIVE_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-auth-token", "x-api-key",
    "x-auth-password", "api-key", "apikey",
})
_SENSITIVE_KEY = re.compile(r"(pass(word)?|secret|token|api[-_]?key|j_password|authorization)", re.I)


class Redactor:
    """Masks known secret values anywhere, and sensitive header and field names always.

    Known values come from the auth strategies; names catch secrets the run never saw (a token
    echoed by the vendor, a password field in a login body).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)

    def add(self, *secrets: str) -> None:
        self.secrets = sorted(set(self.secrets) | {s for s in secrets if s and len(s) >= 3}, key=len, reverse=True)

    def text(self, value: str | None) -> str | None:
        if value is None:
            return None
        for secret in self.secrets:
            if secret in value:
                value = value.replace(secret, MASK)
        return value

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {
            name: MASK if name.lower() in SENSITIVE_HEADERS or _SENSITIVE_KEY.search(name) else self.text(str(value)) or ""
            for name, value in headers.items()
        }

    def form_or_json_fields(self, text: str) -> str:
        """Masks values of sensitive keys in JSON (``"password": "x"``) and forms (``j_password=x``)."""
        text = re.sub(r'("(?:[^"]*(?:pass(?:word)?|secret|token|api[-_]?key)[^"]*)"\s*:\s*)"[^"]*"',
                      rf'\1"{MASK}"', text, flags=re.I)
        return re.sub(r"((?:^|&)[^=&]*(?:pass(?:word)?|secret|token|api[-_]?key)[^=&]*=)[^&]*",
                      rf"\1{MASK}", text, flags=re.I)

    def body(self, text: str | None) -> str | None:
        if text is None:
            return None
        return self.text(self.form_or_json_fields(text))
