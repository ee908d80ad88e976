"""Fixtures for the reporters' tests: synthetic results and a report directory written from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.report import write_reports

from .factory import acme_results, bolt_results


@pytest.fixture
def acme() -> dict[str, Any]:
    return acme_results()


@pytest.fixture
def bolt() -> dict[str, Any]:
    return bolt_results()


@pytest.fixture
def report_dir(tmp_path: Path, acme: dict[str, Any], bolt: dict[str, Any]) -> Path:
    """acme and bolt written by two separate calls, as two separate runs would."""
    out = tmp_path / "reports"
    write_reports([acme], out)
    write_reports([bolt], out)
    return out
