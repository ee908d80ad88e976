"""write_reports / load_results / validate_results: what is written validates, bad input writes nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from accord.report import SCHEMA_PATH, load_results, validate_results, write_reports

from .factory import copied


def test_writes_every_file_and_returns_the_paths(tmp_path: Path, acme: dict[str, Any]) -> None:
    paths = write_reports([acme], tmp_path / "out")
    assert [p.name for p in paths] == ["acme.json", "acme.html", "acme.junit.xml", "index.html"]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert not list((tmp_path / "out").glob(".*tmp*")), "temporary files left behind"


def test_written_json_validates_and_round_trips(tmp_path: Path, acme: dict[str, Any]) -> None:
    write_reports([acme], tmp_path)
    data = json.loads((tmp_path / "acme.json").read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(data)
    assert data == acme
    assert load_results(tmp_path) == [acme]


def test_invalid_results_name_the_first_error_and_write_nothing(tmp_path: Path, acme: dict[str, Any]) -> None:
    bad = copied(acme)
    bad["clauses"][1]["verdict"] = "maybe"
    bad["run"]["seed"] = "not a number"
    with pytest.raises(ValueError, match=r"acme.*\$\.run\.seed.*not of type 'integer'.*1 more"):
        write_reports([bad], tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("path", "value", "where"), [
    (("vendor", "name"), "../../etc", r"\$\.vendor\.name"),
    (("run", "started_at"), "yesterday", r"\$\.run\.started_at.*date-time"),
    (("format",), "accord-results/2", r"\$\.format"),
])
def test_validate_results_rejects(acme: dict[str, Any], path: tuple[str, ...], value: str,
                                  where: str) -> None:
    bad = copied(acme)
    target = bad
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(ValueError, match=where):
        validate_results(bad)


def test_duplicate_vendor_in_one_call_is_refused(tmp_path: Path, acme: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="acme"):
        write_reports([acme, copied(acme)], tmp_path)


def test_load_results_skips_foreign_json_and_reports_broken_results(tmp_path: Path, acme: dict[str, Any],
                                                                   bolt: dict[str, Any]) -> None:
    write_reports([bolt, acme], tmp_path)
    (tmp_path / "package.json").write_text('{"name": "not accord"}', encoding="utf-8")
    (tmp_path / "broken.json").write_text('{"format": "accord-results/1", "vendor"', encoding="utf-8")
    with pytest.raises(ValueError, match="broken.json"):
        load_results(tmp_path)
    problems: list[str] = []
    loaded = load_results(tmp_path, problems=problems)
    assert [r["vendor"]["name"] for r in loaded] == ["acme", "bolt"]
    assert len(problems) == 1 and problems[0].startswith("broken.json")


def test_a_broken_results_file_does_not_stop_the_index(tmp_path: Path, acme: dict[str, Any],
                                                       bolt: dict[str, Any]) -> None:
    (tmp_path / "old.json").write_text(json.dumps({"format": "accord-results/0"}), encoding="utf-8")
    write_reports([acme], tmp_path)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "old.json" in index and "Results files left out" in index
    assert 'href="acme.html"' in index


def test_lone_surrogates_from_a_vendor_still_write(tmp_path: Path, acme: dict[str, Any]) -> None:
    acme["clauses"][1]["tests"][0]["evidence"][0]["response_body"] = "broken \ud800 text"
    write_reports([acme], tmp_path)
    data = json.loads((tmp_path / "acme.json").read_text(encoding="utf-8"))
    assert data["clauses"][1]["tests"][0]["evidence"][0]["response_body"] == "broken \ud800 text"
    assert "broken \ufffd text" in (tmp_path / "acme.html").read_text(encoding="utf-8")
