"""Framework-free request/response model and routing for the simulators.

Kept free of any web framework so that one ``handle`` function serves both the loopback HTTP
server and the in-process transport, and so a simulator costs nothing to start.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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

    An ``int`` parameter only matches digits, as Symfony-style ``requirements`` do, so a
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

    def __init__(self, faults: list[str] | tuple[str, ...] = ()) -> None:
        self.faults = self.catalogue.select(faults) if self.catalogue else frozenset()
        self.router = Router()
        self.requests_served = 0
        self.routes()

    def routes(self) -> None:
        raise NotImplementedError

    def fault(self, name: str) -> bool:
        return name in self.faults

    def not_found(self, request: Request) -> Response:
        return json_response(404, {"code": 404, "message": "Not Found"})

    def method_not_allowed(self, request: Request, allowed: list[str]) -> Response:
        """RFC 9110 (15.5.6) requires ``Allow`` on a 405; Symfony's router sends it."""
        return json_response(405, {"code": 405, "message": "Method Not Allowed"}, {"Allow": ", ".join(allowed)})

    def server_error(self, request: Request, error: Exception) -> Response:
        return json_response(500, {"code": 500, "message": "Internal Server Error"})

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
