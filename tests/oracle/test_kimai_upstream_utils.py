"""Kimai's own unit tests of the rules the simulator and the suite share, ported to accord's code.

Upstream: kimai/kimai@1f421c276 (Kimai 2.66.0) ``tests/Utils/SearchTermTest.php`` (how ``term`` is
split, against accord/vendors/kimai/search.py) and ``tests/Utils/DurationTest.php`` (how a
``timeBudget`` is read, against accord/vendors/kimai/forms.py). Not ported: the deprecated
getSearchField/hasSearchField accessors and getSearchTerm's re-joined string (accord never needs
them), Duration's formatting (Kimai's output, not the API's input), and the invalid colon
formats of getParseDurationInvalidData that the form never receives as a timeBudget.
"""

from __future__ import annotations

import pytest

from accord.vendors.kimai.forms import duration_seconds
from accord.vendors.kimai.search import parse

UPSTREAM = "kimai/kimai@1f421c276"


def parts(term: str) -> list[tuple[str, str | None, bool]]:
    return [(p.term, p.field, p.excluded) for p in parse(term)]


def test_normal_search_term():
    """Ports SearchTermTest::testNormalSearchTerm (kimai/kimai@1f421c276)."""
    assert parts("foo bar test 1") == [("foo", None, False), ("bar", None, False), ("test", None, False), ("1", None, False)]


def test_with_meta_field():
    """Ports SearchTermTest::testWithMetaField (kimai/kimai@1f421c276)."""
    assert parts("foo:bar") == [("bar", "foo", False)]


def test_with_multiple_meta_fields():
    """Ports SearchTermTest::testWithMultipleMetaFields (kimai/kimai@1f421c276), the parts only."""
    assert parts("foo:bar bar:foo") == [("bar", "foo", False), ("foo", "bar", False)]


def test_complex_with_multiple_and_duplicate_meta_fields():
    """Ports SearchTermTest::testComplexWithMultipleAndDuplicateMetaFields (kimai/kimai@1f421c276)."""
    assert parts("foo:bar hello bar:!foo world test foo:bar2 wuff") == [
        ("bar", "foo", False), ("hello", None, False), ("foo", "bar", True), ("world", None, False),
        ("test", None, False), ("bar2", "foo", False), ("wuff", None, False)]


def test_issue_5221():
    """Ports SearchTermTest::testIssue5221 (kimai/kimai@1f421c276): a trailing colon is no field."""
    assert parts("ABC-123: abcd: abcd") == [("ABC-123:", None, False), ("abcd:", None, False), ("abcd", None, False)]
    assert parts("1 : 1:.") == [("1", None, False), (":", None, False), (".", "1", False)]


def test_empty_search_term():
    """Ports SearchTermTest::testEmptySearchTerm (kimai/kimai@1f421c276): name:"" asks for an empty value."""
    assert parts('ABC-123:"" abcd:"" abcd') == [("", "ABC-123", False), ("", "abcd", False), ("abcd", None, False)]


PARSE_DURATION = [
    (3600, 1), (5400, 1.5), (3600, "1"), (5400, "1.5"), (5400, "1,5"), (-5400, "-1.5"), (-5400, "-1,5"),
    (7380, "2.05"), (14760, "4.10"), (15660, "4.35"), (29520, "8.20"), (29520, "8,20"), (-29520, "-8.20"),
    (30420, "8.45"), (31320, "8.70"), (32220, "8.95"), (58140, "16.15"), (0, ""), (0, 0), (99, "99s"),
    (7200, "2h"), (2280, "38m"), (9480, "2h38m"), (9497, "2h38m17s"), (9497, "1h96m137s"), (12420, "3:27"),
    (12420, "3h27m"), (48420, "13:27"), (-48420, "-13:27"), (48474, "13:27:54"), (48474, "12:87:54"),
    (11257200, "3127:00:00"), (11257200, "3127:00"), (-11257277, "-3127:01:17"),
]


@pytest.mark.parametrize(("expected", "duration"), PARSE_DURATION, ids=repr)
def test_parse_duration_string(expected, duration):
    """Ports DurationTest::testParseDurationString with getParseDurationTestData (kimai/kimai@1f421c276)."""
    assert duration_seconds(duration, "2.66") == expected


@pytest.mark.parametrize(("duration", "seconds"), [("8.20", 29519), ("2.05", 7379), ("10,25", 36900)])
def test_decimal_hours_truncated_before_2_64(duration, seconds):
    """Not upstream: kimai/kimai@2.40.0 src/Utils/Duration.php casts decimal hours to int (truncates);
    cce9e287f (2.64) rounds, which is what the 2.66 data above ("8.20" -> 29520) tests."""
    assert duration_seconds(duration, "2.63") == seconds


def test_decimal_format_round_trip():
    """Ports DurationTest::testDecimalFormatRoundTrip (kimai/kimai@1f421c276): every multiple of three
    minutes, written as decimal hours with two places (formatDecimal), reads back exactly."""
    for seconds in range(180, 86401, 180):
        decimal = f"{seconds / 3600:.2f}".rstrip("0").rstrip(".")
        assert duration_seconds(decimal, "2.66") == seconds, decimal
