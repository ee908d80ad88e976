"""Request body encoders: JSON for most vendors, form-urlencoded and multipart where a vendor takes forms.

A vendor's client names the encoding per operation; the encoder turns a body into the
keyword arguments requests needs, so evidence capture and auth stay the same for all three.
"""

from __future__ import annotations

from typing import Any

ENCODINGS = ("json", "form", "multipart")


def encode(body: Any, encoding: str = "json") -> dict[str, Any]:
    if encoding == "json":
        return {"json": body}
    if encoding == "form":
        return {"data": body}
    if encoding == "multipart":
        files = {k: v for k, v in body.items() if isinstance(v, tuple)}
        fields = {k: (None, str(v)) for k, v in body.items() if not isinstance(v, tuple)}
        return {"files": {**fields, **files}}
    raise ValueError(f"unknown body encoding {encoding!r}; known: {', '.join(ENCODINGS)}")
