"""The one HTTP client layer every suite uses, against a simulator or a live target.

It adds what a conformance run needs on top of requests: the vendor's auth, a timeout on every
request, a rate limit, bounded 429 back-off, a write guard that refuses to touch records the run
did not create, and evidence capture (each exchange kept for the report: accord/evidence.py).
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests

from accord.auth import AuthStrategy
from accord.errors import LoginFailed, ResponseTooLarge
from accord.evidence import Captured, evidence, unanswered
from accord.redact import Redactor
from accord.wire import MAX_DECODED_BYTES, MAX_RESPONSE_BYTES, BoundedSession, bounded, read_body, total_seconds

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


class InFlight:
    """Whether a request is on its way, so that an interrupt (Ctrl-C, SIGTERM) lands after its
    answer reached the ledger: one that lands between a create's answer and the observer would
    leave a record the clean-up never hears of. The wait is bounded by --timeout."""

    def __init__(self) -> None:
        self.depth = 0
        self.deferred: int | None = None  # a signal that arrived while a request was on its way

    def __enter__(self) -> None:
        self.depth += 1

    def __exit__(self, *exc: object) -> None:
        self.depth -= 1
        if self.depth == 0 and self.deferred is not None:
            signum, self.deferred = self.deferred, None
            raise KeyboardInterrupt(f"signal {signum}")

    def defer(self, signum: int) -> bool:
        """True when a request is on its way: the interrupt is raised once it is recorded."""
        if self.depth:
            self.deferred = signum
            return True
        return False


in_flight = InFlight()


class Session(BoundedSession):
    """A requests session bound to one target: base URL, auth, limits, guard and evidence."""

    def __init__(self, base_url: str, auth: AuthStrategy, *, timeout: float = 10.0,
                 rate_limit: RateLimit | None = None, max_429_retries: int = 3, max_retry_wait: float = 30.0,
                 redactor: Redactor | None = None, max_response_bytes: int = MAX_RESPONSE_BYTES,
                 max_decoded_bytes: int = MAX_DECODED_BYTES) -> None:
        super().__init__()
        self.max_response_bytes, self.max_decoded_bytes = max_response_bytes, max_decoded_bytes
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
        self._settle_environment()

    def _settle_environment(self) -> None:
        """Reads the proxy and CA-bundle variables once, for the target's host, instead of on every
        request (requests' trust_env: ~0.2 ms a request, a tenth of a fuzz boundary case). Every
        request goes to the base URL's host, so what the environment says for it holds for all."""
        if not self.trust_env or not self.base_url.startswith(("http://", "https://")):
            return
        self.proxies.update(requests.utils.get_environ_proxies(self.base_url))  # no_proxy is honoured
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        if bundle:
            self.verify = bundle
        self.trust_env = False

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
        """A request outside the guard and the observers (a login): still limited, bounded in time
        and bytes, and recorded."""
        return self._send(method, url, **kwargs)

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        method = method.upper()
        url = self.url(url)
        path = self.relative(url)
        if method not in SAFE_METHODS and self.write_guard is not None:
            self.write_guard(method, path, kwargs.get("json", kwargs.get("data")))
        with in_flight:  # an interrupt waits until the answer is recorded: no create goes unseen
            self.ensure_login()
            response = self._send(method, url, *args, **kwargs)
            if self.auth.needs_login and self.auth.session_expired(response):
                self._login_state = None  # the session ended mid-run: log in again, then retry once
                self.ensure_login()
                response = self._send(method, url, *args, **kwargs)
            for observe in self.observers:
                observe(method, path, response)
        return response

    def _send(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        budget = total_seconds(kwargs.get("timeout"), self.timeout)
        # Never follow a redirect: a 3xx is the answer under test, and its Location may be another
        # host that must not get the credentials (requests keeps custom auth headers across hosts).
        kwargs["allow_redirects"] = False
        kwargs["stream"] = True  # the body is read below, within the deadline and the byte caps
        for attempt in range(self.max_429_retries + 1):
            self.limiter.acquire()
            self.request_count += 1
            started = time.perf_counter()
            with bounded(budget) as deadline:
                kwargs["timeout"] = max(deadline.remaining(), 0.001)
                try:
                    response = super().request(method, url, *args, **kwargs)
                except requests.RequestException as error:
                    error = deadline.explain(error)
                    self._record_failure(method, url, kwargs, error, time.perf_counter() - started)
                    raise error from None
                try:
                    read_body(response, deadline, self.max_response_bytes, self.max_decoded_bytes)
                except (requests.RequestException, ResponseTooLarge) as error:
                    self._record(response, time.perf_counter() - started, note=f"{type(error).__name__}: {error}")
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
    def _record(self, response: requests.Response, elapsed: float, note: str | None = None) -> None:
        if evidence.current is not None:
            evidence.current.append(Captured.of(self.redactor, response, elapsed, note))

    def exchange(self, response: requests.Response, elapsed: float = 0.0) -> dict[str, Any]:
        """One request and its answer as evidence: secrets redacted, every part capped in size."""
        return Captured.of(self.redactor, response, elapsed).evidence()

    def _record_failure(self, method: str, url: str, kwargs: dict[str, Any], error: BaseException,
                        elapsed: float) -> None:
        if evidence.current is None:
            return
        body = kwargs.get("json")
        text = json.dumps(body) if body is not None else kwargs.get("data")
        headers = {**self.headers, **(kwargs.get("headers") or {})}
        evidence.current.append(unanswered(self.redactor, method, url, headers, text, error, elapsed))
