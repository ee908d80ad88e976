"""Issue 5, item 5: how `accord run kimai` grows with the customers already in the target.

1. `accord run kimai --seed-records N` (quick, built-in simulator over HTTP) for N = 10, 1,000 and
   100,000: wall time and peak RSS per run, with benchmarks/accord_probe.py loaded to time the
   simulator's construction (seeding the N customers) separately.
2. The simulator's cost per request at each N, in process (Simulator.handle, no HTTP): list all,
   list with a term, read one, create one, on a simulator seeded as in 1.

Runs at the largest N can take minutes each: --large-runs (default 1) sets how many, and every run
has a time limit (--timeout).

    python benchmarks/scale.py [--sizes 10 1000 100000] [--runs 5] [--large-runs 1] [--write]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import accord_cli, heading, measure, median, probe_env, quiet_note, run_json, stamp, table, write_section

AUTH = {"X-AUTH-USER": "accord", "X-AUTH-TOKEN": "accord-kimai-test-token", "Content-Type": "application/json"}
LARGE = 10_000


def accord_run(tmp: Path, size: int, index: int, timeout: float) -> dict:
    work = tmp / f"n{size}-{index}"
    result = measure(accord_cli("run", "kimai", "--seed-records", str(size), "--report-dir", str(work)),
                     env=probe_env(work.with_suffix(".json")), timeout=timeout, quiet=True)
    if result.timed_out:
        return {"wall": result.wall_s, "rss": result.peak_rss_mb, "timed_out": True}
    if result.code != 0:
        raise SystemExit(f"accord run --seed-records {size} exited {result.code}: {result.stdout[-1500:]}")
    probe = json.loads(work.with_suffix(".json").read_text())
    run = run_json(work / "kimai.json")["run"]
    return {"wall": result.wall_s, "rss": result.peak_rss_mb, "seeding": probe["seeding_s"],
            "session": run["duration_s"], "requests": run["requests"], "timed_out": False}


def per_request_costs(size: int, repeats: int = 3) -> dict[str, float]:
    from accord.simulate import Request
    from accord.vendors.kimai.simulator import KimaiSimulator

    simulator = KimaiSimulator(seed_records=size)  # seeding is linear since the number index
    calls = {
        "GET /api/customers": ("GET", "/api/customers", "", b""),
        "GET /api/customers?term=zz": ("GET", "/api/customers", "term=zz", b""),
        "GET /api/customers/1": ("GET", "/api/customers/1", "", b""),
        "POST /api/customers": ("POST", "/api/customers", "", b'{"name": "accord-scale probe"}'),
    }
    costs = {}
    for label, (method, path, query, body) in calls.items():
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = simulator.handle(Request.build(method, path, query, AUTH, body))
            timings.append(time.perf_counter() - started)
            assert response.status == 200, (label, response.status, response.body[:200])
        costs[label] = median(timings) * 1000
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1_000, 100_000])
    parser.add_argument("--runs", type=int, default=5, help=f"runs per size below {LARGE:,}")
    parser.add_argument("--large-runs", type=int, default=1, help=f"runs per size of {LARGE:,} or more")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    heading("scale: accord run kimai --seed-records N")
    samples: dict[int, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="accord-scale-") as tmp:
        for size in args.sizes:
            runs = args.large_runs if size >= LARGE else args.runs
            samples[size] = []
            for index in range(runs):
                sample = accord_run(Path(tmp), size, index, args.timeout)
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
    runs_table = table(["seeded customers N", "runs", "wall s (median)", "of which seeding s", "wall - seeding s",
                        "peak RSS MB", "requests"], rows)
    print(runs_table)

    heading("simulator cost per request at N (in process)")
    cost_rows = []
    for size in args.sizes:
        costs = per_request_costs(size)
        cost_rows.append([f"{size:,}", *[f"{v:.2f}" for v in costs.values()]])
        print(f"  N={size}: " + ", ".join(f"{k} {v:.2f} ms" for k, v in costs.items()), flush=True)
    cost_table = table(["N", "GET /api/customers ms", "GET ...?term=zz ms", "GET /api/customers/1 ms",
                        "POST /api/customers ms"], cost_rows)
    print(cost_table)
    if args.write:
        write_section("scale", f"""
## 5. Scale: customers already in the target

{stamp()}

`accord run kimai --seed-records N` (quick, built-in simulator over loopback HTTP), median of
{args.runs} runs ({args.large_runs} at N >= {LARGE:,}: each takes minutes); "seeding" is the simulator's
construction, timed inside the run by benchmarks/accord_probe.py. {quiet_note()}
`python benchmarks/scale.py --runs {args.runs} --large-runs {args.large_runs} --write`

{runs_table}

The simulator's own cost per request at N (Simulator.handle in process, median of 3):

{cost_table}
""")


if __name__ == "__main__":
    main()
