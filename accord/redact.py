"""Secret redaction: the one path for everything a run writes or prints.

Reports, JUnit, the pytest log, terminal output and exception messages all go through
``Redactor``. It masks each known secret in every form it can take on the way out: as sent, JSON-,
repr-, HTML- and percent-encoded, base64 (also of ``user:password`` pairs), and any fragment of 8 or
more consecutive characters of any of those forms, so a shortened repr (``'yo...+Lw==Secr3t'``) or a
message that cut the secret still shows no usable part of it. Secrets shorter than 8 characters are
masked as whole occurrences only (a fragment of one would mask ordinary words).

It works in one linear pass per text: the fragments are every 8-character window of every form,
compiled into one trie-shaped regular expression; each hit marks a covered window, the windows
overlapping it are tried in turn, and covered windows merge into masked spans. A 1 MB body costs one regex scan, not one
per secret or per position (benchmarks/redaction.py measures it).

Sensitive header names, and values of sensitive JSON keys and form fields (password, token, api
key, cookie, session id...), are masked by name too: that catches secrets the run never saw.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "[REDACTED]"
FRAGMENT = 8  # a secret's fragment this long or longer is masked wherever it appears
MIN_SECRET = 3  # shorter values cannot be masked without masking ordinary text
SENSITIVE_HEADERS = frozenset({
    "authorization", "proxy-authorization", "cookie", "set-cookie", "x-auth-token", "x-api-key",
    "x-auth-password", "api-key", "apikey",
})
_SENSITIVE_NAME = re.compile(
    r"pass(?:word)?|pwd|secret|token|api[-_]?key|authorization|cookie|sess(?:ion)?[-_]?id|credential", re.I)
# A JSON (or Python repr) key and its scalar value. Strings are matched as whole tokens from their
# opening quote, so each character is scanned a bounded number of times: linear in the text.
_JSON_FIELD = re.compile(
    r'"(?P<dkey>[^"\\\n]{1,200})"(?P<dsep>\s*:\s*)(?P<dval>"[^"\\\n]*(?:\\.[^"\\\n]*)*"|-?\d[\w.+-]*)'
    r"|'(?P<skey>[^'\\\n]{1,200})'(?P<ssep>\s*:\s*)(?P<sval>'[^'\\\n]*(?:\\.[^'\\\n]*)*'|-?\d[\w.+-]*)")
# A header-like or YAML-like line, "Authorization: Bearer x" or "token: x", in a text body.
_NAMED_LINE = re.compile(r"(?m)^(?P<name>[A-Za-z][\w-]{0,99})(?P<sep>[ \t]*:[ \t]*)(?P<val>[^\r\n]+)")
# A form, query or cookie field: name=value after the start, ?, &, ; or whitespace.
_FORM_FIELD = re.compile(r"(?:^|(?<=[?&;\s\"']))(?P<key>[\w.\-\[\]]{1,100})=(?P<val>[^&\s;,\"'<>]*)")


# --- the forms a secret takes on the way out ---------------------------------------------------
def _json_ascii(s: str) -> str:
    return json.dumps(s)[1:-1]


def _json_unicode(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)[1:-1]


def _json_slash(s: str) -> str:
    return _json_ascii(s).replace("/", "\\/")


def _repr(s: str) -> str:
    return repr(s)[1:-1]


def _bytes_repr(s: str) -> str:
    return repr(s.encode("utf-8", "surrogatepass"))[2:-1]


def _markup(s: str) -> str:
    """HTML escaping as Jinja templates do it (pytest-html's log): &#34; and &#39; for quotes."""
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def _percent_lower(s: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), quote(s, safe=""))


_TEXT_ENCODINGS = (_json_ascii, _json_unicode, _json_slash, _repr, _bytes_repr, html.escape, _markup,
                   lambda s: quote(s, safe=""), quote, quote_plus, _percent_lower)


def _base64_forms(raw: str) -> set[str]:
    data = raw.encode("utf-8", "surrogatepass")
    forms = set()
    for encoded in (base64.b64encode(data).decode(), base64.urlsafe_b64encode(data).decode()):
        forms |= {encoded, encoded.rstrip("=")}
    return forms


