"""Evidence: the requests and answers a failing check shows in the report.

Every exchange is captured as it happens, but only as raw material: its headers and the kept
prefix of each body. Redacting, pretty-printing and writing the curl line happen when a failure
asks for the exchange. Done eagerly for every exchange, that work cost about 0.8 ms a request
(15% of a fuzz test's time, benchmarks/RESULTS.md), while only a failing test's last few
exchanges are ever shown. A late redaction is no weaker: the run's redactor only learns secrets,
never forgets them.

The plugin gives each test a fresh ``EvidenceLog`` (``evidence.current``); it holds the test's
last ``EvidenceLog.KEPT`` exchanges, so a test of a thousand requests holds a few bodies' prefixes,
not a thousand.
"""

from __future__ import annotations

import itertools
import json
import shlex
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from accord.redact import Redactor

BODY_LIMIT = 16_384  # characters of a body kept as evidence
URL_LIMIT = 2_048  # characters of a URL kept as evidence (browsers' practical limit)
HEADER_LIMIT = 2_048  # characters of one header's name or value kept as evidence
HEADERS_KEPT = 64  # headers kept per message
REDACT_MARGIN = 4_096  # characters past a cut that are still redacted, so no secret is cut in half


@dataclass(eq=False)
class Captured:
    """One exchange as it was sent and read, not yet redacted: bodies are cut to the prefix
    evidence can show (plus the redaction margin), so holding one costs at most a few dozen KB."""

    redactor: Redactor
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: Any
    request_size: int
    status: int
    response_headers: dict[str, str]
    response_body: bytes
    response_size: int
    content_type: str
    elapsed: float
    note: str | None = None
    _made: dict[str, Any] | None = field(default=None, repr=False)

    @classmethod
    def of(cls, redactor: Redactor, response: requests.Response, elapsed: float, note: str | None = None) -> Captured:
        request = response.request
        request_body, request_size = _prefix(request.body)
        content = response.content or b""
        response_body, response_size = _prefix(content)
        return cls(redactor, request.method or "", request.url or "", dict(request.headers), request_body, request_size,
                   response.status_code, dict(response.headers), response_body, response_size,
                   response.headers.get("Content-Type", ""), elapsed, note)

    def evidence(self) -> dict[str, Any]:
        """The exchange as the report shows it: secrets redacted, every part capped in size."""
        if self._made is None:
            self._made = self._make()
        return self._made

    def _make(self) -> dict[str, Any]:
        redact = self.redactor
        request_headers = _capped_headers(redact.headers(self.request_headers))
        request_body, request_truncated = _kept(redact, self.request_body, self.request_size)
        response_body, truncated = _kept(redact, self.response_body, self.response_size, self.content_type)
        url = _truncate(redact.text(self.url) or "", URL_LIMIT)[0] or ""
        made = {
            "method": self.method,
            "url": url,
            "request_headers": request_headers,
            "request_body": request_body,
            "status": self.status,
            "response_headers": _capped_headers(redact.headers(self.response_headers)),
            "response_body": response_body if self.response_size else None,
            "truncated": truncated or request_truncated,
            "error": None,
            "elapsed_ms": round(self.elapsed * 1000, 2),
            "curl": curl_command(self.method or "GET", url, request_headers, request_body),
        }
        if self.note is not None:
            made["error"] = _truncate(redact.text(self.note), HEADER_LIMIT)[0]
            made["truncated"] = True
        return made


def unanswered(redactor: Redactor, method: str, url: str, headers: Mapping[str, Any], body: Any,
               error: BaseException, elapsed: float) -> dict[str, Any]:
    """A request that got no answer (refused, timed out): rare, so made into evidence at once."""
    prefix, size = _prefix(body)
    request_body, truncated = _kept(redactor, prefix, size)
    request_headers = _capped_headers(redactor.headers(dict(headers)))
    url = _truncate(redactor.text(url) or "", URL_LIMIT)[0] or ""
    return {
        "method": method, "url": url, "request_headers": request_headers, "request_body": request_body,
        "status": None, "response_headers": {}, "response_body": None, "truncated": truncated,
        "error": _truncate(redactor.text(f"{type(error).__name__}: {error}"), HEADER_LIMIT)[0],
        "elapsed_ms": round(elapsed * 1000, 2), "curl": curl_command(method, url, request_headers, request_body),
    }


