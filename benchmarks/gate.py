"""Issue 17, goal 1: the five-vendor CI gate, `accord run` (every vendor, built-in simulators, quick
profile), cold and warm, in one process and with the vendors split over parallel processes.

- **cold** is what a CI job on a fresh runner meets: a fresh `git clone` of the commit measured, an
  empty accord cache folder (ACCORD_CACHE_DIR: hypothesis' files) and an empty byte-code cache for
  the clone's own modules (site-packages keep the .pyc files pip wrote, as on a runner after
  `pip install`). **warm** is the next run in the same clone.
- **serial**: `accord run` (one process, all vendors), the default.
- **split-N**: N `accord run <vendors>` processes at once, the vendors dealt out over them by their
  one-vendor wall times (longest first, each to the least loaded process). accord has no switch for
  this; the variant measures whether one would pay on this machine.

Wall is from the first spawn to the last exit (index.html and every report written); peak RSS is
the largest single process, and for split runs also the sum of the processes' peaks (they run at the
same time, so the sum bounds what the machine must hold). Every split run's verdicts (each vendor's
clause verdicts and request count) are compared with the serial run of the same round.

    python benchmarks/gate.py [--runs 5] [--split 2] [--write]
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
    sum_rss_mb: float  # all processes' peaks added
    cpu_s: float
    verdicts: dict[str, tuple[dict[str, str], int]]  # vendor -> (clause verdicts, requests)


def all_vendor_names() -> list[str]:
    from accord.vendors import all_vendors

    return sorted(all_vendors())


def run_together(commands: list[list[str]], env: dict[str, str], cwd: Path, timeout: float = 600) -> list[tuple]:
    """Starts every command at once and waits for all: (exit code, wall s, peak RSS MB, CPU s) each,
    wall measured from the first spawn."""
    started = time.perf_counter()
    processes = [subprocess.Popen(c, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  start_new_session=True) for c in commands]
    done: dict[int, tuple] = {}
    try:
        while len(done) < len(processes):
            if time.perf_counter() - started > timeout:
                raise SystemExit(f"the gate did not finish within {timeout:.0f} s")
            for index, process in enumerate(processes):
                if index in done:
                    continue
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    process.returncode = os.waitstatus_to_exitcode(status)
                    done[index] = (process.returncode, time.perf_counter() - started, usage.ru_maxrss / 1024,
                                   usage.ru_utime + usage.ru_stime)
            time.sleep(0.005)
    finally:
        for process in processes:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    for index, process in enumerate(processes):
        if done[index][0] != 0:
            raise SystemExit(f"{' '.join(commands[index][-4:])} exited {done[index][0]}: "
                             f"{process.stderr.read().decode()[-2000:]}")
    return [done[i] for i in range(len(processes))]


def gate(clone: Path, cache: Path, groups: list[list[str]], report_dir: Path) -> Gate:
    env = bench_env({"PYTHONPATH": str(clone), "ACCORD_CACHE_DIR": str(cache),
                     "PYTHONPYCACHEPREFIX": str(cache / "pycache")})
    commands = [accord_cli("run", *group, "--report-dir", str(report_dir / f"p{i}")) for i, group in enumerate(groups)]
    wait_until_quiet()
    ran = run_together(commands, env, clone)
    verdicts = {}
    for i, group in enumerate(groups):
        for name in group or all_vendor_names():
            results = json.loads((report_dir / f"p{i}" / f"{name}.json").read_text())
            verdicts[name] = ({c["id"]: c["verdict"] for c in results["clauses"]}, results["run"]["requests"])
    return Gate(max(r[1] for r in ran), max(r[2] for r in ran), sum(r[2] for r in ran), sum(r[3] for r in ran), verdicts)


def split(walls: dict[str, float], parts: int) -> list[list[str]]:
    """Longest first, each vendor to the process with the least work so far."""
    groups: list[list[str]] = [[] for _ in range(parts)]
    loads = [0.0] * parts
    for name in sorted(walls, key=lambda n: -walls[n]):
        least = loads.index(min(loads))
        groups[least].append(name)
        loads[least] += walls[name]
    return [sorted(g) for g in groups if g]


def fresh_clone(into: Path) -> Path:
    subprocess.run(["git", "clone", "-q", str(ROOT), str(into)], check=True, timeout=120)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds (each: every variant, cold then warm)")
    parser.add_argument("--split", type=int, default=2, help="processes of the split variant (default 2)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    names = all_vendor_names()
    heading(f"the CI gate: accord run ({', '.join(names)}), cold and warm, serial and split over {args.split} processes")
    samples: dict[str, list[Gate]] = {}
    differences: list[str] = []
    with tempfile.TemporaryDirectory(prefix="accord-gate-") as tmp:
        base = Path(tmp)
        warm_clone = fresh_clone(base / "one-vendor")
        walls = {}
        for name in names:  # one-vendor wall times (warm) decide the split
            gate(warm_clone, base / "one-vendor-cache", [[name]], base / "one-vendor-warm-up")
            walls[name] = gate(warm_clone, base / "one-vendor-cache", [[name]], base / f"one-{name}").wall_s
        groups = split(walls, args.split)
        print("  one vendor alone (warm): " + ", ".join(f"{n} {w:.2f}s" for n, w in walls.items()))
        print(f"  split over {len(groups)}: " + " | ".join(" ".join(g) for g in groups), flush=True)
        variants = {"serial": [[]], f"split-{len(groups)}": groups}
        for round_ in range(args.runs):
            serial_verdicts = None
            for variant, variant_groups in variants.items():
                clone = fresh_clone(base / f"{variant}-{round_}")
                cache = base / f"{variant}-{round_}-cache"
                for temperature in ("cold", "warm"):
                    result = gate(clone, cache, variant_groups, base / f"{variant}-{round_}-{temperature}")
                    samples.setdefault(f"{variant} {temperature}", []).append(result)
                    if serial_verdicts is None:
                        serial_verdicts = result.verdicts
                    elif result.verdicts != serial_verdicts:
                        differing = [n for n in names if result.verdicts.get(n) != serial_verdicts.get(n)]
                        differences.append(f"round {round_ + 1}, {variant} {temperature}: {', '.join(differing)}")
                    print(f"  round {round_ + 1}/{args.runs} {variant:<8} {temperature}: wall {result.wall_s:.2f}s  "
                          f"peak {result.peak_rss_mb:.0f} MB (sum {result.sum_rss_mb:.0f})  CPU {result.cpu_s:.2f}s",
                          flush=True)

    rows = []
    for label, runs in samples.items():
        wall = [r.wall_s for r in runs]
        rows.append([label, f"{median(wall):.2f}", spread(wall), f"{median([r.peak_rss_mb for r in runs]):.0f}",
                     f"{median([r.sum_rss_mb for r in runs]):.0f}", f"{median([r.cpu_s for r in runs]):.2f}"])
    text = table(["variant", "wall s (median)", "min-max", "peak RSS MB (largest process)",
                  "peak RSS MB (sum of processes)", "CPU s (all processes)"], rows)
    cold = samples["serial cold"]
    wall, rss = median([r.wall_s for r in cold]), median([r.peak_rss_mb for r in cold])
    split_label = f"split-{len(groups)}"
    ratio_cold = median([s.wall_s / p.wall_s for s, p in zip(cold, samples[f"{split_label} cold"], strict=True)])
    ratio_warm = median([s.wall_s / p.wall_s for s, p in zip(samples["serial warm"], samples[f"{split_label} warm"],
                                                               strict=True)])
    verdict = (f"Goal: cold, under {WALL_GOAL_S:.0f} s and {RSS_GOAL_MB:.0f} MB. Serial cold: **{wall:.2f} s** "
               f"({'met' if wall < WALL_GOAL_S else 'MISSED'}), **{rss:.0f} MB** "
               f"({'met' if rss < RSS_GOAL_MB else 'MISSED'}). {split_label} is {ratio_cold:.2f}x the speed of serial "
               f"cold and {ratio_warm:.2f}x warm (median of per-round ratios). Verdicts and request counts of the "
               + ("split runs equal the serial run's in every round." if not differences
                  else "split runs DIFFER from the serial run's: " + "; ".join(differences)))
    print(text)
    print(verdict)
    if args.write:
        split_text = " | ".join(" ".join(g) for g in groups)
        alone = ", ".join(f"{n} {w:.2f} s" for n, w in walls.items())
        write_section(BenchVendor("all"), "gate", f"""
## All vendors · the CI gate: `accord run`, cold and warm, serial and split over processes (issue 17, goal 1)

{stamp()}

Median of {args.runs} rounds; each round runs every variant in a fresh clone, first cold (empty accord cache
folder and byte-code cache), then warm (the same clone again). Wall = first spawn to last exit. One vendor
alone (warm): {alone}; the split: {split_text}.
`python benchmarks/gate.py --runs {args.runs} --split {args.split} --write`

{text}

{verdict}
""")


if __name__ == "__main__":
    main()
