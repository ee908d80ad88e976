"""What accord prints is printable: a vendor's strings never reach a terminal as control sequences,
and never at a size no one can read.

A vendor's answers end up in failure messages and tracebacks; an ESC there could clear the screen
or rewrite earlier lines (and spoof a verdict), a NUL or BEL garbles a CI log. Control characters
are shown as visible escapes (``\\x1b``), and long texts are cut with a note of what was left out.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator
from typing import Any, TextIO

MAX_MESSAGE_CHARS = 4_000  # default of --max-message-chars: a failure message, a detail, an example

# C0 controls except tab and newline, DEL, and the C1 controls (U+0080-U+009F; U+009B is a CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The stream filter also lets carriage returns and SGR colour codes (ESC [ digits m) through:
# pytest writes them itself; vendors' text reaches the stream already made printable (plugin).
_STREAM_CONTROL = re.compile(r"\x1b\[[0-9;]*m|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return char if len(char) > 1 else f"\\x{ord(char):02x}"


def printable(text: str) -> str:
    """``text`` with every control character but tab and newline as a visible escape."""
    return _CONTROL.sub(_escape, text)


def cap(text: str | None, limit: int = MAX_MESSAGE_CHARS) -> str | None:
    """At most ``limit`` characters (the start, which says what failed), with a note of the rest."""
    if text is None or len(text) <= limit:
        return text
    return text[:limit] + f"\n… [{len(text) - limit:,} more characters not kept; --max-message-chars]"


def cap_tail(text: str | None, limit: int = MAX_MESSAGE_CHARS) -> str | None:
    """At most ``limit`` characters, the end kept (a traceback's end says what failed)."""
    if text is None or len(text) <= limit:
        return text
    return f"[{len(text) - limit:,} characters before this not kept; --max-message-chars] …\n" + text[-limit:]


class PrintableStream:
    """A text stream that writes through to another, control characters made visible."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(_STREAM_CONTROL.sub(_escape, text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer...
        return getattr(self._stream, name)


@contextlib.contextmanager
def printable_streams() -> Iterator[None]:
    """sys.stdout and sys.stderr filtered for the block (pytest's terminal writer takes them at start)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(sys.stdout), PrintableStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