def as_evidence(item: Captured | dict[str, Any]) -> dict[str, Any]:
    return item.evidence() if isinstance(item, Captured) else item


class EvidenceLog:
    """The running test's exchanges, newest last; the last ``KEPT`` are held. ``mark()`` before a
    request and ``since(mark)`` after it give that request's exchanges (with any 429 retries)."""

    KEPT = 16  # at least what a failure shows (the plugin's EVIDENCE_KEPT)

    def __init__(self) -> None:
        self._items: deque[Captured | dict[str, Any]] = deque(maxlen=self.KEPT)
        self.count = 0

    def append(self, item: Captured | dict[str, Any]) -> None:
        self._items.append(item)
        self.count += 1

    def mark(self) -> int:
        return self.count

    def since(self, mark: int) -> list[dict[str, Any]]:
        return self.last(self.count - mark)

    def last(self, n: int) -> list[dict[str, Any]]:
        n = min(n, len(self._items))
        return [as_evidence(item) for item in itertools.islice(self._items, len(self._items) - n, None)] if n > 0 else []

    def __len__(self) -> int:
        return self.count


class EvidenceSink:
    """Where exchanges go while a test runs: the plugin swaps in a fresh log per test."""

    current: EvidenceLog | None = None


evidence = EvidenceSink()


def _prefix(body: Any) -> tuple[Any, int]:
    """The part of a body evidence may show (with the redaction margin), and the body's size."""
    if body is None:
        return None, 0
    if isinstance(body, bytes | str):
        return body[:BODY_LIMIT + REDACT_MARGIN], len(body)
    return body, len(body)


def _text_of(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start >= len(body) - 3:  # a multi-byte character cut at the kept prefix's end
                return body[:error.start].decode("utf-8")
            return f"<{len(body)} bytes of binary data>"
    return str(body)


def _pretty(text: str | None, content_type: str) -> str | None:
    if text is None or "json" not in content_type or len(text) > BODY_LIMIT:
        return text  # a body too long to keep whole is shown as it came, not parsed
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


def _truncate(text: str | None, limit: int = BODY_LIMIT, total: int | None = None) -> tuple[str | None, bool]:
    """At most ``limit`` characters, saying how many more there were (``total``: of the whole)."""
    total = len(text) if total is None or text is None else max(total, len(text))
    if text is None or total <= limit:
        return text, False
    return text[:limit] + f"\n… [{total - limit:,} more characters not kept]", True


def _kept(redact: Redactor, prefix: Any, size: int, content_type: str = "") -> tuple[str | None, bool]:
    """A body's kept prefix as evidence: decoded and redacted (the margin past the cut included, so
    that a secret crossing it is masked whole), then cut to BODY_LIMIT characters."""
    if prefix is None:
        return None, False
    text = redact.body(_pretty(_text_of(prefix), content_type))
    shown = len(prefix) if isinstance(prefix, bytes | str) else size
    return _truncate(text, total=size if size > shown else None)


def _capped_headers(headers: dict[str, str]) -> dict[str, str]:
    kept = dict(itertools.islice(headers.items(), HEADERS_KEPT))
    capped = {_truncate(str(k), HEADER_LIMIT)[0] or "": _truncate(str(v), HEADER_LIMIT)[0] or "" for k, v in kept.items()}
    if len(headers) > HEADERS_KEPT:
        capped["…"] = f"{len(headers) - HEADERS_KEPT} more headers not kept"
    return capped


def curl_command(method: str, url: str, headers: dict[str, str], body: str | None) -> str:
    parts = ["curl", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        if name.lower() in {"content-length", "accept-encoding", "connection", "user-agent"}:
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body:
        parts += ["--data-raw", shlex.quote(body)]
    return " ".join(parts)
