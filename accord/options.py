"""The options of a conformance run, defined once for ``accord run`` and for plain pytest.

``accord run`` and ``pytest suites/<vendor>`` take the same run options; both parsers are built
from this one table, and ``accord run`` hands its values on to pytest from it, so an option can
no longer exist in one front door and not the other, or differ in default or help between them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from accord.profiles import PROFILES
from accord.terminal import MAX_MESSAGE_CHARS
from accord.wire import MAX_DECODED_BYTES, MAX_RESPONSE_BYTES

TRANSPORTS = ("http", "inprocess")


@dataclass(frozen=True)
class RunOption:
    flag: str
    help: str
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def dest(self) -> str:
        return self.flag.lstrip("-").replace("-", "_")

    @property
    def default(self) -> Any:
        return self.kwargs.get("default", [] if self.kwargs.get("action") == "append" else None)

    def argv(self, value: Any) -> list[str]:
        """The flags that give pytest ``value``; nothing for the default."""
        if value == self.default or value is None:
            return []
        if self.kwargs.get("action") == "store_true":
            return [self.flag] if value else []
        if self.kwargs.get("action") == "append":
            return [part for item in value for part in (self.flag, str(item))]
        return [self.flag, str(value)]


RUN_OPTIONS: tuple[RunOption, ...] = (
    RunOption("--base-url", "a live target's root URL (one vendor only); default: the built-in simulator"),
    RunOption("--profile", "example counts (default quick)", {"choices": sorted(PROFILES), "default": "quick"}),
    RunOption("--seed", "seed of generated examples (default 0)", {"type": int, "default": 0}),
    RunOption("--report-dir", "where reports go (default reports/)", {"default": "reports"}),
    RunOption("--read-only", "run only checks that create, change and delete nothing", {"action": "store_true"}),
    RunOption("--fault", "switch a simulator fault on (proves the suite catches it; repeatable)",
              {"action": "append", "default": [], "metavar": "NAME"}),
    RunOption("--transport", "how the built-in simulator is reached (default http on 127.0.0.1)",
              {"choices": TRANSPORTS, "default": "http"}),
    RunOption("--timeout", "seconds per request in total: connect, send, headers and body (default 10)",
              {"type": float, "default": 10.0}),
    RunOption("--rate-limit", "requests per minute the run keeps under (default: the vendor's documented limit, "
              "if it documents one; X-RateLimit-Remaining is obeyed either way)", {"type": int, "metavar": "N"}),
    RunOption("--max-response-bytes", f"bytes of one answer read from the wire before it is an error "
              f"(default {MAX_RESPONSE_BYTES:,})", {"type": int, "default": MAX_RESPONSE_BYTES, "metavar": "N"}),
    RunOption("--max-decoded-bytes", f"bytes of one answer after decompression (default {MAX_DECODED_BYTES:,})",
              {"type": int, "default": MAX_DECODED_BYTES, "metavar": "N"}),
    RunOption("--max-message-chars", f"characters kept of a failure message or detail (default {MAX_MESSAGE_CHARS:,})",
              {"type": int, "default": MAX_MESSAGE_CHARS, "metavar": "N"}),
    RunOption("--expectations", "YAML list of known failures (clause, reason, ticket, expires)", {"metavar": "FILE"}),
    RunOption("--seed-records", "records the simulator holds before the run", {"type": int, "default": 0}),
    RunOption("--target-version", "the vendor version to check the target as (ACCORD_<VENDOR>_VERSION wins; "
              "default: what the target says where the vendor can tell, else the vendor's default)",
              {"metavar": "VERSION"}),
    RunOption("--clause", "run only the tests of this clause (repeatable); the others show as not selected",
              {"action": "append", "default": [], "metavar": "ID"}),
)


def add_run_options(add: Callable[..., Any]) -> None:
    """Declares every run option through ``add`` (argparse's add_argument or pytest's addoption)."""
    for option in RUN_OPTIONS:
        add(option.flag, help=option.help, **option.kwargs)


def run_argv(values: argparse.Namespace) -> list[str]:
    """pytest's arguments for the run options ``values`` hold."""
    return [part for option in RUN_OPTIONS for part in option.argv(getattr(values, option.dest))]
