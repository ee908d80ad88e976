"""A hostile sandbox echoes the token back in every shape: no byte of it reaches any report, the
pytest log, or the terminal (the unit tests of every form are in test_redaction.py)."""

from __future__ import annotations

import json
import re

import pytest

from accord.simulate import Request, Response
from accord.simulate.server import SimulatorServer
from accord.vendors.kimai.simulator import KimaiSimulator

from .conftest import run_accord

TOKEN = "accord-kimai-test-token"
CREDENTIALS = {"ACCORD_KIMAI_TOKEN": TOKEN, "ACCORD_KIMAI_USER": "accord"}
ESCAPED = "".join(f"\\u{ord(c):04x}" if i % 3 == 0 else c for i, c in enumerate(TOKEN))


class Echoing(KimaiSimulator):
    """Kimai that echoes the caller's token: in a field whose type is wrong (so pytest's failure
    text quotes it), \\u-escaped in a text/plain body, and in a header."""

    def handle(self, request: Request) -> Response:
        response = super().handle(request)
        token = request.headers.get("X-AUTH-TOKEN") or ""
        if request.method == "GET" and re.fullmatch(r"/api/customers/\d+", request.path) and response.status == 200:
            payload = json.loads(response.body)
            payload["visible"] = f"{token} was your token, and this is no boolean"
            payload["comment"] = token
            return Response(200, json.dumps(payload).encode(), {**response.headers, "X-Echo": token})
        if request.method == "GET" and request.path == "/api/customers" and request.arg("term"):
            body = '{"error": "' + "".join(f"\\u{ord(c):04x}" if i % 3 == 0 else c for i, c in enumerate(token)) + '"}'
            return Response(500, body.encode(), {"Content-Type": "text/plain"})
        return response


@pytest.fixture
def echoing_sandbox():
    server = SimulatorServer(Echoing()).start()
    yield server.base_url
    server.stop()


def test_an_echoed_token_is_nowhere(echoing_sandbox, tmp_path):
    outcome = run_accord("run", "kimai", "--base-url", echoing_sandbox, "-v", report_dir=tmp_path, env=CREDENTIALS)
    assert outcome.code == 1, outcome.stdout + outcome.stderr
    written = {path.name: path.read_text(errors="replace") for path in tmp_path.iterdir() if path.is_file()}
    assert {"kimai.json", "kimai.html", "kimai.junit.xml", "index.html", "test-log.html"} <= set(written)
    written["stdout"], written["stderr"] = outcome.stdout, outcome.stderr
    for name, text in written.items():
        assert TOKEN not in text, f"{name} holds the token"
        for fragment in (TOKEN[i:i + 8] for i in range(len(TOKEN) - 7)):
            assert fragment not in text, f"{name} holds {fragment!r} of the token"
        assert ESCAPED not in text, f"{name} holds the token \\u-escaped"
    assert "[REDACTED]" in written["kimai.json"], "the token was never echoed: the check above proves nothing"
