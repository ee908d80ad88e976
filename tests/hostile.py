"""A misbehaving target for accord's own tests and benchmarks: a vendor's simulator on 127.0.0.1
behind a server that misbehaves in one way (redirects elsewhere, answers without end, trickles,
inflates, echoes the credentials, sends huge or control-laden strings).

Generic over vendors: everything vendor-specific comes from the vendor's declaration (its
simulator, that simulator's test credentials, its settings and variable names), so every vendor
gets the same hostile tests by parametrising over ``accord.vendors.all_vendors()``.

    with Hostile("kimai", huge(200 * MB), skip=1, limit=3) as server:
        run_measured("run", "kimai", "--base-url", server.base_url, env=server.env, ...)

Every loop is bounded in count and time, and the servers stop with the block.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from accord.simulate.app import Request, Response
from accord.vendors import get_vendor

# The accord checkout the runs use: this one, or another (an earlier commit, to show a test fails without its fix).
ROOT = Path(os.environ.get("ACCORD_HOSTILE_ROOT") or Path(__file__).resolve().parent.parent)
MB = 1024 * 1024
SERVER_BOUND_S = 120  # no misbehaviour goes on longer than this, whatever the client does
ENDLESS_BOUND = 4096 * MB  # nor sends more than this (a client without a cap would hold it all)
CONTROL = "\x1b[2J\x07\x00"  # clear screen, bell, NUL

# A misbehaviour: writes the whole answer on the handler's socket (status line included) for a
# request the simulator answered with ``answer``.
Behaviour = Callable[["_Handler", Request, Response], None]


def credentials_env(vendor_name: str, simulator: Any) -> dict[str, str]:
    """``ACCORD_<VENDOR>_*`` for the simulator's fixed test credentials and settings."""
    vendor = get_vendor(vendor_name)
    values = {**simulator.credentials, **vendor.simulator_settings}
    return {vendor.env_name(name): value for name, value in values.items()}


def _write(handler: _Handler, data: bytes) -> bool:
    """False once the client is gone (it closed the connection: the point of most tests)."""
    try:
        handler.wfile.write(data)
        handler.wfile.flush()
        return True
    except OSError:
        return False


