"""Redaction cost: CPU time of accord.redact.Redactor on bodies a hostile sandbox could send.

The secrets are the vendor simulator's secret test credentials. Each workload is redacted at
several sizes, best of ``--runs`` calls (process CPU time, so other load on the machine counts
less), through the three entry points the run uses:

- ``text``: every string of the results, the pytest log, exception messages;
- ``body``: evidence bodies (pretty-printed first, then masked by name and by value);
- ``evidence_body``: ``body`` cut to the 16 KiB evidence cap before the masking work is spent.

Workloads: ``token`` repeated (a sensitive *name* everywhere, the input that made the former
name patterns quadratic), a JSON list of records that echo the secret, the secret itself repeated
(every position a match), and plain text with no secret at all. Linear cost shows as a constant
µs/KB column across sizes. ``--before REF`` measures accord/redact.py as it was at REF (git show)
on the same inputs, skipping larger sizes once one call takes longer than ``--cap`` seconds.

    python benchmarks/redaction.py --vendor NAME [--runs 5] [--before REF] [--cap 10] [--write]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import ROOT, BenchVendor, heading, stamp, table, vendor_option, write_section

if str(ROOT) not in sys.path:  # this checkout's accord, not whichever one is installed
    sys.path.insert(0, str(ROOT))

SIZES_KB = (16, 320, 1024, 4096)
LIMIT = 16_384  # accord.evidence.BODY_LIMIT


def secrets_of(vendor: BenchVendor) -> list[str]:
    declared = vendor.declared
    secret = {c.field for c in declared.credentials if c.secret}
    return [v for k, v in declared.simulator.credentials.items() if k in secret]


def workloads(secret: str) -> dict[str, Callable[[int], str]]:
    def repeat(unit: str, size: int) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    def records(size: int) -> str:
        one = {"id": 1, "name": f"echo {secret}", "token": secret, "comment": "x" * 40}
        count = max(1, size // len(json.dumps(one)))
        return json.dumps([{**one, "id": i} for i in range(count)])

    return {
        "token repeated": lambda size: repeat("token ", size),
        "JSON records echoing the secret": records,
        "the secret repeated": lambda size: repeat(secret, size),
        "plain text, no secret": lambda size: repeat("The quick brown fox jumps over the lazy dog. ", size),
    }


def load_redact(ref: str | None):
    """accord.redact from this checkout, or as it was at ``ref``."""
    if ref is None:
        from accord import redact

        return redact
    source = subprocess.run(["git", "show", f"{ref}:accord/redact.py"], cwd=ROOT, capture_output=True, text=True,
                            check=True).stdout
    path = Path(tempfile.mkdtemp()) / "redact_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("redact_before", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def best_cpu(call: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        call()
        best = min(best, time.process_time() - started)
    return best


def measure(module, secrets: list[str], runs: int, cap: float, label: str) -> list[list[object]]:
    redactor = module.Redactor(secrets)
    entry_points: dict[str, Callable[[str], object]] = {"text": redactor.text, "body": redactor.body}
    if hasattr(redactor, "evidence_body"):
        entry_points["evidence_body"] = lambda text: redactor.evidence_body(text, LIMIT)
    rows: list[list[object]] = []
    for workload, make in workloads(secrets[0]).items():
        for method, call in entry_points.items():
            for size_kb in SIZES_KB:
                text = make(size_kb * 1024)
                seconds = best_cpu(lambda c=call, t=text: c(t), 1 if size_kb > 1024 else runs)
                rows.append([label, workload, method, size_kb, round(seconds * 1000, 1),
                             round(seconds * 1e6 / size_kb, 1)])
                print(f"  {label:<8} {workload:<32} {method:<14} {size_kb:>5} KB  {seconds * 1000:9.1f} ms",
                      flush=True)
                if seconds > cap:
                    break  # larger sizes would take minutes: the growth is already plain
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--runs", type=int, default=5, help="calls per size; the best CPU time counts (default 5)")
    parser.add_argument("--before", metavar="REF", help="also measure accord/redact.py as it was at this commit")
    parser.add_argument("--cap", type=float, default=10.0, help="seconds of one call after which larger sizes are skipped")
    parser.add_argument("--write", action="store_true", help="write the table into RESULTS.md")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)
    secrets = secrets_of(vendor)
    if not secrets:
        raise SystemExit(f"{vendor.name}: its simulator has no secret credentials to redact")
    heading(f"redaction cost, {vendor.name}: {len(secrets)} secret(s)")
    rows = measure(load_redact(None), secrets, args.runs, args.cap, "now")
    if args.before:
        rows += measure(load_redact(args.before), secrets, max(1, args.runs // 5), args.cap, args.before)
    body = table(["code", "workload", "entry point", "size (KB)", "CPU (ms, best)", "µs per KB"], rows)
    print("\n" + body)
    if args.write:
        note = ("A constant µs per KB across sizes means linear cost. Rows of an earlier commit stop at the "
                f"first size where one call took over {args.cap:g} s of CPU.")
        write_section(vendor, "redaction", f"### Redaction cost\n\n{stamp()}\n\n{note}\n\n{body}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
