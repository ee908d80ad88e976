"""Issue 5, item 1: where the wall time of `accord run <vendor>` (quick) goes, sampled with py-spy.

py-spy samples the process from outside (no instrumentation inside accord), including idle time,
so a main thread waiting for the simulator's answer counts as HTTP. Each sample of the main thread
is put in one bucket:

- start-up:     interpreter, imports, CLI pre-flight, pytest configuration and collection
                (including building the simulator and loading the OpenAPI document)
- generation:   hypothesis/schemathesis drawing cases, schemathesis coverage cases, building strategies
- validation:   schemathesis' response checks, accord's JSON Schema checks (expect_json/expect_schema)
- HTTP:         accord's session and schemathesis' case.call: requests/urllib3, the socket wait for
                the simulator thread (the simulator's own work shows up here as waiting)
- evidence:     accord's evidence capture per exchange (redaction, pretty JSON, curl line)
- hypothesis engine / pytest + test code: what remains inside the test loop
- clean-up:     the end-of-run deletion of what the run created
- reporting:    results, HTML, JUnit and index written after the tests (and pytest-html's test log)
- session end:  stopping the simulator's server, pytest's unconfigure (its garbage collections)
- no Python frame: the interpreter initialising and finalising (freeing every object at exit)

The bucket is decided by the outermost recognised frame, so e.g. JSON Schema work done while
generating counts as generation. Needs py-spy (`pip install py-spy`).

    python benchmarks/profile_quick.py --vendor NAME|all [--runs 5] [--rate 100] [--write]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

from common import (
    ROOT,
    BenchVendor,
    accord_cli,
    bench_env,
    heading,
    measure,
    median,
    stamp,
    table,
    vendor_option,
    wait_until_quiet,
    write_section,
)

BUCKETS = ["start-up: imports", "start-up: config, collection, simulator", "generation", "validation", "HTTP",
           "evidence capture", "hypothesis engine", "pytest + test code", "clean-up", "reporting",
           "session end: stop simulator, pytest unconfigure", "no Python frame (interpreter start/exit)",
           "unattributed (py-spy got a partial stack)"]
# (bucket, function names) searched from the outermost frame inwards inside the test loop
ANCHORS = [
    ("evidence capture", {"Session._record", "Session.exchange"}),
    ("HTTP", {"Session.request", "Case.call", "Session.get", "Session.post", "Session.patch", "Session.delete"}),
    ("validation", {"Case.validate_response", "validate_response", "expect_schema", "expect_json", "Contract.errors",
                    "Contract.validator"}),
    ("generation", {"ConjectureData.draw", "BuildContext.prep_args_kwargs_from_strategies", "coverage_cases",
                    "iter_coverage_cases", "Contract.strategy", "OpenAPIOperation.as_strategy", "APIOperation.as_strategy",
                    "violations", "load_schema"}),
]


LOOP_BUCKETS = ["generation", "validation", "HTTP", "evidence capture", "hypothesis engine", "pytest + test code"]


def parse(line: str) -> tuple[str, list[tuple[str, str]], int]:
    stack, count = line.rstrip("\n").rsplit(" ", 1)
    parts = stack.split(";")
    thread, frames = parts[0], []
    for part in parts[1:]:
        name, _, where = part.partition(" (")
        frames.append((name, where.rstrip(")")))
    return thread, frames, int(count)


def bucket(frames: list[tuple[str, str]]) -> str:
    names = [name for name, _ in frames]
    if not frames:
        return "no Python frame (interpreter start/exit)"
    if names[0] not in ("<module>", "_run_module_as_main"):
        return "unattributed (py-spy got a partial stack)"
    if "write_run_reports" in names or "BaseReport._generate_report" in names:
        return "reporting"
    if "Run.clean_up" in names:
        return "clean-up"
    if "pytest_sessionfinish" in names or "Config._ensure_unconfigure" in names:
        return "session end: stop simulator, pytest unconfigure"
    if "pytest_runtestloop" not in names:
        if any(name in ("_find_and_load", "_call_with_frames_removed") for name in names):
            return "start-up: imports"
        return "start-up: config, collection, simulator"
    loop = names[names.index("pytest_runtestloop"):]
    for name in loop:
        for label, anchors in ANCHORS:
            if name in anchors:
                if label == "HTTP" and any(n in ("Session._record", "Session.exchange") for n in loop):
                    return "evidence capture"
                return label
    if any("hypothesis/" in where for _, where in frames[len(names) - len(loop):]):
        return "hypothesis engine"
    return "pytest + test code"


def suite_module(frames: list[tuple[str, str]]) -> str:
    """The suite module whose test is running (test_*.py), for time spent inside the test loop."""
    for name, where in frames:
        path = where.split(":")[0]
        if name.startswith("test_") and path.split("/")[-1].startswith("test_"):
            return path.split("/")[-1]
    return "(between tests: pytest, fixtures' teardown)"


PYTEST_STEPS = [  # outermost match names the start-up step
    ("PluginManager.load_setuptools_entrypoints", "pytest: load installed plugins (pytest11 entry points)"),
    ("PytestPluginManager._set_initial_conftests", "pytest: load conftest.py (accord's plugin)"),
    ("Config._preparse", "pytest: parse options, load plugins"),
    ("pytest_configure", "pytest_configure (accord's plugin, pytest-html, ...)"),
    ("pytest_collection", "pytest: collect the suite (import test modules, parametrize)"),
    ("pytest_sessionstart", "pytest: session start"),
    ("preflight", "accord CLI pre-flight (targets, simulator)"),
]


def start_up_step(frames: list[tuple[str, str]]) -> str:
    """For start-up samples: the step (CLI, pytest's configuration, collection) and, when importing,
    the top-level package being imported first."""
    names = [name for name, _ in frames]
    step = next((label for anchor, label in PYTEST_STEPS if anchor in names), None)
    if step is None:
        step = "accord CLI: imports before pytest starts" if "cmd_run" not in names else "pytest: start-up, other"
    for name, where in frames:
        path = where.split(":")[0]
        if name == "<module>" and path.endswith(".py") and not path.startswith(("accord/", "<frozen")) \
                and not path.split("/")[-1].startswith(("test_", "conftest")):
            return f"{step}: import {path.split('/')[0].removesuffix('.py')}"
    return step


def analyse(raws: list[Path], rate: int) -> tuple[Counter, Counter, Counter, list[float]]:
    buckets: Counter[str] = Counter()
    by_module: Counter[tuple[str, str]] = Counter()
    start_up: Counter[str] = Counter()
    sampled = []
    for raw in raws:
        samples = 0
        lines = [parse(line) for line in raw.read_text().splitlines()]
        main_thread = next(t.split(")")[0] for t, _, _ in lines if t.endswith("MainThread")) + ")"
        for thread, frames, count in lines:
            if not thread.startswith(main_thread):
                continue  # simulator threads: their work shows up as the main thread's HTTP wait
            samples += count
            where = bucket(frames)
            buckets[where] += count
            if where.startswith("start-up"):
                start_up[start_up_step(frames)] += count
            elif where in LOOP_BUCKETS:
                by_module[(suite_module(frames), where)] += count
        sampled.append(samples / rate)
    return buckets, by_module, start_up, sampled


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser, allow_all=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rate", type=int, default=100, help="py-spy samples per second (default 100)")
    parser.add_argument("--keep", type=Path, help="keep py-spy's raw samples in this folder")
    parser.add_argument("--analyse", type=Path, help="only analyse the raw samples kept earlier in this folder")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)
    # 'all': every vendor in one process (--jobs 1): py-spy samples one process, and a split run's
    # parent only waits; the split shares out this same work (benchmarks/gate.py)
    selected = ["--jobs", "1"] if args.vendor == "all" else [vendor.name]
    title = "All vendors" if args.vendor == "all" else vendor.title
    py_spy = shutil.which("py-spy")
    if py_spy is None and not args.analyse:
        raise SystemExit("py-spy is not installed: pip install py-spy")

    heading(f"accord run {' '.join(selected)} (quick) under py-spy")
    walls = []
    with tempfile.TemporaryDirectory(prefix="accord-profile-") as tmp:
        folder = args.analyse or args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.analyse:
            raws = sorted(folder.glob("run*.txt"))
            args.runs = len(raws)
        else:
            subprocess.run(accord_cli("run", *selected, "--report-dir", f"{tmp}/warm"), cwd=ROOT, env=bench_env(),
                           capture_output=True, timeout=300)
            raws = []
            for index in range(args.runs):
                raw = folder / f"run{index}.txt"
                command = [py_spy, "record", "--rate", str(args.rate), "--idle", "--threads", "--nonblocking",
                           "--format", "raw", "--output", str(raw), "--",
                           *accord_cli("run", *selected, "--report-dir", f"{tmp}/r{index}")]
                # py-spy does not wait for the program it starts, so that program's CPU is not in
                # py-spy's rusage and measure(quiet=True) would take it for other load: wait for quiet only.
                wait_until_quiet()
                result = measure(command, env=bench_env(), timeout=300)
                if result.code != 0:
                    raise SystemExit(f"py-spy run failed ({result.code}): {result.stderr[-2000:]}")
                raws.append(raw)
                walls.append(result.wall_s)
                print(f"  run {index + 1}/{args.runs}: wall {result.wall_s:.2f}s under py-spy", flush=True)
        buckets, by_module, start_up, sampled = analyse(raws, args.rate)

    total = sum(buckets.values())
    per_run = lambda count: count / args.rate / args.runs  # noqa: E731 - seconds per run
    rows = [[name, f"{per_run(buckets[name]):.2f}", f"{100 * buckets[name] / total:.1f}%"]
            for name in sorted(BUCKETS, key=lambda b: -buckets[b]) if buckets[name]]
    breakdown = table(["bucket", "s per run", "share"], rows)
    modules = sorted({m for m, _ in by_module}, key=lambda m: -sum(by_module[(m, b)] for b in LOOP_BUCKETS))
    module_rows = [[m, *[f"{per_run(by_module[(m, b)]):.2f}" for b in LOOP_BUCKETS],
                    f"{per_run(sum(by_module[(m, b)] for b in LOOP_BUCKETS)):.2f}"] for m in modules]
    module_table = table(["suite module (test loop only)", *LOOP_BUCKETS, "total s per run"], module_rows)
    start_rows = [[name, f"{per_run(count):.2f}"] for name, count in start_up.most_common(10)]
    start_table = table(["start-up step (: top-level package being imported)", "s per run"], start_rows)
    print(breakdown)
    print(module_table)
    print(start_table)
    note = (f"{args.runs} runs, {args.rate} samples/s, main thread only (idle included); main thread sampled "
            f"{median(sampled):.2f} s per run (median)"
            + (f", wall under py-spy {median(walls):.2f} s (the difference: the interpreter starting before "
               f"the first sample, and py-spy's own start)." if walls else "."))
    print(note)
    if args.write:
        write_section(vendor, "profile", f"""
### {title} · where the time goes (py-spy)

{stamp()}

{note}
`python benchmarks/profile_quick.py --vendor {vendor.name} --runs {args.runs} --write`

{breakdown}

The test loop by suite module and bucket (seconds per run):

{module_table}

Start-up by step, and for imports the top-level package imported first (what pulls in the rest):

{start_table}
""")


if __name__ == "__main__":
    main()