def _head(status: int, headers: dict[str, str], keep_alive: bool = False) -> bytes:
    """A status line and headers; the connection closes after a misbehaving answer, and says so."""
    headers = headers if keep_alive else {**headers, "Connection": "close"}
    lines = [f"HTTP/1.1 {status} X"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _wire(answer: Response, body: bytes | None = None, extra: dict[str, str] | None = None,
          keep_alive: bool = False) -> bytes:
    body = answer.body if body is None else body
    headers = {k: v for k, v in answer.headers.items() if k.lower() != "content-length"}
    return _head(answer.status, {**headers, **(extra or {}), "Content-Length": str(len(body))}, keep_alive) + body


# --- misbehaviours ------------------------------------------------------------------------------
def faithful(handler: _Handler, request: Request, answer: Response) -> None:
    _write(handler, _wire(answer, b"" if request.method == "HEAD" else None, keep_alive=True))


def redirect(to: str, body: Behaviour | None = None) -> Behaviour:
    """302 to the same path on another origin (``to``), where no credential may ever arrive; with
    the body another behaviour sends (its status line replaced), or none."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        location = to.rstrip("/") + request.path
        if body is None:
            _write(handler, _head(302, {"Location": location, "Content-Length": "0"}))
            return
        body(_Redirecting(handler, location), request, answer)
    return behave


class _Redirecting:
    """A handler whose first write (a status line and headers) becomes a 302 to ``location``."""

    def __init__(self, handler: _Handler, location: str) -> None:
        self.handler, self.location, self.first = handler, location, True
        self.wfile = self

    def write(self, data: bytes) -> None:
        if self.first:
            self.first = False
            data = data.replace(b"HTTP/1.1 200 X\r\n", f"HTTP/1.1 302 X\r\nLocation: {self.location}\r\n".encode(), 1)
        self.handler.wfile.write(data)

    def flush(self) -> None:
        self.handler.wfile.flush()


def huge(size: int) -> Behaviour:
    """A JSON answer of ``size`` bytes (declared in Content-Length), sent as fast as it is read."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        block, deadline = b" " * MB, time.monotonic() + SERVER_BOUND_S
        if not _write(handler, _head(200, {"Content-Type": "application/json", "Content-Length": str(size)}) + b"["):
            return
        sent = 1
        while sent < size and time.monotonic() < deadline:
            piece = block[: size - sent]
            if not _write(handler, piece):
                return
            sent += len(piece)
    return behave


def endless(handler: _Handler, request: Request, answer: Response) -> None:
    """A chunked answer that never ends (until the client leaves, SERVER_BOUND_S or ENDLESS_BOUND)."""
    chunk = b"%x\r\n%s\r\n" % (64 * 1024, b" " * (64 * 1024))
    deadline = time.monotonic() + SERVER_BOUND_S
    if not _write(handler, _head(200, {"Content-Type": "application/json", "Transfer-Encoding": "chunked"}) + b"1\r\n[\r\n"):
        return
    for _ in range(ENDLESS_BOUND // (64 * 1024)):
        if time.monotonic() > deadline or not _write(handler, chunk):
            return


@functools.cache
def gzip_bomb(inflated: int = 1024 * MB) -> bytes:
    """``inflated`` bytes of zeros as one gzip stream (1 GiB -> about 1 MB; built once, ~3 s)."""
    compressor, zeros = zlib.compressobj(9, zlib.DEFLATED, 31), b"\0" * MB
    return b"".join([compressor.compress(zeros) for _ in range(inflated // MB)] + [compressor.flush()])


def bomb(inflated: int = 1024 * MB) -> Behaviour:
    """A gzip answer of about 1 MB that inflates to ``inflated`` bytes (1 GiB by default)."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        body = gzip_bomb(inflated)
        _write(handler, _head(200, {"Content-Type": "application/json", "Content-Encoding": "gzip",
                                    "Content-Length": str(len(body))}) + body)
    return behave


bomb_default = bomb()


def trickle(interval: float, body_only: bool = False) -> Behaviour:
    """The simulator's answer one byte every ``interval`` seconds (headers too, unless ``body_only``)."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        data = _wire(answer)
        split = data.index(b"\r\n\r\n") + 4 if body_only else 0
        if split and not _write(handler, data[:split]):
            return
        deadline = time.monotonic() + SERVER_BOUND_S
        for i in range(split, len(data)):
            if time.monotonic() > deadline or not _write(handler, data[i:i + 1]):
                return
            time.sleep(interval)
    return behave


def slow(delay: float) -> Behaviour:
    """The simulator's answer, after ``delay`` seconds of silence."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        time.sleep(min(delay, SERVER_BOUND_S))
        _write(handler, _wire(answer))
    return behave


def _strings(value: Any, change: Callable[[str], str], first_only: bool = False) -> tuple[Any, bool]:
    """``value`` with its JSON strings changed (all, or the first one met); and whether one was."""
    if isinstance(value, str):
        return change(value), True
    changed_any = False
    if isinstance(value, list | dict):
        items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
        out: Any = {} if isinstance(value, dict) else []
        for key, item in items:
            if not (first_only and changed_any):
                item, changed = _strings(item, change, first_only)
                changed_any = changed_any or changed
            if isinstance(out, dict):
                out[key] = item
            else:
                out.append(item)
        return out, changed_any
    return value, False


def json_strings(change: Callable[[str], str], first_only: bool = False,
                 headers: dict[str, str] | None = None) -> Behaviour:
    """The simulator's JSON answers with their strings changed (and ``headers`` added)."""
    def behave(handler: _Handler, request: Request, answer: Response) -> None:
        body = answer.body
        if "json" in answer.headers.get("Content-Type", "") and body:
            with contextlib.suppress(ValueError):
                body = json.dumps(_strings(json.loads(body), change, first_only)[0]).encode()
        _write(handler, _wire(answer, body, headers))
    return behave


def long_field(size: int = MB) -> Behaviour:
    """The first string of every JSON answer ``size`` characters longer; a 60 KB header beside it
    (http.client refuses header lines over 64 KB)."""
    return json_strings(lambda s: s + "x" * size, first_only=True, headers={"X-Long": "y" * 60_000})


def control_chars(handler: _Handler, request: Request, answer: Response) -> None:
    """Every JSON string with a clear-screen sequence, a bell and a NUL appended."""
    json_strings(lambda s: s + CONTROL)(handler, request, answer)


def echo_credentials(handler: _Handler, request: Request, answer: Response) -> None:
    """Every credential the request carried, echoed into each JSON string and a response header."""
    secrets = [v for k, v in request.headers.items() if k.lower() in ("authorization", "x-auth-token", "x-api-key")]
    echo = " ".join(secrets)
    json_strings(lambda s: f"{s} {echo}", headers={"X-Echo": echo})(handler, request, answer)


# --- the server -----------------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hostile: Hostile

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as SimulatorServer: no 40 ms stalls

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 10 * MB)) if length else b""
        parts = urlsplit(self.path)
        request = Request.build(self.command, parts.path, parts.query, dict(self.headers.items()), body)
        hostile = self.hostile
        answer = hostile.simulator.handle(request)
        behaviour = hostile.choose(request)
        if answer.drop_connection:
            self.close_connection = True
            return
        if behaviour is faithful:
            faithful(self, request, answer)
            return
        self.close_connection = True
        started = time.monotonic()
        behaviour(self, request, answer)
        hostile.misbehaved.append((request.method, request.path, time.monotonic() - started))

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Hostile:
    """``vendor``'s simulator behind ``behaviour``: misbehaves on at most ``limit`` requests (all
    when None) after the first ``skip`` ones, and only on those ``when`` accepts."""

    vendor: str
    behaviour: Behaviour
    skip: int = 0
    limit: int | None = None
    when: Callable[[Request], bool] = lambda request: True
    seed_records: int = 0
    seen: int = 0
    chosen: int = 0
    misbehaved: list[tuple[str, str, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.behaviour is bomb_default:
            gzip_bomb()  # built before serving: the ~3 s would otherwise count against accord's timeout
        self.simulator = get_vendor(self.vendor).simulator(seed_records=self.seed_records)
        self.env = credentials_env(self.vendor, self.simulator)
        self._lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"hostile": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def choose(self, request: Request) -> Behaviour:
        with self._lock:
            index, self.seen = self.seen, self.seen + 1
            outside_api = not request.path.startswith(self.simulator.base_path + "/")  # a login beside the API
            if (self.behaviour is faithful or index < self.skip or (self.limit is not None and self.chosen >= self.limit)
                    or outside_api or not self.when(request)):
                return faithful
            self.chosen += 1
        return self.behaviour

    @property
    def base_url(self) -> str:
        """The vendor's base URL on this server: the root plus the simulator's API path."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.simulator.base_path}"

    def __enter__(self) -> Hostile:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class Recorder:
    """A second origin on 127.0.0.1 that answers 200 {} and records every request's headers."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                recorder.requests.append((self.command, self.path, dict(self.headers.items())))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


# --- a measured accord run ------------------------------------------------------------------------
@dataclass
class Measured:
    code: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    wall_s: float
    peak_rss_mb: float
    report_dir: Path

    def results(self, vendor: str) -> dict[str, Any]:
        return json.loads((self.report_dir / f"{vendor}.json").read_text())


def run_measured(*args: str, report_dir: Path, env: dict[str, str] | None = None, timeout: float = 120,
                 argv0: list[str] | None = None, root: Path = ROOT) -> Measured:
    """``accord ARGS --report-dir DIR`` in a fresh process: its exit code, output, wall time and
    peak RSS (``os.wait4``: exactly that process). Killed (code None) after ``timeout`` seconds."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}
    full_env.update(env or {})
    command = [*(argv0 or [sys.executable, "-m", "accord.cli"]), *args, "--report-dir", str(report_dir)]
    with open(os.devnull, "rb") as stdin, _temp() as out, _temp() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=root, env=full_env, stdin=stdin, stdout=out, stderr=err,
                                   start_new_session=True)
        code: int | None = None
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                code = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - started > timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                _, _, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        process.returncode = -9 if code is None else code
        wall = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Measured(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                        wall, usage.ru_maxrss / 1024, report_dir)


def _temp() -> Any:
    import tempfile

    return tempfile.TemporaryFile()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
