"""Issue 5, item 5: how `accord run <vendor>` grows with the records already in the target.

1. `accord run <vendor> --seed-records N` (quick, built-in simulator over HTTP) for N = 10, 1,000 and
   100,000: wall time and peak RSS per run, with benchmarks/accord_probe.py loaded to time the
   simulator's construction (seeding the N records) separately.
2. The simulator's cost per request at each N, in process (Simulator.handle, no HTTP), for each of
   the simulator's ``sample_requests``, on a simulator seeded as in 1.

Runs at the largest N can take minutes each: --large-runs (default 1) sets how many, and every run
has a time limit (--timeout).

    python benchmarks/scale.py --vendor NAME [--sizes 10 1000 100000] [--runs 5] [--large-runs 1] [--write]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import (
    BenchVendor,
    accord_cli,
    heading,
    measure,
    median,
    probe_env,
    quiet_note,
    stamp,
    table,
    vendor_option,
    write_section,
)

LARGE = 10_000


def accord_run(vendor: BenchVendor, tmp: Path, size: int, index: int, timeout: float) -> dict:
    work = tmp / f"n{size}-{index}"
    result = measure(accord_cli("run", vendor.name, "--seed-records", str(size), "--report-dir", str(work)),
                     env=probe_env(work.with_suffix(".json"), vendor), timeout=timeout, quiet=True)
    if result.timed_out:
        return {"wall": result.wall_s, "rss": result.peak_rss_mb, "timed_out": True}
    if result.code != 0:
        raise SystemExit(f"accord run --seed-records {size} exited {result.code}: {result.stdout[-1500:]}")
    probe = json.loads(work.with_suffix(".json").read_text())
    run = vendor.results(work)["run"]
    return {"wall": result.wall_s, "rss": result.peak_rss_mb, "seeding": probe["seeding_s"],
            "session": run["duration_s"], "requests": run["requests"], "timed_out": False}


def per_request_costs(vendor: BenchVendor, size: int, repeats: int = 3) -> dict[str, float]:
    from accord.simulate import Request

    simulator = vendor.simulator(seed_records=size)
    headers = {**vendor.simulator_headers(simulator), "Content-Type": "application/json"}
    costs = {}
    for label, (method, path, query, body) in vendor.sample_requests().items():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = simulator.handle(Request.build(method, simulator.base_path + path, query, headers, body))
            timings.append(time.perf_counter() - started)
            if not 200 <= response.status < 300:
                raise SystemExit(f"{vendor.name}: sample request {label} answered {response.status}: "
                                 f"{response.body[:200]!r}")
        costs[label] = median(timings) * 1000
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help=f"runs per size below {LARGE:,}")
    parser.add_argument("--large-runs", type=int, default=1, help=f"runs per size of {LARGE:,} or more")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)

    heading(f"scale: accord run {vendor.name} --seed-records N")
    samples: dict[int, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="accord-scale-") as tmp:
        for size in args.sizes:
            runs = args.large_runs if size >= LARGE else args.runs
            samples[size] = []
            for index in range(runs):
                sample = accord_run(vendor, Path(tmp), size, index, args.timeout)
                samples[size].append(sample)
                print(f"  N={size:<7} run {index + 1}/{runs}: " + (
                    f"killed after {sample['wall']:.0f}s" if sample["timed_out"] else
                    f"wall {sample['wall']:.2f}s (seeding {sample['seeding']:.2f}s), rss {sample['rss']:.0f} MB, "
                    f"{sample['requests']} requests"), flush=True)

    rows = []
    for size, runs in samples.items():
        done = [s for s in runs if not s["timed_out"]]
        if not done:
            rows.append([f"{size:,}", len(runs), f"> {args.timeout:.0f} (killed)", "-", "-", "-", "-"])
            continue
        wall, seeding = median([s["wall"] for s in done]), median([s["seeding"] for s in done])
        rows.append([f"{size:,}", len(done), f"{wall:.2f}", f"{seeding:.2f}", f"{wall - seeding:.2f}",
                     f"{median([s['rss'] for s in done]):.0f}", int(median([s["requests"] for s in done]))])
    runs_table = table(["seeded records N", "runs", "wall s (median)", "of which seeding s", "wall - seeding s",
                        "peak RSS MB", "requests"], rows)
    print(runs_table)

    heading("simulator cost per request at N (in process)")
    cost_rows = []
    for size in args.sizes:
        costs = per_request_costs(vendor, size)
        cost_rows.append([f"{size:,}", *[f"{v:.2f}" for v in costs.values()]])
        print(f"  N={size}: " + ", ".join(f"{k} {v:.2f} ms" for k, v in costs.items()), flush=True)
    cost_table = table(["N", *[f"{label} ms" for label in vendor.sample_requests()]], cost_rows)
    print(cost_table)
    if args.write:
        write_section(vendor, "scale", f"""
## {vendor.title} · 5. Scale: records already in the target

{stamp()}

`accord run {vendor.name} --seed-records N` (quick, built-in simulator over loopback HTTP), median of
{args.runs} runs ({args.large_runs} at N >= {LARGE:,}: each takes minutes); "seeding" is the simulator's
construction, timed inside the run by benchmarks/accord_probe.py. {quiet_note()}
`python benchmarks/scale.py --vendor {vendor.name} --runs {args.runs} --large-runs {args.large_runs} --write`

{runs_table}

The simulator's own cost per request at N (Simulator.handle in process, median of 3):

{cost_table}
""")


if __name__ == "__main__":
    main()
