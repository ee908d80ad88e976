"""Issue 5, item 3: the requests the quick profile spends on a vendor, and whether it still catches
every planted fault.

1. `accord run <vendor>` (quick, built-in simulator) with benchmarks/accord_probe.py loaded: the
   requests per suite module, per fuzzed operation, and for the end-of-run clean-up. The total is
   checked against <vendor>.json's run.requests.
2. `accord run <vendor> --fault F --timeout 1` for every fault of the catalogue, as the vendor's
   power test runs it: does the clause the fault breaks fail?

    python benchmarks/request_budget.py --vendor NAME [--runs 5] [--jobs 2] [--write]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import (
    BenchVendor,
    accord_cli,
    bench_env,
    heading,
    measure,
    median,
    probe_env,
    stamp,
    table,
    vendor_option,
    write_section,
)

BUDGET = 300


def budget_run(vendor: BenchVendor, tmp: Path, index: int) -> dict:
    work = tmp / f"run{index}"
    result = measure(accord_cli("run", vendor.name, "--report-dir", str(work / "reports")),
                     env=probe_env(work.with_suffix(".json"), vendor), timeout=300)
    if result.code != 0:
        raise SystemExit(f"accord run failed: {result.stdout[-2000:]}")
    probe = json.loads(work.with_suffix(".json").read_text())
    probe["reported"] = vendor.results(work / "reports")["run"]["requests"]
    return probe


def fault_run(vendor: BenchVendor, tmp: Path, fault: str) -> tuple[str, bool, int]:
    work = Path(tempfile.mkdtemp(dir=tmp))
    measure(accord_cli("run", vendor.name, "--fault", fault, "--timeout", "1", *vendor.version_args(fault),
                       "--report-dir", str(work)),
            env=bench_env(), timeout=300)
    results = vendor.results(work)
    failed = {c["id"] for c in results["clauses"] if c["verdict"] in ("fail", "error")}
    return fault, vendor.catalogue[fault].clause in failed, results["run"]["requests"]


def group(nodeid: str) -> str:
    if nodeid.startswith("("):
        return nodeid
    return nodeid.split("::")[0].split("/")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-faults", action="store_true", help="skip the per-fault runs")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)

    heading(f"request budget of the quick profile on {vendor.title}")
    with tempfile.TemporaryDirectory(prefix="accord-budget-") as tmp_name:
        tmp = Path(tmp_name)
        runs = [budget_run(vendor, tmp, index) for index in range(args.runs)]
        for run in runs:
            print(f"  {run['total_requests']} requests counted, {vendor.name}.json says {run['reported']}", flush=True)
        faults = []
        if not args.no_faults:
            with ThreadPoolExecutor(args.jobs) as pool:
                for fault, caught, requests in pool.map(lambda f: fault_run(vendor, tmp, f),
                                                           [f.name for f in vendor.catalogue]):
                    faults.append((fault, caught, requests))
                    print(f"  {fault:<28} clause {'failed' if caught else 'NOT failed'}, {requests} requests", flush=True)

    groups: Counter[str] = Counter()
    fuzz: Counter[str] = Counter()
    cases = Counter()
    for nodeid, count in runs[0]["requests"].items():
        groups[group(nodeid)] += count
        if "test_fuzz_operation[" in nodeid:
            fuzz[nodeid.split("[", 1)[1].rstrip("]")] += count
    for nodeid, count in runs[0]["cases"].items():
        cases[group(nodeid)] += count
    total = median([r["total_requests"] for r in runs])
    rows = [[name, count, f"{100 * count / total:.0f}%", cases.get(name, "")] for name, count in groups.most_common()]
    rows.append(["**total**", int(total), "100%", sum(cases.values())])
    breakdown = table(["where (suite module, or phase)", "requests", "share", "generated cases"], rows)
    fuzz_rows = [[op, count] for op, count in fuzz.items()]
    fuzz_table = table(["fuzzed operation: 2 modes x (3 boundary + 3 random cases); the first one also creates "
                        "the records all of them aim at", "requests"], fuzz_rows)
    caught = [f for f, ok, _ in faults if ok]
    verdict = (f"Goal: at most {BUDGET} requests while catching every planted fault. Quick profile: **{total:.0f} "
               f"requests** ({'met' if total <= BUDGET else f'MISSED by {total - BUDGET:.0f}'})"
               + (f"; it fails the broken clause for **{len(caught)}/{len(faults)}** faults." if faults else "."))
    print(breakdown)
    print(fuzz_table)
    print(verdict)
    missed = [f for f, ok, _ in faults if not ok]
    if args.write:
        write_section(vendor, "budget", f"""
## {vendor.title} · 3. Request budget of the quick profile

{stamp()}

Counted by benchmarks/accord_probe.py in {args.runs} runs (identical every time: {sorted({r['total_requests'] for r in runs})};
{vendor.name}.json's run.requests: {sorted({r['reported'] for r in runs})}). Fixtures count for the test that uses them.
`python benchmarks/request_budget.py --vendor {vendor.name} --runs {args.runs} --write`

{breakdown}

{fuzz_table}

{verdict}{(' Not caught: ' + ', '.join(missed) + '.') if missed else ''}
Requests per faulty run (`--fault F --timeout 1`, as the power test): median
{median([r for _, _, r in faults]) if faults else float('nan'):.0f},
min {min((r for _, _, r in faults), default=0)}, max {max((r for _, _, r in faults), default=0)}.
""")


if __name__ == "__main__":
    main()