def forms_of(secret: str) -> set[str]:
    """Every form of ``secret`` to mask: text encodings applied up to twice (an escaped value
    inside an escaped log), pytest-html's chain, the all-``\\uXXXX`` JSON form, and base64."""
    forms = {secret}
    frontier = {secret}
    for _ in range(2):
        frontier = {encode(form) for form in frontier for encode in _TEXT_ENCODINGS} - forms
        forms |= frontier
    forms.add(_markup(_json_ascii(html.escape(secret))))  # pytest-html: escape, then JSON, then template
    forms.add("".join(f"\\u{ord(c):04x}" for c in secret))
    forms.add("".join(f"\\u{ord(c):04X}" for c in secret))
    forms |= _base64_forms(secret)
    return {f for f in forms if f}


# --- the compiled matcher ----------------------------------------------------------------------
def _trie_pattern(words: Iterable[str]) -> str:
    """One regex matching exactly the given equal-length words, shaped as a trie so each position
    costs at most one step per character (sre skips alternatives whose first literal differs)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})

    def emit(node: dict[str, Any]) -> str:
        if not node:
            return ""
        parts = [re.escape(char) + emit(child) for char, child in sorted(node.items())]
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return emit(trie)


class _Matcher:
    """Finds the spans to mask: windows of long secrets' forms, whole forms of short secrets."""

    def __init__(self, long_forms: frozenset[str], whole_forms: frozenset[str]) -> None:
        windows = {form[i:i + FRAGMENT] for form in long_forms for i in range(len(form) - FRAGMENT + 1)}
        self.windows = re.compile(_trie_pattern(windows)) if windows else None
        ordered = sorted(whole_forms, key=len, reverse=True)  # longest first: a form inside another
        self.whole = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self.longest = max(map(len, long_forms | whole_forms), default=0)

    def spans(self, text: str) -> list[tuple[int, int]]:
        found = self._fragments(text) if self.windows is not None else []
        if self.whole is not None:
            found += [match.span() for match in self.whole.finditer(text)]
            found.sort()
        return _merge(found)

    def _fragments(self, text: str) -> list[tuple[int, int]]:
        """Spans covered by secret windows. The regex search skips text with no window in C; after
        a hit, the windows that overlap it are tried one position at a time, so a fragment of any
        length is covered whole and every character is looked at a bounded number of times."""
        assert self.windows is not None
        search, match = self.windows.search, self.windows.match
        found: list[tuple[int, int]] = []
        limit = len(text) - FRAGMENT
        position = 0
        while (hit := search(text, position)) is not None:
            start = hit.start()
            end, candidate = start + FRAGMENT, start + 1
            while candidate < end and candidate <= limit:
                if match(text, candidate):
                    end = candidate + FRAGMENT
                candidate += 1
            if found and start <= found[-1][1]:
                found[-1] = (found[-1][0], end)
            else:
                found.append((start, end))
            position = end
        return found


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=64)
def _matcher(secrets: frozenset[str], pairs: frozenset[tuple[str, str]]) -> _Matcher:
    long_forms: set[str] = set()
    whole_forms: set[str] = set()
    for secret in secrets:
        (long_forms if len(secret) >= FRAGMENT else whole_forms).update(forms_of(secret))
    for user, password in pairs:
        long_forms.update(_base64_forms(f"{user}:{password}"))
    # The all-\uXXXX forms are matched whole: an 8-character window of one is barely one character.
    escaped = {f for f in long_forms if f.startswith("\\u") and len(f) % 6 == 0 and f.count("\\u") * 6 == len(f)}
    long_forms -= escaped
    whole_forms |= escaped
    return _Matcher(frozenset(f for f in long_forms if len(f) >= FRAGMENT),
                    frozenset(whole_forms | {f for f in long_forms if len(f) < FRAGMENT}))


def _apply(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], MASK]
        last = end
    out.append(text[last:])
    return "".join(out)


def pretty(text: str) -> str:
    """JSON pretty-printed (decoding every escape), whatever its content type claims; other text
    as it is. Redaction runs on this form, so no later re-formatting can bring an escaped secret
    back; a body nested too deeply to decode stays as it came."""
    if text.lstrip()[:1] not in ("{", "[", '"'):
        return text
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except (ValueError, RecursionError):
        return text


