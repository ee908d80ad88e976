"""Report writers: results dicts in, `<vendor>.json|.html|.junit.xml` and `index.html` out.

The reporters are pure consumers of the results format (results.schema.json): a run hands over
its dicts and nothing else, so a report can be re-rendered from a saved `<vendor>.json`, and the
index is rebuilt from every results file in the directory so that separate runs combine.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from .html import render_vendor_html
from .index import render_index_html
from .junit import render_junit

__all__ = ["load_results", "render_index_html", "render_junit", "render_vendor_html", "validate_results",
           "write_reports"]

FORMAT = "accord-results/1"
SCHEMA_PATH = Path(__file__).with_name("results.schema.json")


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    checker = FormatChecker()
    # date-time is checked here rather than by jsonschema's optional rfc3339 package, so the
    # same results validate alike whatever happens to be installed.
    checker.checks("date-time", raises=ValueError)(_is_date_time)
    return Draft202012Validator(schema, format_checker=checker)


def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time: a date, a time and an offset (`Z` or ±hh:mm)."""
    if not isinstance(value, str):
        return True
    if len(value) < 20 or value[10] not in "Tt ":
        return False
    return datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00")).tzinfo is not None


def _document_order(results: Any) -> Any:
    """Sort key placing an error where its value sits in the dict, as a reader meets it."""
    def key(error: Any) -> list[int]:
        positions, node = [], results
        for step in error.absolute_path:
            keys = list(node) if isinstance(node, dict) else None
            positions.append(keys.index(step) if keys is not None and step in keys else int(step))
            node = node[step]
        return positions
    return key


def validate_results(results: dict[str, Any]) -> None:
    """Raise ValueError naming the first schema error (in document order), so a producer bug is
    reported where it is, instead of as a broken page later."""
    errors = sorted(_validator().iter_errors(results), key=_document_order(results))
    if errors:
        first = errors[0]
        vendor = results.get("vendor") if isinstance(results, dict) else None
        vendor = vendor.get("name", "?") if isinstance(vendor, dict) else "?"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ValueError(f"results for vendor {vendor!r} do not match results.schema.json at "
                         f"{first.json_path}: {first.message}{more}")


def _write(path: Path, data: bytes) -> Path:
    """Write via a temporary file and rename, so a reader (index, CI upload) never sees half a file."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _json_bytes(results: dict[str, Any]) -> bytes:
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from a vendor's \ud800 escapes: keep them exact
        return (json.dumps(results, indent=2, ensure_ascii=True) + "\n").encode("ascii")


def _why(error: BaseException) -> str:
    """What went wrong, in a few words that cannot carry vendor text (a message might)."""
    if isinstance(error, OSError) and error.strerror:
        return f"{type(error).__name__}: {error.strerror}"
    return type(error).__name__


def _write_soft(path: Path, render: Callable[[], bytes], failed: list[Path]) -> Path | None:
    """One report, rendered and written on its own: if it fails, it is named on stderr in one line
    and the run's other reports are still written."""
    try:
        return _write(path, render())
    except Exception as error:  # a report must never cost the others (RecursionError, MemoryError too)
        print(f"accord: could not write {path} ({_why(error)}); the other reports were written", file=sys.stderr)
        failed.append(path)
        return None


def write_reports(results: list[dict[str, Any]], report_dir: Path, failed: list[Path] | None = None) -> list[Path]:
    """Write each vendor's JSON, HTML and JUnit, then regenerate index.html from all results files.

    Every dict is validated before anything is written, so a bad one leaves the directory as it was.
    Each report is then written independently: one that cannot be rendered or written is named on
    stderr (and added to ``failed``) and the others are still written.
    """
    names = []
    for entry in results:
        validate_results(entry)
        names.append(entry["vendor"]["name"])
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(f"more than one results dict for vendor(s) {', '.join(duplicates)}")
    report_dir = Path(report_dir)
    report_dir.mkdir(parents=True, exist_ok=True)
    failed = [] if failed is None else failed
    written: list[Path | None] = []
    for entry, name in zip(results, names, strict=True):
        written.append(_write_soft(report_dir / f"{name}.json", lambda e=entry: _json_bytes(e), failed))
        written.append(_write_soft(report_dir / f"{name}.html",
                                   lambda e=entry: render_vendor_html(e).encode("utf-8"), failed))
        written.append(_write_soft(report_dir / f"{name}.junit.xml", lambda e=entry: render_junit(e), failed))

    written.append(write_index(report_dir, failed))
    return [path for path in written if path is not None]


def write_index(report_dir: Path, failed: list[Path] | None = None) -> Path | None:
    """index.html from every results file in ``report_dir`` (after parallel processes wrote theirs)."""
    def index() -> bytes:
        problems: list[str] = []
        everything = load_results(report_dir, problems=problems)
        return render_index_html(everything, problems).encode("utf-8")

    return _write_soft(Path(report_dir) / "index.html", index, [] if failed is None else failed)


def load_results(report_dir: Path, problems: list[str] | None = None) -> list[dict[str, Any]]:
    """Every valid accord results file in `report_dir`, sorted by vendor name.

    JSON files that are not accord results (no accord `format`) are ignored. A results file that
    does not parse or validate raises ValueError naming it, unless a `problems` list is given: then
    it is skipped and described there (the index shows it instead of failing the whole run).
    """
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(report_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not (isinstance(data, dict) and str(data.get("format", "")).startswith("accord-results/")):
                continue
            validate_results(data)
            name = data["vendor"]["name"]
            if name in found:
                raise ValueError(f"vendor {name!r} already read from another file")
        except (OSError, ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError: ValueErrors
            message = f"{path.name}: {exc}"
            if problems is None:
                raise ValueError(message) from exc
            problems.append(message)
            continue
        found[name] = data
    return [found[name] for name in sorted(found)]
