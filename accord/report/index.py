"""index.html: the matrix of vendors × clause groups, rebuilt from every results file present.

A cell reads passed/applicable, counted like the run's scores (expected failures pass; skips do not
apply; errors do, so an incomplete run never reads as perfect). It is coloured by the worst verdict
in it and lightly shaded by its pass ratio. The page has no script at all; every value is escaped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from .markup import SEVERITY, VERDICTS, esc, fmt_pct, page, pct, score_bar


def render_index_html(results: Sequence[dict[str, Any]], problems: Sequence[str] = ()) -> str:
    """The index document for the given (schema-valid) results dicts, one row per vendor."""
    rows = sorted(results, key=lambda r: r["vendor"]["name"])
    groups = sorted({c["group"] for r in rows for c in r["clauses"]})
    head = "".join(f'<th scope="col" class="grp">{_breakable(g)}</th>' for g in groups)
    body = "".join(_row(r, groups) for r in rows)
    table = (
        '<div class="matrix-wrap"><table class="matrix"><thead><tr><th scope="col" class="vcol">Vendor</th>'
        f'<th scope="col">Scores</th>{head}<th scope="col">Run</th></tr></thead><tbody>{body}</tbody>'
        "</table></div>"
        if rows else
        '<p class="card">No accord results in this directory yet: run <code>accord run</code>.</p>'
    )
    legend = "".join(f'<li><span class="swatch cell-{v}"></span>{v}</li>' for v in SEVERITY)
    issues = ""
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        issues = (f'<section class="card alert"><h2>Results files left out</h2><ul class="plain">{items}</ul>'
                  "</section>")
    body_html = (
        '<header class="topbar"><div class="wrap wide topbar-in"><div class="ident">'
        '<div class="kicker">accord</div><h1>Conformance matrix</h1></div>'
        f'<p class="muted">{len(rows)} vendor{"s" if len(rows) != 1 else ""} · '
        f"{len(groups)} clause groups</p>"
        f'</div></header><main class="wrap wide">{issues}{table}'
        '<p class="muted legend-text">Each cell: clauses passed (expected failures included) / clauses '
        'that applied (skipped ones do not; '
        'errors do). Colour: the worst verdict in the cell; shading: the pass ratio; — : no clause in that '
        f'group.</p><ul class="legend">{legend}</ul></main>'
    )
    return page("accord · conformance matrix", body_html)


def _breakable(text: str) -> str:
    """Let long dotted group names wrap at their dots (escaped first, so <wbr> is ours)."""
    return esc(text).replace(".", ".<wbr>")


def _row(results: dict[str, Any], groups: list[str]) -> str:
    vendor, summary, run = results["vendor"], results["summary"], results["run"]
    name = vendor["name"]
    gate = ('<span class="gate gate-ok">passed</span>' if summary["passed"]
            else '<span class="gate gate-bad">failed</span>')
    by_group: dict[str, Counter[str]] = {}
    for clause in results["clauses"]:
        by_group.setdefault(clause["group"], Counter())[clause["verdict"]] += 1
    cells = "".join(_cell(by_group.get(g)) for g in groups)
    return (
        f'<tr><th scope="row" class="vcol"><a href="{esc(name)}.html">{esc(vendor["title"])}</a>'
        f'<div class="muted">API {esc(vendor["api_version"])} · {esc(run["target"]["kind"])}</div>{gate}</th>'
        f'<td class="scorecell">{score_bar("MUST", summary["must"])}'
        f'{score_bar("SHOULD", summary["should"])}</td>'
        f'{cells}<td class="runcell"><code>{esc(run["id"])}</code><div class="muted">'
        f'<time>{esc(run["started_at"])}</time></div></td></tr>'
    )


def _cell(counts: Counter[str] | None) -> str:
    if not counts:
        return '<td class="cell cell-none" title="no clause in this group">—</td>'
    worst = next(v for v in SEVERITY if counts.get(v))
    passed = counts.get("pass", 0) + counts.get("expected-fail", 0)  # as the run's scores count them
    applicable = sum(counts.values()) - counts.get("skip", 0)
    ratio = pct(passed, applicable)
    detail = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts.get(v))
    return (f'<td class="cell cell-{worst}" style="--ratio:{0.0 if ratio is None else ratio:.1f}%" '
            f'title="{esc(detail)} ({esc(fmt_pct(ratio))})">{passed}/{applicable}</td>')
