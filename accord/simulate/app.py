"""Framework-free request/response model and routing for the simulators.

Kept free of any web framework so that one ``handle`` function serves both the loopback HTTP
server and the in-process transport, and so a simulator costs nothing to start.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs


class CaseInsensitiveDict(dict):
    """Header mapping with case-insensitive look-up (keys stored lower-case)."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        super().__init__()
        for key, value in (items or {}).items():
            self[key] = value

    def __setitem__(self, key: str, value: str) -> None:
        super().__setitem__(key.lower(), value)

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: CaseInsensitiveDict = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    path_params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, method: str, path: str, query_string: str, headers: Mapping[str, str], body: bytes) -> Request:
        return cls(
            method=method.upper(),
            path=path,
            query=parse_qs(query_string, keep_blank_values=True),
            headers=CaseInsensitiveDict(headers),
            body=body,
        )

    def arg(self, name: str, default: str | None = None) -> str | None:
        """The last value of a query parameter, as most frameworks read it."""
        values = self.query.get(name)
        return values[-1] if values else default

    def json(self) -> Any:
        """The body parsed as JSON; raises ``ValueError`` on malformed input."""
        if not self.body:
            raise ValueError("empty body")
        return json.loads(self.body.decode("utf-8"))

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def form(self) -> dict[str, list[str]]:
        """An ``application/x-www-form-urlencoded`` or ``multipart/form-data`` body's text fields
        (every value of a repeated field, as servlet and PHP frameworks keep them); files are in
        ``files()``. Raises ``ValueError`` on any other media type."""
        if self.media_type == "application/x-www-form-urlencoded":
            return parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        if self.media_type == "multipart/form-data":
            fields: dict[str, list[str]] = {}
            for name, filename, _, content in self._parts():
                if filename is None:
                    fields.setdefault(name, []).append(content.decode("utf-8", errors="replace"))
            return fields
        raise ValueError(f"not a form body ({self.media_type or 'no content type'})")

    def files(self) -> dict[str, tuple[str, str, bytes]]:
        """A multipart body's file parts: field name -> (file name, content type, content)."""
        if self.media_type != "multipart/form-data":
            return {}
        return {name: (filename, kind, content) for name, filename, kind, content in self._parts() if filename is not None}

    def _parts(self) -> list[tuple[str, str | None, str, bytes]]:
        head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + self.body)
        if not message.is_multipart():
            raise ValueError("malformed multipart body")
        parts = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name is not None:
                parts.append((str(name), part.get_filename(), part.get_content_type(),
                              part.get_payload(decode=True) or b""))
        return parts


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop_connection: bool = False  # a fault: close the socket without answering


DROP = Response(0, drop_connection=True)


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json", **(headers or {})})


def empty_response(status: int = 204) -> Response:
    return Response(status, b"", {})


Handler = Callable[[Request], Response]
_PARAM = re.compile(r"\{(\w+)(?::(int))?\}")


class Router:
    """Method + path template routing: ``/api/customers/{id:int}``.

    An ``int`` parameter only matches digits, as route requirements in common web frameworks do, so a
    non-numeric id falls through to 404 exactly like the vendor's router.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], dict[str, str], Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        kinds: dict[str, str] = {}

        def to_regex(match: re.Match[str]) -> str:
            kinds[match.group(1)] = match.group(2) or "str"
            return rf"(?P<{match.group(1)}>\d+)" if match.group(2) == "int" else rf"(?P<{match.group(1)}>[^/]+)"

        pattern = re.compile("^" + _PARAM.sub(to_regex, template) + "$")
        self._routes.append((method.upper(), pattern, kinds, handler))

    def match(self, request: Request) -> tuple[Handler, dict[str, Any]] | list[str] | None:
        """The handler and path parameters; when only the method is wrong, the methods the path
        allows (for the 405's ``Allow`` header); None when no route has the path."""
        allowed: list[str] = []
        for method, pattern, kinds, handler in self._routes:
            found = pattern.match(request.path)
            if not found:
                continue
            if method == request.method:
                params = {k: int(v) if kinds[k] == "int" else v for k, v in found.groupdict().items()}
                return handler, params
            allowed.append(method)
        return sorted(set(allowed)) or None


class Simulator:
    """Base of every vendor simulator: routing, fault switches, and never a traceback on the wire.

    Subclasses register routes in ``routes()`` and declare ``catalogue`` (their faults) and
    ``credentials`` (the fixed test credentials printed by ``accord serve``).
    """

    catalogue: Any = None  # FaultCatalogue of the vendor
    credentials: dict[str, str] = {}
    # Representative requests, by label: (method, path, query, JSON body), valid with the test
    # credentials on a simulator built with seed_records >= 1. The benchmarks measure the
    # simulator's capacity and its cost at scale with them (benchmarks/capacity.py, scale.py).
    sample_requests: dict[str, tuple[str, str, str, bytes]] = {}
    base_path = ""  # where the vendor's documented base URL sits under the server root (e.g. "/api/v2")

    def __init__(self, faults: list[str] | tuple[str, ...] = ()) -> None:
        self.faults = self.catalogue.select(faults) if self.catalogue else frozenset()
        self.router = Router()
        self.requests_served = 0
        self.routes()

    def routes(self) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict[str, Any]:
        """Every record the simulator holds, deep-copied: accord's own tests compare two snapshots
        to prove a run left pre-existing records untouched and removed what it created."""
        raise NotImplementedError

    def secrets_issued(self) -> list[str]:
        """Secrets the simulator handed out during a run (session cookies, tokens), which must
        appear in no report."""
        return []

    def fault(self, name: str) -> bool:
        return name in self.faults

    def error_body(self, status: int, message: str) -> Response:
        """The vendor's error envelope. Each simulator answers errors as its vendor documents them;
        this plain one is only for a simulator that has not said."""
        return json_response(status, {"error": message})

    def not_found(self, request: Request) -> Response:
        return self.error_body(404, "Not Found")

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        """RFC 9110 (15.5.6) requires ``Allow`` on a 405."""
        response = self.error_body(405, "Method Not Allowed")
        response.headers["Allow"] = ", ".join(allowed)
        return response

    def server_error(self, request: Request, error: Exception) -> Response:
        return self.error_body(500, "Internal Server Error")

    def handle(self, request: Request) -> Response:
        self.requests_served += 1
        found = self.router.match(request)
        if found is None:
            return self.not_found(request)
        if isinstance(found, list):
            return self.method_not_allowed(request, found)
        handler, params = found
        request.path_params = params
        try:
            return handler(request)
        except Exception as error:  # a simulator bug must look like a vendor 500, not kill the server
            return self.server_error(request, error)
