"""Two ways to reach a simulator: real HTTP on 127.0.0.1, or a requests adapter in process.

The loopback server is what ``accord serve`` and live-style runs use; the in-process adapter
skips sockets for the built-in target. Both go through ``Simulator.handle``, so verdicts agree.
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from urllib3.response import HTTPResponse

from accord.simulate.app import Request, Simulator

MAX_BODY = 10 * 1024 * 1024


def _handler_class(simulator: Simulator, prefix: str = "") -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive: a suite's session reuses one connection

        def setup(self) -> None:
            super().setup()
            # Without this, small responses wait out the peer's delayed ACK (~40 ms each).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413)
                return
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            path = parts.path
            if prefix:  # served under a path, as behind a reverse proxy: the simulator sees its own paths
                if not (path == prefix or path.startswith(prefix + "/")):
                    self.send_error(404)
                    return
                path = path[len(prefix):] or "/"
            request = Request.build(self.command, path, parts.query, dict(self.headers.items()), body)
            response = simulator.handle(request)
            if response.drop_connection:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self._headers_buffer.append(b"\r\n")  # end of headers; then the body in the same write
            if self.command != "HEAD":
                self._headers_buffer.append(response.body)
            self.flush_headers()

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: object) -> None:  # quiet: evidence is captured client-side
            pass

    return Handler


class SimulatorServer:
    """A simulator on a free port of 127.0.0.1, served by threads until ``stop``."""

    def __init__(self, simulator: Simulator, port: int = 0, prefix: str = "") -> None:
        """``prefix``: serve the whole simulator under a path (``/behind/a/proxy``), as a reverse proxy would."""
        self.simulator = simulator
        self.prefix = prefix.rstrip("/")
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _handler_class(simulator, self.prefix))
        self._server.daemon_threads = True
        # shutdown() waits for the serve loop's next poll: at the default 0.5 s that was ~0.4 s of
        # every run's end (benchmarks/RESULTS.md, profile); at 0.05 s it is not measurable.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="accord-simulator", daemon=True)

    @property
    def root_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.prefix}"

    @property
    def base_url(self) -> str:
        """The URL the vendor's docs make paths relative to: the root, plus the API's own base path."""
        return self.root_url + self.simulator.base_path

    def start(self) -> SimulatorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class InProcessAdapter(BaseAdapter):
    """A requests transport that hands the prepared request straight to ``Simulator.handle``."""

    def __init__(self, simulator: Simulator) -> None:
        super().__init__()
        self.simulator = simulator

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: object = None,
             verify: object = True, cert: object = None, proxies: object = None) -> requests.Response:
        parts = urlsplit(request.url or "")
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        # urllib3 adds Host on the wire; a simulator that writes links from it must see it here too
        headers = {"Host": parts.netloc, **dict(request.headers)}
        sim_request = Request.build(request.method or "GET", parts.path, parts.query, headers, body)
        sim_response = self.simulator.handle(sim_request)
        if sim_response.drop_connection:
            raise requests.ConnectionError("the simulator closed the connection without an answer")
        raw = HTTPResponse(
            body=BytesIO(sim_response.body), headers=sim_response.headers, status=sim_response.status,
            preload_content=False, decode_content=False,
        )
        response = requests.Response()
        response.status_code = sim_response.status
        response.headers = CaseInsensitiveDict(sim_response.headers)
        response.raw = raw
        response.url = request.url or ""
        response.request = request
        response.reason = ""
        response.encoding = None
        response._content = sim_response.body
        response._content_consumed = True
        return response

    def close(self) -> None:
        pass
