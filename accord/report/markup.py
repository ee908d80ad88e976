"""Building blocks shared by the HTML pages: escaping, safe links, number formats, the page shell.

Everything in a results dict comes from a vendor (its API's answers, its docs' titles and URLs), so
every value goes through `esc`, links keep only http(s) URLs, and each page carries a Content
Security Policy that forbids all network access and every script but our own (pinned by hash): a
missed escape would still show as text and could not run code or phone home.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
import shlex
from importlib import resources
from urllib.parse import urlsplit

VERDICTS = ("pass", "fail", "error", "skip", "expected-fail")
# Worst first: a confirmed deviation outranks an inconclusive check, which outranks a known issue.
SEVERITY = ("fail", "error", "expected-fail", "skip", "pass")
LEVELS = ("MUST", "SHOULD", "MAY")

# Lone surrogates cannot be encoded as UTF-8 and C0 controls are HTML parse errors: show U+FFFD.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute (quote=True covers both)."""
    text = "" if value is None else str(value)
    return html.escape(_UNPRINTABLE.sub("\ufffd", text), quote=True)


def safe_href(url: object) -> str | None:
    """The escaped URL if it is a plain http(s) link, else None: no javascript:, data: or file:."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return esc(url.strip()) if scheme in ("http", "https") else None


def link(url: object, text: str, cls: str = "") -> str:
    """An outbound link for an http(s) URL; any other URL is shown as text, never made clickable."""
    href = safe_href(url)
    klass = f' class="{cls}"' if cls else ""
    if href is None:
        return f"<span{klass}>{text}</span>"
    return f'<a{klass} href="{href}" rel="noopener noreferrer">{text}</a>'


def pct(passed: int, applicable: int) -> float | None:
    """The pass ratio in percent, None when nothing applied (shown as a dash, never as 100 %)."""
    return None if applicable <= 0 else 100.0 * passed / applicable


def fmt_pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f} %" if value in (0.0, 100.0) else f"{value:.1f} %"


def fmt_duration(seconds: float) -> str:
    """Human durations: 850 ms, 4.2 s, 3 min 07 s, 1 h 02 min."""
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def score_bar(label: str, score: dict, note: str = "") -> str:
    """A score as numbers and a bar; errors already count in `applicable`, skips do not."""
    passed, applicable = int(score["passed"]), int(score["applicable"])
    ratio = pct(passed, applicable)
    width = 0.0 if ratio is None else ratio
    tone = "none" if ratio is None else ("full" if passed == applicable else "part")
    skipped = int(score["total"]) - applicable
    extra = f'<span class="score-note">{skipped} skipped</span>' if skipped else ""
    return (
        f'<div class="score score-{tone}"><div class="score-top">'
        f'<span class="score-label">{esc(label)}</span>'
        f'<span class="score-num"><strong>{passed}</strong>/{applicable}</span>'
        f'<span class="score-pct">{fmt_pct(ratio)}</span>{extra}</div>'
        f'<div class="bar" role="img" aria-label="{esc(label)}: {passed} of {applicable} applicable clauses '
        f'pass"><span style="width:{width:.1f}%"></span></div>{note}</div>'
    )


def replay_command(results: dict, seed: int) -> str:
    """The command that reruns a failure: the seed, plus the profile and live target it ran with."""
    run = results["run"]
    cmd = f"accord run {results['vendor']['name']} --seed {int(seed)}"
    if run["profile"] != "quick":
        cmd += f" --profile {run['profile']}"
    if run["target"]["kind"] == "live":
        cmd += f" --base-url {shlex.quote(run['target']['base_url'])}"
    return cmd


def asset(name: str) -> str:
    """Read a packaged CSS or JS file, so the pages inline it and need nothing else on disk."""
    return resources.files("accord.report").joinpath(name).read_text(encoding="utf-8")


def page(title: str, body: str, script: str = "") -> str:
    """The HTML document around `body`, CSS inlined, the given script allowed by its hash only."""
    script_src = "'none'"
    script_tag = ""
    if script:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        script_src = f"'sha256-{digest}'"
        script_tag = f"<script>{script}</script>"
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title><style>{asset('report.css')}</style></head>\n"
        f"<body>{body}{script_tag}</body></html>\n"
    )