class Redactor:
    """Masks known secret values in every form, and sensitive header and field names always.

    Known values come from the auth strategies and the target's credentials; names catch secrets
    the run never saw (a token echoed by the vendor, a password field in a login body).
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets: list[str] = []
        self.pairs: set[tuple[str, str]] = set()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        known = set(self.secrets) | {s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET}
        self.secrets = sorted(known, key=len, reverse=True)

    def add_pair(self, user: str, password: str) -> None:
        """A ``user:password`` pair, whose base64 (HTTP basic) is masked as well as the password."""
        self.add(password)
        if password:
            self.pairs.add((user, password))

    def absorb(self, other: Redactor) -> None:
        self.add(*other.secrets)
        self.pairs |= other.pairs

    def _matcher(self) -> _Matcher:
        return _matcher(frozenset(self.secrets), frozenset(self.pairs))

    # --- text ------------------------------------------------------------------------------------
    def text(self, value: str | None) -> str | None:
        """``value`` with every form and every 8+ character fragment of every known secret masked."""
        if value is None:
            return None
        if not self.secrets:
            return value
        return _apply(value, self._matcher().spans(value))

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        return {
            name: MASK if _sensitive_name(name) else self.text(str(value)) or ""
            for name, value in headers.items()
        }

    def form_or_json_fields(self, text: str) -> str:
        """Masks values of sensitive keys in JSON (``"password": "x"``), header-like lines
        (``Authorization: Bearer x``) and forms (``j_password=x``), linear in the text."""
        text = _JSON_FIELD.sub(_mask_json_field, text)
        return _FORM_FIELD.sub(_mask_form_field, _NAMED_LINE.sub(_mask_named_line, text))

    def body(self, text: str | None) -> str | None:
        """A body for evidence: JSON pretty-printed first, then masked by name and by value."""
        if text is None:
            return None
        return self.text(self.form_or_json_fields(pretty(text)))

    def evidence_body(self, text: str | None, limit: int) -> tuple[str | None, bool]:
        """``body`` cut to ``limit`` characters, with a note of what was cut, and whether it was.

        Masking is spent on the kept part only, plus a margin (the longest form of a secret, and
        the rest of that line, where a sensitive field's value ends), so a huge body costs little
        more than a small one; a secret that straddles the cut is masked whole, never half kept."""
        if text is None:
            return None, False
        text = pretty(text)
        if len(text) <= limit:
            return self.text(self.form_or_json_fields(text)), False
        matcher = self._matcher()
        margin = max(matcher.longest, FRAGMENT)
        while True:  # grows only when adjacent secrets (or masked names) run past the margin
            line_end = text.find("\n", limit + margin)
            stop = len(text) if line_end < 0 else line_end
            named = self.form_or_json_fields(text[:stop])
            spans = matcher.spans(named[:limit + margin])
            cut = max([min(limit, len(named))] + [end for start, end in spans if start < limit])
            if stop >= len(text) or (cut < limit + margin and len(named) >= limit + margin):
                break
            margin *= 2
        inside = named.find(MASK, max(0, cut - len(MASK) + 1), cut + len(MASK))
        if 0 <= inside < cut:  # never cut a name-masked value's mask in half
            cut = inside + len(MASK)
        kept = _apply(named[:cut], [(s, e) for s, e in spans if s < cut])
        dropped = len(named) - cut + len(text) - stop
        if not dropped:
            return kept, False
        return kept + f"\n… [{dropped} more characters not kept]", True

    def value(self, data: Any) -> Any:
        """A copy of a JSON-like document (results, records) with every string, key or value, masked."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, Mapping):
            return {self.value(k) if isinstance(k, str) else k: self.value(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return [self.value(item) for item in data]
        return data

    def file(self, path: str | Path) -> bool:
        """Redacts a written file (pytest-html's log) in place; True when anything was masked."""
        path = Path(path)
        original = path.read_text(encoding="utf-8", errors="surrogateescape")
        redacted = self.text(original) or ""
        if redacted == original:
            return False
        tmp = path.with_name(f".{path.name}.redact-{os.getpid()}")
        tmp.write_text(redacted, encoding="utf-8", errors="surrogateescape")
        os.replace(tmp, path)
        return True


def _sensitive_name(name: str) -> bool:
    return name.lower() in SENSITIVE_HEADERS or _SENSITIVE_NAME.search(name) is not None


def _mask_json_field(match: re.Match[str]) -> str:
    key, quote_char = (match["dkey"], '"') if match["dkey"] is not None else (match["skey"], "'")
    if not _sensitive_name(key):
        return match.group()
    sep = match["dsep"] if match["dkey"] is not None else match["ssep"]
    return f"{quote_char}{key}{quote_char}{sep}{quote_char}{MASK}{quote_char}"


def _mask_named_line(match: re.Match[str]) -> str:
    if not _sensitive_name(match["name"]):
        return match.group()
    return f"{match['name']}{match['sep']}{MASK}"


def _mask_form_field(match: re.Match[str]) -> str:
    if not match["val"] or not _sensitive_name(match["key"]):
        return match.group()
    return f"{match['key']}={MASK}"
