"""Issue 5, item 1: wall time and peak memory of `accord run <vendor>` (quick profile, built-in simulator).

Measured from outside, from process spawn until the process exits (the reports are written just
before it exits): wall clock, peak RSS of the process (os.wait4), and from the written
<vendor>.json the pytest session time (run.duration_s) and the requests sent (run.requests).

Variants, interleaved round by round so that drift on the machine hits all of them alike:
- http:       the default, simulator on a loopback port;
- inprocess:  --transport inprocess (no sockets);
- no-pyc:     http with PYTHONDONTWRITEBYTECODE=1 and no cache folder: accord's modules and the
              modules pytest rewrites (schemathesis, a pytest plugin) are compiled from source on
              every run, as in shells that set that variable (this sandbox does).
- workers-2:  http with --workers 2 (pytest-xdist): does parallelism pay on 2 cores?
- before:     with --before REF, http on a frozen copy of an earlier commit, in the same rounds, so
              that the effect of the levers applied since is a ratio taken in one run.

    python benchmarks/run_wall_memory.py --vendor NAME [--runs 7] [--before REF] [--write]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from common import (
    HERE,
    ROOT,
    BenchVendor,
    accord_cli,
    bench_env,
    heading,
    measure,
    median,
    quiet_note,
    spread,
    stamp,
    table,
    vendor_option,
    write_section,
)

WALL_GOAL_S, RSS_GOAL_MB = 12.0, 300.0
VARIANTS = {
    "http": ((), True),
    "inprocess": (("--transport", "inprocess"), True),
    "no-pyc": ((), False),
    "workers-2": (("--workers", "2"), True),
}


def frozen_copy(ref: str, into: Path) -> Path:
    """``git archive`` of ``ref`` (a commit of this repository) unpacked under ``into``."""
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", "--prefix=before/", ref],
                             capture_output=True, check=False)
    if archive.returncode:
        raise SystemExit(f"--before {ref}: not a commit of this repository ({archive.stderr.decode().strip()})")
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
    return into / "before"


def one_run(vendor: BenchVendor, variant: str, report_dir: Path, before: Path | None = None) -> dict:
    extra, bytecode_cache = VARIANTS.get(variant, ((), True))
    env, cwd = bench_env(bytecode_cache=bytecode_cache), ROOT
    if variant.startswith("before"):  # the earlier commit's accord package first on the path
        env, cwd = bench_env({"PYTHONPATH": str(before)}), before
    result = measure(accord_cli("run", vendor.name, "--report-dir", str(report_dir), *extra),
                     env=env, cwd=cwd, timeout=300, quiet=True)
    if result.code != 0:
        raise SystemExit(f"accord run ({variant}) exited {result.code}:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    run = vendor.results(report_dir)["run"]
    return {"wall": result.wall_s, "rss": result.peak_rss_mb, "cpu": result.cpu_s,
            "session": run["duration_s"], "requests": run["requests"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--runs", type=int, default=7, help="measured runs per variant (default 7)")
    parser.add_argument("--before", metavar="REF", help="also measure http on this earlier commit, same rounds")
    parser.add_argument("--write", action="store_true", help="write the section of benchmarks/RESULTS.md")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)

    heading(f"accord run {vendor.name} (quick): wall time and peak RSS")
    names = [*VARIANTS, *([f"before ({args.before})"] if args.before else [])]
    samples: dict[str, list[dict]] = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix="accord-bench-") as tmp:
        before = frozen_copy(args.before, Path(tmp)) if args.before else None
        one_run(vendor, "http", Path(tmp) / "warm-up")  # fills the byte-code cache, as any second run finds it
        if before:
            one_run(vendor, names[-1], Path(tmp) / "warm-up-before", before)
        for round_ in range(args.runs):
            for name in names:
                sample = one_run(vendor, name, Path(tmp) / f"{name.split()[0]}-{round_}", before)
                samples[name].append(sample)
                print(f"  round {round_ + 1}/{args.runs} {name:<9} wall {sample['wall']:.2f}s  "
                      f"rss {sample['rss']:.0f} MB  session {sample['session']:.2f}s  {sample['requests']} requests",
                      flush=True)

    rows = []
    for name, runs in samples.items():
        walls, rsss = [s["wall"] for s in runs], [s["rss"] for s in runs]
        session = median([s["session"] for s in runs])
        rows.append([name, f"{median(walls):.2f}", spread(walls), f"{median(rsss):.0f}",
                     f"{median([s['cpu'] for s in runs]):.2f}", f"{session:.2f}", f"{median(walls) - session:.2f}",
                     int(median([s["requests"] for s in runs]))])
    header = ["variant", "wall s (median)", "wall min-max", "peak RSS MB", "CPU s", "pytest session s",
              "outside session s", "requests"]
    text = table(header, rows)
    print(text)
    http = samples["http"]
    wall, rss = median([s["wall"] for s in http]), median([s["rss"] for s in http])
    verdict = (f"Goal: under {WALL_GOAL_S:.0f} s and under {RSS_GOAL_MB:.0f} MB. Default (http) run: "
               f"**{wall:.2f} s** ({'met' if wall < WALL_GOAL_S else 'MISSED'}), "
               f"**{rss:.0f} MB** ({'met' if rss < RSS_GOAL_MB else 'MISSED'}).")
    if args.before:
        then = samples[names[-1]]
        ratio = median([b["wall"] / h["wall"] for b, h in zip(then, http, strict=True)])
        verdict += (f" Against {args.before} (before the levers below), in the same rounds: wall "
                    f"{median([s['wall'] for s in then]):.2f} s -> {wall:.2f} s, **{ratio:.2f}x faster** "
                    f"(median of per-round ratios).")
    print(verdict)
    print(quiet_note())
    before_option = f" --before {args.before}" if args.before else ""
    if args.write:
        write_section(vendor, "wall-memory", f"""
## {vendor.title} · 1. `accord run {vendor.name}`: wall time and peak memory (quick profile, built-in simulator)

{stamp()}

Median of {args.runs} runs per variant after one warm-up run, variants interleaved; wall = process
spawn to exit (reports written), peak RSS via `os.wait4` (the largest single process: with
`--workers 2` three run at once, so their sum is higher); "pytest session" is {vendor.name}.json's
`run.duration_s`; "outside session" = wall - session (interpreter start, imports, CLI pre-flight,
report rendering after the session clock stops); CPU = user + system time of the process.
{quiet_note()} `python benchmarks/run_wall_memory.py --vendor {vendor.name} --runs {args.runs}{before_option} --write`

{text}

{verdict}
""")


if __name__ == "__main__":
    main()
