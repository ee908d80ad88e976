"""Issue 17, goal 1: the five-vendor CI gate, `accord run` (every vendor, built-in simulators, quick
profile), cold and warm, as `accord run` does it by default (vendors split over processes, one per
vendor and at most one per core) and in one process (`--jobs 1`).

- **cold** is what a CI job on a fresh runner meets: a fresh `git clone` of the commit measured, an
  empty accord cache folder (ACCORD_CACHE_DIR: hypothesis' files) and an empty byte-code cache for
  the clone's own modules (site-packages keep the .pyc files pip wrote, as on a runner after
  `pip install`), and no earlier reports (so the split deals the vendors out alike). **warm** is the
  next run in the same clone.

Wall is from spawn to exit (index.html and every report written); peak RSS is the largest single
process (`ru_maxrss` of the children accord waited for: with the default split, its largest
process), and for the split also the sum of the processes' peaks, sampled from /proc while they run
(they run at the same time, so the sum bounds what the machine must hold). Every run's verdicts
(each vendor's clause verdicts and request count) are compared with the one-process run of its round.

    python benchmarks/gate.py [--runs 5] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from common import (
    ROOT,
    BenchVendor,
    accord_cli,
    bench_env,
    heading,
    median,
    spread,
    stamp,
    table,
    wait_until_quiet,
    write_section,
)

WALL_GOAL_S, RSS_GOAL_MB = 60.0, 400.0


@dataclass
class Gate:
    wall_s: float
    peak_rss_mb: float  # the largest process
    sum_rss_mb: float  # the peak of all its processes' RSS together (sampled)
    cpu_s: float
    verdicts: dict[str, tuple[dict[str, str], int]]  # vendor -> (clause verdicts, requests)


def all_vendor_names() -> list[str]:
    from accord.vendors import all_vendors

    return sorted(all_vendors())


def tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants now, from /proc (MB)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * PAGE
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(rss.get(pid, 0) for pid in tree) / 1024 / 1024


PAGE = os.sysconf("SC_PAGE_SIZE")


def run_one(command: list[str], env: dict[str, str], cwd: Path, timeout: float = 600) -> tuple:
    """Runs ``command`` to its end: (exit code, wall s, peak RSS MB of its largest process, CPU s of it
    and its children, peak of the sum of its whole process tree's RSS sampled every 50 ms)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    total_peak, last_sample = 0.0, 0.0
    try:
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                wall = time.perf_counter() - started
                process.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"the gate did not finish within {timeout:.0f} s")
            if time.perf_counter() - last_sample >= 0.05:
                total_peak, last_sample = max(total_peak, tree_rss_mb(process.pid)), time.perf_counter()
            time.sleep(0.005)
    finally:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[-4:])} exited {process.returncode}: {process.stderr.read().decode()[-2000:]}")
    peak = usage.ru_maxrss / 1024
    return process.returncode, wall, peak, usage.ru_utime + usage.ru_stime, max(total_peak, peak)


def gate(clone: Path, cache: Path, options: list[str], report_dir: Path) -> Gate:
    env = bench_env({"PYTHONPATH": str(clone), "ACCORD_CACHE_DIR": str(cache),
                     "PYTHONPYCACHEPREFIX": str(cache / "pycache")})
    wait_until_quiet()
    code, wall, rss, cpu, total_rss = run_one(accord_cli("run", *options, "--report-dir", str(report_dir)), env, clone)
    verdicts = {}
    for name in all_vendor_names():
        results = json.loads((report_dir / f"{name}.json").read_text())
        verdicts[name] = ({c["id"]: c["verdict"] for c in results["clauses"]}, results["run"]["requests"])
    return Gate(wall, rss, total_rss, cpu, verdicts)


def fresh_clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(into)], check=True, timeout=120)
    return into


VARIANTS = {"one process (--jobs 1)": ["--jobs", "1"], "default (split over processes)": []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (each: every variant, cold then warm)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    names = all_vendor_names()
    heading(f"the CI gate: accord run ({', '.join(names)}), cold and warm, in one process and split")
    samples: dict[str, list[Gate]] = {}
    differences: list[str] = []
    with tempfile.TemporaryDirectory(prefix="accord-gate-") as tmp:
        base = Path(tmp)
        for round_ in range(args.runs):
            reference = None
            for variant, options in VARIANTS.items():
                label = variant.split(" (")[0]
                clone = fresh_clone(base / f"{label.replace(' ', '-')}-{round_}")
                cache = base / f"{label.replace(' ', '-')}-{round_}-cache"
                for temperature in ("cold", "warm"):
                    result = gate(clone, cache, options, base / f"{label.replace(' ', '-')}-{round_}-{temperature}")
                    samples.setdefault(f"{variant}, {temperature}", []).append(result)
                    if reference is None:
                        reference = result.verdicts
                    elif result.verdicts != reference:
                        differing = [n for n in names if result.verdicts.get(n) != reference.get(n)]
                        differences.append(f"round {round_ + 1}, {variant} {temperature}: {', '.join(differing)}")
                    print(f"  round {round_ + 1}/{args.runs} {label:<13} {temperature}: wall {result.wall_s:.2f}s  "
                          f"peak {result.peak_rss_mb:.0f} MB (all processes {result.sum_rss_mb:.0f})  "
                          f"CPU {result.cpu_s:.2f}s", flush=True)

    rows = []
    for label, runs in samples.items():
        wall = [r.wall_s for r in runs]
        rows.append([label, f"{median(wall):.2f}", spread(wall), f"{median([r.peak_rss_mb for r in runs]):.0f}",
                     f"{median([r.sum_rss_mb for r in runs]):.0f}", f"{median([r.cpu_s for r in runs]):.2f}"])
    text = table(["variant", "wall s (median)", "min-max", "peak RSS MB (largest process)",
                  "peak RSS MB (all processes at once, sampled)", "CPU s (all processes)"], rows)
    one, split_ = list(VARIANTS)
    cold = samples[f"{split_}, cold"]
    wall, rss = median([r.wall_s for r in cold]), median([r.sum_rss_mb for r in cold])
    ratio_cold = median([o.wall_s / d.wall_s for o, d in zip(samples[f"{one}, cold"], cold, strict=True)])
    ratio_warm = median([o.wall_s / d.wall_s for o, d in zip(samples[f"{one}, warm"], samples[f"{split_}, warm"],
                                                              strict=True)])
    verdict = (f"Goal: from a fresh checkout (cold), under {WALL_GOAL_S:.0f} s and {RSS_GOAL_MB:.0f} MB. `accord run` "
               f"as it runs by default: **{wall:.2f} s** ({'met' if wall < WALL_GOAL_S else 'MISSED'}), **{rss:.0f} MB** "
               f"for all its processes together ({'met' if rss < RSS_GOAL_MB else 'MISSED'}); {ratio_cold:.2f}x the "
               f"speed of one process cold, {ratio_warm:.2f}x warm (median of per-round ratios). Verdicts and request "
               "counts " + ("are the same in every run." if not differences
                            else "DIFFER: " + "; ".join(differences)))
    print(text)
    print(verdict)
    if args.write:
        write_section(BenchVendor("all"), "gate", f"""
## All vendors · the CI gate: `accord run`, cold and warm, split over processes and in one (issue 17, goal 1)

{stamp()}

Median of {args.runs} rounds; each round runs each variant in a fresh clone, first cold (empty accord cache
folder and byte-code cache, no earlier reports), then warm (the same clone again). Wall = spawn to exit.
`python benchmarks/gate.py --runs {args.runs} --write`

{text}

{verdict}
""")


if __name__ == "__main__":
    main()
