"""A contract's known documentation issues: where the vendor's documentation contradicts itself
or leaves a gap, and how the contract resolves it (``doc-issues.yaml`` beside ``clauses.yaml``).

The list is part of the contract a report is judged against: a reader who sees a verdict that
looks wrong against one page of the documentation finds here that another page says otherwise and
which reading the contract took. A file that is present but malformed is a configuration error
named in one line (file and entry), never a traceback; an absent file is an empty list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from accord.errors import ConfigError
from accord.yamlfiles import read_yaml

DOC_ISSUES_FILE = "doc-issues.yaml"
REQUIRED = ("id", "where", "says", "other_place_says", "resolution")


@dataclass(frozen=True)
class DocIssue:
    id: str
    where: str  # the place in the documentation that says it
    says: str
    other_place_says: str  # what another place (or the vendor's own published source) says instead
    resolution: str  # what the contract (schemas, clauses, simulator) does about it
    clauses: list[str] = field(default_factory=list)  # optional: the clauses the resolution shaped

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_doc_issues(path: Path, clause_ids: Collection[str]) -> list[DocIssue]:
    """The entries of ``path`` in file order; keys beyond the known ones are left for their readers.

    ``clause_ids`` are the contract's clauses: an entry's optional ``clauses`` must name known ones."""
    if not path.is_file():
        return []
    raw = read_yaml(path)
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: expected a list of entries with keys {', '.join(REQUIRED)}, "
                          f"found a {type(raw).__name__}")
    issues: list[DocIssue] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        issue = _issue(entry, clause_ids, seen)
        if isinstance(issue, str):
            label = entry.get("id") if isinstance(entry, dict) and isinstance(entry.get("id"), str) else f"#{number}"
            raise ConfigError(f"{path}: entry {label}: {issue}")
        seen.add(issue.id)
        issues.append(issue)
    return issues


def _issue(entry: Any, clause_ids: Collection[str], seen: set[str]) -> DocIssue | str:
    """The entry as a DocIssue, or what is wrong with it in a few words."""
    if not isinstance(entry, dict):
        return f"expected a mapping with keys {', '.join(REQUIRED)}, found a {type(entry).__name__}"
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        return f"missing key{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
    for key in REQUIRED:
        if not isinstance(entry[key], str) or not entry[key].strip():
            return f"{key} must be non-empty text (quote it in YAML), found {entry[key]!r:.40}"
    if entry["id"] in seen:
        return "duplicate id"
    clauses = entry.get("clauses") or []
    if not isinstance(clauses, list) or not all(isinstance(c, str) for c in clauses):
        return "clauses must be a list of clause ids"
    unknown = [c for c in clauses if c not in clause_ids]
    if unknown:
        return f"clauses names {unknown[0]!r}, which is not in clauses.yaml"
    return DocIssue(*(entry[key].strip() for key in REQUIRED), clauses=list(clauses))
