"""Bounded exchanges with a target that may be broken or hostile: a total deadline, and byte caps.

requests bounds each socket operation, not a request: a server that trickles one byte a second
never trips a read timeout, and requests reads any body whole (an endless body, a gzip bomb).
Here every request has a deadline; a watchdog thread shuts the request's socket down when it
passes, whatever the request is doing then (connecting, sending, waiting for headers, reading
the body). The body is read in chunks with a cap on bytes from the wire and one on bytes after
decompression: urllib3 (>= 2.6) inflates at most what one read asks for, so a bomb never grows
past the cap in memory. Past a cap, reading stops and the connection is closed.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

from accord.errors import ResponseTooLarge

# Defaults, changed with --max-response-bytes / --max-decoded-bytes. A customer API answers in
# kilobytes; the largest answer the suites read is a whole customer list (one vendor's GET
# /api/customers is unpaginated: ~0.5 KB a customer, so 8 MB is ~16,000 customers). 32 MB after
# decompression allows a 4:1 ratio on a full-size answer, far above what JSON compresses to.
MAX_RESPONSE_BYTES = 8 * 1024 * 1024
MAX_DECODED_BYTES = 32 * 1024 * 1024
CHUNK = 64 * 1024
KEPT_ON_ERROR = 64 * 1024  # bytes of an answer kept (as evidence) when reading it failed or was stopped


class DeadlineExceeded(requests.exceptions.ReadTimeout):
    """No complete answer within the request's total time (``--timeout``): a ReadTimeout to callers."""


class Deadline:
    """One request's time budget; the watchdog shuts down the socket it watches when it runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._done = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def watch(self, sock: socket.socket | None) -> None:
        with self._lock:
            self._sock = sock
            if self.expired and sock is not None:
                _shutdown(sock)

    def expire(self) -> None:
        with self._lock:
            if self._done:  # the request ended in time; its socket may already serve the next one
                return
            self.expired = True
            if self._sock is not None:
                _shutdown(self._sock)

    def finish(self) -> None:
        with self._lock:
            self._done = True

    def check(self) -> None:
        if self.expired or time.monotonic() >= self.at:
            raise self.exceeded()

    def exceeded(self) -> DeadlineExceeded:
        return DeadlineExceeded(f"no complete answer within {self.seconds:g} s (--timeout bounds each request in total)")

    def explain(self, error: BaseException) -> BaseException:
        """The error a request failed with, or DeadlineExceeded when the watchdog caused it."""
        return self.exceeded() if self.expired or time.monotonic() >= self.at else error


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain method: also wakes a TLS socket's reader


class _Watchdog:
    """One daemon thread for all deadlines (a thread per request would cost more than the request)."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Deadline]] = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None

    def add(self, deadline: Deadline) -> None:
        with self._cond:
            heapq.heappush(self._heap, (deadline.at, next(self._order), deadline))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="accord-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                at, _, deadline = self._heap[0]
                wait = at - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                heapq.heappop(self._heap)
            deadline.expire()


_WATCHDOG = _Watchdog()
_current = threading.local()


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[Deadline]:
    """Requests sent in this block by this thread (through BoundedAdapter) end by ``seconds`` from now."""
    deadline = Deadline(seconds)
    previous = getattr(_current, "deadline", None)
    _current.deadline = deadline
    _WATCHDOG.add(deadline)
    try:
        yield deadline
    finally:
        deadline.finish()
        _current.deadline = previous


def _watch(sock: socket.socket | None) -> None:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None and sock is not None:
        deadline.watch(sock)


class _Watched:
    """Hands each socket to the current deadline: a new one when made, a kept-alive one when reused."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        _watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)
        super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class BoundedAdapter(HTTPAdapter):
    """requests' adapter whose connections are watched by the current deadline."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS pools have their own classes: per-read timeouts only
            manager.pool_classes_by_scheme = _POOLS
        return manager


class BoundedSession(requests.Session):
    """A requests session whose connections are watched by deadlines, and that never follows a
    redirect: requests would read a 3xx body whole (``resp.content``) even with redirects off."""

    def __init__(self) -> None:
        super().__init__()
        self.mount("http://", BoundedAdapter())
        self.mount("https://", BoundedAdapter())

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None  # a 3xx is an answer, never a hop: its Location may be a host that must not get credentials


def read_body(response: requests.Response, deadline: Deadline, max_bytes: int, max_decoded: int) -> None:
    """Reads a streamed response's body into ``response.content``, within the deadline and caps.

    Raises DeadlineExceeded or ResponseTooLarge (after closing the connection), or requests'
    own errors for a broken body; ``response.content`` then holds what was read (at most a cap).
    """
    if response._content_consumed:  # an adapter without a socket (the in-process simulator) read it already
        return
    raw = response.raw
    kept = bytearray()
    problem: BaseException | None = None
    try:
        while True:
            deadline.check()
            chunk = raw.read(CHUNK, decode_content=True)
            if not chunk:
                deadline.check()  # a socket the watchdog shut down reads as the end of the body
                break
            kept += chunk
            if raw.tell() > max_bytes:
                problem = ResponseTooLarge(f"the answer is larger than {max_bytes:,} bytes (--max-response-bytes): "
                                           f"reading stopped there and the connection was closed")
                break
            if len(kept) > max_decoded:
                problem = ResponseTooLarge(f"the answer inflates to more than {max_decoded:,} bytes "
                                           f"(--max-decoded-bytes; {raw.tell():,} bytes on the wire): reading stopped "
                                           f"there and the connection was closed")
                break
    except DeadlineExceeded as error:
        problem = error
    except (ProtocolError, DecodeError, ReadTimeoutError, SSLError, OSError, http.client.HTTPException) as error:
        problem = deadline.explain(_as_requests_error(error))
    if problem is not None:
        with contextlib.suppress(Exception):
            raw.close()
            raw.release_conn()
        del kept[KEPT_ON_ERROR:]  # the caller gets the error, not the body: a prefix is evidence enough
    response._content = bytes(kept)
    response._content_consumed = True
    if problem is not None:
        raise problem


def _as_requests_error(error: BaseException) -> BaseException:
    """What requests' own body reading raises for the same urllib3 error (callers catch those)."""
    if isinstance(error, ProtocolError):
        return requests.exceptions.ChunkedEncodingError(error)
    if isinstance(error, DecodeError):
        return requests.exceptions.ContentDecodingError(error)
    if isinstance(error, ReadTimeoutError):
        return requests.exceptions.ConnectionError(error)
    if isinstance(error, SSLError):
        return requests.exceptions.SSLError(error)
    return requests.exceptions.ConnectionError(error)


def total_seconds(timeout: Any, default: float) -> float:
    """A requests ``timeout`` (seconds, (connect, read) or None) as a total, never above ``default``."""
    if timeout is None:
        return default
    if isinstance(timeout, tuple):
        timeout = sum(t for t in timeout if t is not None) or default
    return min(float(timeout), default)


def probe(url: str, seconds: float) -> None:
    """One GET within ``seconds`` in total, headers only (the body is not read); raises on no answer."""
    with BoundedSession() as session, bounded(seconds) as deadline:
        try:
            session.get(url, timeout=(seconds, seconds), allow_redirects=False, stream=True).close()
        except requests.RequestException as error:
            raise deadline.explain(error) from None
