"""Known failures of a target: clauses expected to fail, each with a reason, ticket and expiry.

A CI gate on a vendor with known deviations lists them here; they show as expected-fail and do
not fail the gate, one that passes again is flagged for removal, and an expired entry fails again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from accord.errors import ConfigError

MAX_BYTES = 256 * 1024  # a list of known failures; anything larger is a mistake or an attack


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader without anchors and aliases: an entry list needs neither, and a few hundred bytes of
    nested aliases (a "billion laughs") would otherwise expand until memory runs out."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not supported here; write each entry out in full")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.YAMLError("anchors (&name) are not supported here; write each entry out in full")
        return super().compose_node(parent, index)


def load_expectations(path: str | Path, vendor: str, today: dt.date | None = None) -> dict[str, dict[str, Any]]:
    """The entries for ``vendor``'s clauses: ``{clause id: {reason, ticket, expires, status}}``.

    The file is a YAML list of ``{clause, reason, ticket?, expires?}``; clause ids carry their vendor.
    """
    today = today or dt.date.today()
    source = Path(path)
    try:
        if source.stat().st_size > MAX_BYTES:
            raise ConfigError(f"--expectations {path}: larger than {MAX_BYTES // 1024} KiB; "
                              "an expectations file lists a few known failures")
        entries = yaml.load(source.read_text(encoding="utf-8"), Loader=_NoAliasLoader) or []
    except OSError as error:
        raise ConfigError(f"--expectations {path}: cannot read it ({error.strerror})") from None
    except UnicodeDecodeError:
        raise ConfigError(f"--expectations {path}: not UTF-8 text") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"--expectations {path}: not valid YAML ({str(error).splitlines()[0]})") from None
    except RecursionError:
        raise ConfigError(f"--expectations {path}: nested too deeply; write a flat list of entries") from None
    if not isinstance(entries, list):
        raise ConfigError(f"--expectations {path}: expected a list of entries with clause and reason")
    found: dict[str, dict[str, Any]] = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict) or not entry.get("clause") or not entry.get("reason"):
            raise ConfigError(f"--expectations {path}: entry {number} needs a clause and a reason")
        clause = str(entry["clause"])
        if not clause.startswith(vendor + "."):
            continue
        expires = entry.get("expires")
        if expires is not None and not isinstance(expires, dt.date):
            try:
                expires = dt.date.fromisoformat(str(expires))
            except ValueError:
                raise ConfigError(f"--expectations {path}: entry {number}: expires must be YYYY-MM-DD") from None
        found[clause] = {
            "reason": str(entry["reason"]),
            "ticket": str(entry["ticket"]) if entry.get("ticket") else None,
            "expires": expires.isoformat() if expires else None,
            "status": "expired" if expires is not None and expires < today else "expected-fail",
        }
    return found
