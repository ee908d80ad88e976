"""Where hypothesis keeps its files during an accord run, and what a first run need not pay for.

hypothesis writes a cache folder (``.hypothesis/``) into the working directory even without an
example database; nobody running a conformance check expects one there, so it goes to accord's
cache folder instead.

On a first run (every CI job on a fresh runner) hypothesis also builds a table of the code points
UTF-8 can encode, by trying all 1,114,112 of them: about 1.1 s and 200 MB of peak memory, more
than the rest of a five-vendor run's working set. The answer is fixed by the UTF-8 standard (every
code point except the surrogates), so accord writes the table in hypothesis' own format before
hypothesis looks for it. tests/test_hypothesis_home.py checks the file holds exactly what
hypothesis itself would compute.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import warnings
from pathlib import Path

# Every code point but the surrogates U+D800..U+DFFF, as hypothesis stores intervals: inclusive pairs.
UTF8_ENCODABLE = [[0, 0xD7FF], [0xE000, 0x10FFFF]]


def cache_dir() -> Path:
    """ACCORD_CACHE_DIR, else $XDG_CACHE_HOME/accord, else ~/.cache/accord."""
    explicit = os.environ.get("ACCORD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "accord"


def use_accord_cache_dir() -> None:
    """Point hypothesis at accord's cache folder and give it the UTF-8 table it would compute."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(str(cache_dir() / "hypothesis"))
    seed_utf8_table()


def seed_utf8_table() -> Path | None:
    """Write hypothesis' UTF-8 code point table where it looks for it, unless it is there already.

    Uses hypothesis' own notion of the file's place (an internal function); if a future hypothesis
    moves it, nothing is written and the first run pays as before. An unwritable folder is not an
    error either: hypothesis then computes the table in memory, as it would anyway.
    """
    try:
        from hypothesis.errors import HypothesisSideeffectWarning
        from hypothesis.internal.charmap import charmap_file

        with warnings.catch_warnings():  # asking for the path is no slow side effect here: nothing is computed
            warnings.simplefilter("ignore", HypothesisSideeffectWarning)
            target = Path(charmap_file("codec-utf-8"))
    except (ImportError, AttributeError, TypeError):
        return None
    if target.exists():
        return target
    import gzip

    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".utf8-")
        os.close(fd)
        with gzip.GzipFile(temporary, "wb", mtime=1) as out:  # mtime=1: hypothesis' own byte-stable form
            out.write(json.dumps(UTF8_ENCODABLE).encode())
        os.replace(temporary, target)  # atomic: a parallel run reads the old absence or the whole file
        return target
    return None
