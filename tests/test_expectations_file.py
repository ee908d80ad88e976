"""The --expectations file is read defensively: a hostile or mistaken file ends in one ConfigError
line naming the file, never in a MemoryError, a RecursionError or a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.errors import ConfigError
from accord.expectations import load_expectations

# "billion laughs": nine levels of nine aliases, under 700 bytes, that expand to 9^9 strings as
# soon as the reason is turned into text
LAUGHS = "- clause: kimai.a\n  reason: x\n  l0: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  l{level}: &{name} [{', '.join(['*' + prev] * 9)}]\n"
    for level, (prev, name) in enumerate(zip("abcdefgh", "bcdefghi", strict=True), 1)) + \
    "- clause: kimai.b\n  reason: *i\n"

def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kimai.yml"
    path.write_text(text)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_expectations(path, "kimai")
    message = str(caught.value)
    assert str(path) in message and "\n" not in message
    return message


def test_an_alias_bomb_is_refused_before_it_expands(tmp_path):
    assert len(LAUGHS) < 700
    assert "anchor" in refused(write(tmp_path, LAUGHS))


def test_a_single_alias_is_refused_too(tmp_path):
    text = "- &entry {clause: kimai.a, reason: r}\n- *entry\n"
    assert "anchor" in refused(write(tmp_path, text))


def test_an_oversized_file_is_refused_without_parsing_it(tmp_path):
    text = "- {clause: kimai.a, reason: r}\n" * 40_000  # 1.2 MB
    assert "KiB" in refused(write(tmp_path, text))


def test_deep_nesting_is_refused(tmp_path):
    refused(write(tmp_path, "[" * 50_000))


def test_a_plain_file_still_loads(tmp_path):
    path = write(tmp_path, "- clause: kimai.a\n  reason: known\n  expires: 2030-01-01\n"
                           "- clause: other.b\n  reason: not ours\n")
    found = load_expectations(path, "kimai", today=dt.date(2029, 1, 1))
    assert found == {"kimai.a": {"reason": "known", "ticket": None, "expires": "2030-01-01",
                                 "status": "expected-fail"}}
