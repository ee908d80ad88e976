"""The one HTTP client layer every suite uses, against a simulator or a live target.

It adds what a conformance run needs on top of requests: the vendor's auth, a timeout on every
request, a rate limit, bounded 429 back-off, a write guard that refuses to touch records the run
did not create, and evidence capture (each exchange, secrets redacted, ready for the report).
"""

from __future__ import annotations

import json
import shlex
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from accord.auth import AuthStrategy
from accord.errors import LoginFailed
from accord.redact import Redactor

BODY_LIMIT = 16_384  # characters of a body kept as evidence
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class RateLimit:
    """A vendor's documented limits; ``None`` means the vendor documents none."""

    per_minute: int | None = None
    per_day: int | None = None


class RateLimiter:
    """Keeps a sliding one-minute window under the documented limit, and obeys X-RateLimit-*."""

    def __init__(self, limit: RateLimit | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limit = limit or RateLimit()
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()
        self.remaining_hint: int | None = None
        self._lock = threading.Lock()

    def acquire(self) -> None:
        per_minute = self.limit.per_minute
        with self._lock:
            now = self.clock()
            while self.sent and now - self.sent[0] >= 60:
                self.sent.popleft()
            exhausted = self.remaining_hint is not None and self.remaining_hint <= 0 and self.sent
            if (per_minute and len(self.sent) >= per_minute) or exhausted:
                wait = 60 - (now - self.sent[0])
                if wait > 0:
                    self.sleep(wait)
                now = self.clock()
                while self.sent and now - self.sent[0] >= 60:
                    self.sent.popleft()
                self.remaining_hint = None
            self.sent.append(now)

    def observe(self, response: requests.Response) -> None:
        remaining = response.headers.get("X-RateLimit-Minutely-Remaining") or response.headers.get(
            "X-RateLimit-Remaining")
        if remaining is not None and remaining.strip().lstrip("-").isdigit():
            self.remaining_hint = int(remaining)


class EvidenceSink:
    """Where exchanges go while a test runs: the plugin swaps in a fresh list per test."""

    current: list[dict[str, Any]] | None = None


evidence = EvidenceSink()


def _text_of(body: Any) -> str | None:
    if body is None:
        return None
    if isinstance(body, bytes):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            return f"<{len(body)} bytes of binary data>"
    return str(body)


def _pretty(text: str | None, content_type: str) -> str | None:
    if text is None or "json" not in content_type:
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _truncate(text: str | None) -> tuple[str | None, bool]:
    if text is None or len(text) <= BODY_LIMIT:
        return text, False
    return text[:BODY_LIMIT] + f"\n… [{len(text) - BODY_LIMIT} more characters not kept]", True


def curl_command(method: str, url: str, headers: dict[str, str], body: str | None) -> str:
    parts = ["curl", "-X", method, shlex.quote(url)]
    for name, value in headers.items():
        if name.lower() in {"content-length", "accept-encoding", "connection", "user-agent"}:
            continue
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body:
        parts += ["--data-raw", shlex.quote(body)]
    return " ".join(parts)


class Session(requests.Session):
    """A requests session bound to one target: base URL, auth, limits, guard and evidence."""

    def __init__(self, base_url: str, auth: AuthStrategy, *, timeout: float = 10.0,
                 rate_limit: RateLimit | None = None, max_429_retries: int = 3, max_retry_wait: float = 30.0,
                 redactor: Redactor | None = None) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.auth = auth
        self.timeout = timeout
        self.limiter = RateLimiter(rate_limit)
        self.max_429_retries, self.max_retry_wait = max_429_retries, max_retry_wait
        self.redactor = redactor or Redactor()
        self.redactor.add(*auth.secrets)
        self.request_count = 0
        self.write_guard: Callable[[str, str, Any], None] | None = None
        self.observers: list[Callable[[str, str, requests.Response], None]] = []
        self.headers["User-Agent"] = "accord"
        self.base_path = urlsplit(self.base_url).path.rstrip("/")
        self._login_state: str | None = None  # None: not tried; "ok"; or why it failed

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else self.base_url + path

    def relative(self, url: str) -> str:
        """The path relative to the base URL, as vendors' docs and the declarations write paths;
        a URL outside the base URL keeps its full path (and matches no declared resource)."""
        path = urlsplit(url).path
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            return path[len(self.base_path):] or "/"
        return path

    # --- login ------------------------------------------------------------------------------------
    def ensure_login(self) -> None:
        """Logs in once, before the first request, outside the write guard. A login that fails
        raises ``LoginFailed``; the run turns that into a configuration error before tests run."""
        if self._login_state == "ok" or not self.auth.needs_login:
            return
        if self._login_state is not None:
            raise LoginFailed(self._login_state)
        try:
            self.auth.login(self)
        except LoginFailed as error:
            self._login_state = str(error)
            raise
        finally:
            self.redactor.add(*self.auth.secrets)
        self._login_state = "ok"

    def send_unguarded(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """A request outside the guard and the observers (a login), still limited, timed and recorded."""
        kwargs.setdefault("timeout", self.timeout)
        kwargs["allow_redirects"] = False
        self.limiter.acquire()
        self.request_count += 1
        started = time.perf_counter()
        try:
            response = super().request(method, url, **kwargs)
        except requests.RequestException as error:
            self._record_failure(method, url, kwargs, error, time.perf_counter() - started)
            raise
        self._record(response, time.perf_counter() - started)
        return response

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        method = method.upper()
        url = self.url(url)
        path = self.relative(url)
        if method not in SAFE_METHODS and self.write_guard is not None:
            self.write_guard(method, path, kwargs.get("json", kwargs.get("data")))
        self.ensure_login()
        kwargs.setdefault("timeout", self.timeout)
        kwargs["allow_redirects"] = False  # a redirect is evidence; credentials never follow it elsewhere
        response = self._send(method, url, *args, **kwargs)
        if self.auth.needs_login and self.auth.session_expired(response):
            self._login_state = None  # the session ended mid-run: log in again, then retry once
            self.ensure_login()
            response = self._send(method, url, *args, **kwargs)
        for observe in self.observers:
            observe(method, path, response)
        return response

    def _send(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        for attempt in range(self.max_429_retries + 1):
            self.limiter.acquire()
            self.request_count += 1
            started = time.perf_counter()
            try:
                response = super().request(method, url, *args, **kwargs)
            except requests.RequestException as error:
                self._record_failure(method, url, kwargs, error, time.perf_counter() - started)
                raise
            self._record(response, time.perf_counter() - started)
            self.limiter.observe(response)
            if response.status_code != 429 or attempt == self.max_429_retries:
                break
            self.limiter.sleep(self._retry_after(response))
        return response

    def _retry_after(self, response: requests.Response) -> float:
        value = response.headers.get("Retry-After", "1")
        try:
            wait = float(value)
        except ValueError:
            wait = 1.0
        return max(0.0, min(wait, self.max_retry_wait))

    # --- evidence ---------------------------------------------------------------------------------
    def _record(self, response: requests.Response, elapsed: float) -> None:
        if evidence.current is not None:
            evidence.current.append(self.exchange(response, elapsed))

    def exchange(self, response: requests.Response, elapsed: float = 0.0) -> dict[str, Any]:
        request = response.request
        redact = self.redactor
        request_headers = redact.headers(dict(request.headers))
        request_body = redact.body(_text_of(request.body))
        response_type = response.headers.get("Content-Type", "")
        response_body, truncated = _truncate(redact.body(_pretty(_text_of(response.content), response_type)))
        request_shown, request_truncated = _truncate(request_body)
        url = redact.text(request.url) or ""
        return {
            "method": request.method or "",
            "url": url,
            "request_headers": request_headers,
            "request_body": request_shown,
            "status": response.status_code,
            "response_headers": redact.headers(dict(response.headers)),
            "response_body": response_body if response.content else None,
            "truncated": truncated or request_truncated,
            "error": None,
            "elapsed_ms": round(elapsed * 1000, 2),
            "curl": curl_command(request.method or "GET", url, request_headers, request_body),
        }

    def _record_failure(self, method: str, url: str, kwargs: dict[str, Any], error: Exception,
                        elapsed: float) -> None:
        if evidence.current is None:
            return
        redact = self.redactor
        body = kwargs.get("json")
        text = json.dumps(body) if body is not None else _text_of(kwargs.get("data"))
        headers = redact.headers({**self.headers, **(kwargs.get("headers") or {})})
        url = redact.text(url) or ""
        evidence.current.append({
            "method": method, "url": url, "request_headers": headers, "request_body": redact.body(text),
            "status": None, "response_headers": {}, "response_body": None, "truncated": False,
            "error": redact.text(f"{type(error).__name__}: {error}"), "elapsed_ms": round(elapsed * 1000, 2),
            "curl": curl_command(method, url, headers, redact.body(text)),
        })

