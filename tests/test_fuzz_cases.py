"""The fuzz sends only requests that differ: path ids the run fixes are not generated, boundary
cases that ``prepare`` turns into the same request are sent once, and no credentials are generated
(the run's session authenticates every request itself)."""

from __future__ import annotations

import json

import pytest
import requests

from accord.contracts import load_contract
from accord.errors import RunSafetyError
from accord.fuzz import CHECKS, coverage_cases, fuzz, operation

KIMAI = load_contract("kimai").openapi_path
GENERATED_CREDENTIALS = {"authorization", "x-auth-user", "x-auth-token"}


class Recording(requests.Session):
    """A session that records what the fuzz sends and answers every request with the same 404."""

    base_url = "http://127.0.0.1:9"
    timeout = 1.0

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, str, str, str, str]] = []
        self.header_names: set[str] = set()

    def request(self, method, url, **kwargs):  # type: ignore[override]
        headers = {k.lower() for k in (kwargs.get("headers") or {})}
        body = json.dumps(kwargs.get("json"), sort_keys=True, default=repr) + repr(kwargs.get("data"))
        sent_headers = repr(sorted((kwargs.get("headers") or {}).items()))
        self.sent.append((method, url, json.dumps(kwargs.get("params"), sort_keys=True, default=repr), body, sent_headers))
        self.header_names.update(headers)
        response = requests.Response()
        response.status_code, response.url = 404, url
        response._content = b'{"code":404,"message":"Not found"}'
        response.headers["Content-Type"] = "application/json"
        response.request = requests.Request(method, url).prepare()
        return response


class Verdicts:
    def __init__(self) -> None:
        self.failed: list[str] = []

    def fail(self, clause: str, message: str, evidence=None) -> None:
        self.failed.append(message)


def run(label: str, prepare, session: Recording | None = None, **kwargs) -> Recording:
    session = session or Recording()
    fuzz(operation(KIMAI, label), session, examples=20, boundaries=40, verify=Verdicts(),
         clause_of_check=dict.fromkeys(CHECKS, "kimai.x"), prepare=prepare, **kwargs)
    return session


def own_customer(case) -> None:
    if case.path_parameters:
        case.path_parameters = {**case.path_parameters, "id": 7}


def test_an_operation_with_only_a_fixed_path_id_is_sent_once():
    """GET /api/customers/{id} takes nothing but the id, and the run fixes the id: every case
    would be the same request, so one is sent (before, 20 random cases per mode repeated it)."""
    session = run("GET /api/customers/{id}", own_customer, path_parameters={"id": 7})
    assert {url for _, url, *_ in session.sent} == {"http://127.0.0.1:9/api/customers/7"}
    assert len(session.sent) == len(set(session.sent)) <= 2  # the request, and a content-type probe


def test_every_request_sent_differs_and_names_the_run_record():
    session = run("PATCH /api/customers/{id}", own_customer, path_parameters={"id": 7})
    assert session.sent, "nothing was fuzzed"
    assert all(url.endswith("/api/customers/7") for _, url, *_ in session.sent)
    assert len(session.sent) == len(set(session.sent)), "a request was sent twice"


def test_boundary_cases_that_prepare_makes_alike_are_sent_once():
    op = operation(KIMAI, "GET /api/customers/{id}/rates")
    raw = [case for case in op.schema.iter_coverage_cases(
        op, generation_modes=[__import__("schemathesis").GenerationMode.NEGATIVE],
        generation_config=op.schema.config.generation_for(operation=op))]
    assert len(raw) > 2, "the coverage phase no longer varies the id: this test needs another operation"
    prepared = list(coverage_cases(op, "negative", 100, own_customer))
    assert 0 < len(prepared) < len(raw)
    assert all(case.path_parameters["id"] == 7 for case in prepared)


@pytest.mark.parametrize("label", ["GET /api/customers", "POST /api/customers", "PATCH /api/customers/{id}"])
def test_no_credentials_are_generated(label):
    """The run's session adds its own auth; a generated Authorization or X-AUTH-* header would be
    sent in its place."""
    session = run(label, own_customer, path_parameters={"id": 7})
    assert session.sent
    assert not session.header_names & GENERATED_CREDENTIALS


class Guarded(Recording):
    """A write guard that refuses every body it cannot read as JSON (what a content-type probe sends)."""

    refused = 0

    def request(self, method, url, **kwargs):  # type: ignore[override]
        if method != "GET" and kwargs.get("data") is not None:
            self.refused += 1
            raise RunSafetyError(f"refused {method} {url}: the run did not create that record")
        return super().request(method, url, **kwargs)


class RefusesAll(Recording):
    def request(self, method, url, **kwargs):  # type: ignore[override]
        raise RunSafetyError(f"refused {method} {url}: the run did not create that record")


def test_a_case_the_write_guard_refuses_is_left_unsent():
    session = Guarded()
    cyclesoftware = load_contract("cyclesoftware").openapi_path

    def own(case) -> None:
        case.path_parameters = {"customer_id": 7}

    sent = fuzz(operation(cyclesoftware, "PUT /api/v1/customers/{customer_id}.json"), session, examples=5,
                boundaries=1000, verify=Verdicts(), clause_of_check=dict.fromkeys(CHECKS, "cyclesoftware.x"),
                prepare=own, path_parameters={"customer_id": 7}, modes=("negative",))
    assert session.refused, "no case was refused: this test needs cases the guard refuses"
    assert sent == len(session.sent) > 0


def test_an_operation_whose_every_case_is_refused_is_an_error():
    """prepare did not point the operation at the run's records: that is the suite's bug, not a pass."""
    with pytest.raises(RunSafetyError):
        run("PATCH /api/customers/{id}", own_customer, path_parameters={"id": 7}, session=RefusesAll())


def test_a_case_schemathesis_cannot_serialize_is_skipped():
    """A body in a media type schemathesis cannot write (Valomnia documents image/bmp): no request, no error."""
    session = Recording()
    cyclesoftware = load_contract("cyclesoftware").openapi_path

    def as_bitmap(case) -> None:
        case.path_parameters = {"customer_id": 7}
        if case.body is not None:
            case.media_type = "image/bmp"

    sent = fuzz(operation(cyclesoftware, "PUT /api/v1/customers/{customer_id}.json"), session, examples=3, boundaries=3,
                verify=Verdicts(), clause_of_check=dict.fromkeys(CHECKS, "cyclesoftware.x"), prepare=as_bitmap,
                path_parameters={"customer_id": 7}, modes=("positive",))
    assert sent == len(session.sent) == 0
