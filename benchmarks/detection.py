"""Issue 5, item 4: for every planted fault, the requests until the first failing check.

Three tools against a vendor's simulator with one fault switched on:

- accord quick: `accord run <vendor> --fault F --timeout 1 --seed S` (the whole suite, so we also see
  whether the fault's own clause fails; `--timeout 1` as the power tests (tests/test_<vendor>_power.py), so that the
  stalling faults are caught without waiting 10 s);
- accord full:  the same with `--profile full`;
- schemathesis: `schemathesis run contracts/<vendor>/openapi.yaml` with its default checks and phases
  against benchmarks/simserver.py --route-all-methods (the simulator as `accord serve` runs it,
  plus a request log, with every HTTP method reaching the simulator as it does over accord's
  in-process transport), working auth (the headers the vendor's auth sends with the simulator's
  test credentials, no generated security headers),
  one worker, `--continue-on-failure`, and `--max-examples` the full profile's 50 (schemathesis'
  default is 100; see --st-examples).

Every tool and seed first runs against the faithful simulator (fault "(none)"). What fails there
is that tool's baseline (a false positive of the tool or of the suite): a detection is the first
failing check that is *not* in the baseline.

Requests to detection:
- accord: benchmarks/accord_probe.py lists every failing check with the number of requests sent
  so far (fuzz checks, soft checks, failing tests); a check is identified by test node id and
  clause. Hypothesis shrinking is off, so a failing property test adds at most its one replay of
  the failing example.
- schemathesis: server-side: the position in the simulator's request log of the last request of
  the first test case (X-Schemathesis-TestCaseId) that failed a check (name, code, method, path)
  outside the baseline. schemathesis' ndjson report is read while it runs and the run is stopped
  once a detection is certain, to keep the whole table within ~20 minutes. A network error it
  reports for an operation (a read timeout, a reset connection) counts as a detection too, at the
  number of requests that had reached the simulator by then, as accord's error verdicts count.

    python benchmarks/detection.py --vendor NAME [--quick-seeds 2] [--full-seeds 1] [--st-seeds 1] [--jobs 2] [--write]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import (
    HERE,
    BenchVendor,
    accord_cli,
    bench_env,
    heading,
    measure,
    median,
    probe_env,
    serve,
    stamp,
    table,
    vendor_option,
    write_section,
)
from throughput import header_options, schemathesis_bin

NONE = "(none)"
TOOLS = ["accord quick", "accord full", "schemathesis"]


# --- accord ------------------------------------------------------------------------------------------
def accord_job(vendor: BenchVendor, tmp: Path, profile: str, fault: str, seed: int, version: str | None = None) -> dict:
    work = Path(tempfile.mkdtemp(dir=tmp))
    argv = accord_cli("run", vendor.name, "--timeout", "1", "--profile", profile, "--seed", str(seed),
                      *(["--target-version", version] if version else []),
                      "--report-dir", str(work / "reports"), *(["--fault", fault] if fault != NONE else []))
    result = measure(argv, env=probe_env(work / "probe.json", vendor, {"ACCORD_PROBE_NO_SHRINK": "1"}), timeout=900)
    probe = json.loads((work / "probe.json").read_text())
    results = vendor.results(work / "reports")
    failed = {c["id"] for c in results["clauses"] if c["verdict"] in ("fail", "error")}
    return {"tool": f"accord {profile}", "fault": fault, "seed": seed,
            "events": [(f["requests"], f["test"].split("::")[-1], f["clause"]) for f in probe["failures"]],
            "clause_failed": fault != NONE and vendor.catalogue[fault].clause in failed,
            "requests": results["run"]["requests"], "wall_s": round(result.wall_s, 2), "timed_out": result.timed_out}


def judge_accord(run: dict, baseline: set) -> dict:
    fresh = [(requests, test, clause) for requests, test, clause in run["events"] if (test, clause) not in baseline]
    first = fresh[0] if fresh else None
    return {**run, "detected": first is not None, "requests_to_detection": first[0] if first else None,
            "first_check": f"{first[1]} ({first[2]})" if first else None}


# --- schemathesis ------------------------------------------------------------------------------------
def failing_checks(lines: list[str]) -> list[tuple[float, str | None, tuple[str, str, str, str]]]:
    """(timestamp, case id, signature) of every failed check in schemathesis' ndjson events, and of
    every network error it reported for an operation (a timeout, a reset connection: case id None)."""
    found = []
    for line in lines:
        event = json.loads(line)
        error = event.get("NonFatalError")
        if error and error.get("related_to_operation"):
            method, _, path = str(error.get("label", "")).partition(" ")
            found.append((error["timestamp"], None, ("network error", error["value"]["type"], method, path)))
        finished = event.get("ScenarioFinished")
        if not finished or "checks" not in finished["recorder"]:
            continue
        recorder = finished["recorder"]
        for case_id, checks in recorder["checks"].items():
            value = recorder["cases"].get(case_id, {}).get("value", {})
            stamp_ = recorder.get("interactions", {}).get(case_id, {}).get("timestamp", 0.0)
            for check in checks:
                if check["status"] == "failure":
                    code = check.get("failure_info", {}).get("failure", {}).get("code", "")
                    found.append((stamp_, case_id, (check["name"], code, value.get("method", ""), value.get("path", ""))))
    return found


def schemathesis_job(vendor: BenchVendor, tmp: Path, fault: str, seed: int, examples: int | None,
                     baseline: set | None, version: str | None = None) -> dict:
    """One run; with a baseline, stopped as soon as a scenario reports a check outside it."""
    work = Path(tempfile.mkdtemp(dir=tmp))
    log, reports = work / "server.json", work / "st"
    server_argv = [sys.executable, str(HERE / "simserver.py"), "--vendor", vendor.name, "--route-all-methods",
                   "--log", str(log), *(["--version", version] if version else []),
                   *(["--fault", fault] if fault != NONE else [])]
    argv = [schemathesis_bin(), "run", str(vendor.openapi),
            "--generation-with-security-parameters", "false",
            "--continue-on-failure", "--seed", str(seed), "--workers", "1", "--generation-database", "none",
            "--report", "ndjson,json", "--report-dir", str(reports), "--no-color", "--request-timeout", "1",
            *(["--max-examples", str(examples)] if examples else [])]
    started, stopped_early = time.monotonic(), False
    found: list[tuple[float, str, tuple[str, str, str, str]]] = []
    position = 0

    def read_new_events() -> None:
        """Parses the complete lines schemathesis appended since the last call."""
        nonlocal position
        events = next(reports.glob("ndjson-*.ndjson"), None)
        if events is None:
            return
        with events.open("rb") as stream:
            stream.seek(position)
            chunk = stream.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        position += len(complete)
        found.extend(failing_checks(complete.decode().splitlines()))

    with serve(server_argv) as server:
        auth = header_options(vendor, server.base_url, version)  # after the server is up: a login needs it
        process = subprocess.Popen([*argv, *auth, "--url", server.base_url], env=bench_env(), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        try:
            while process.poll() is None and time.monotonic() - started < 900:
                time.sleep(1)
                read_new_events()
                if baseline is not None and any(sig not in baseline for _, _, sig in found):
                    process.terminate()
                    stopped_early = True
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(30)
    read_new_events()
    summary = next(reports.glob("json-*.json"), None)
    missing_auth = []
    if summary is not None and not stopped_early and summary.stat().st_size:  # a stopped run leaves it empty
        missing_auth = json.loads(summary.read_text())["warnings"].get("missing_auth") or []
        if missing_auth and fault == NONE:
            raise SystemExit(f"schemathesis ran without working auth: {missing_auth}")
    requests_log = json.loads(log.read_text())["requests"]
    last_seen = {case_id: index + 1 for index, (_, _, case_id, _) in enumerate(requests_log) if case_id}
    arrivals = [arrived for _, _, _, arrived in requests_log]
    return {"tool": "schemathesis", "fault": fault, "seed": seed, "found": found, "last_seen": last_seen,
            "arrivals": arrivals,
            "requests": len(requests_log), "stopped_early": stopped_early, "clause_failed": None,
            "missing_auth_warning": bool(missing_auth),
            "wall_s": round(time.monotonic() - started, 2), "timed_out": False}


def judge_schemathesis(run: dict, baseline: set) -> dict:
    def position(stamp_: float, case: str | None) -> int:
        if case is not None:
            return run["last_seen"].get(case, run["requests"])
        return sum(1 for arrived in run["arrivals"] if arrived <= stamp_)  # a network error: by time

    fresh = sorted((position(stamp_, case), sig) for stamp_, case, sig in run["found"] if sig not in baseline)
    first = fresh[0] if fresh else None
    return {**run, "detected": first is not None, "requests_to_detection": first[0] if first else None,
            "first_check": f"{first[1][0]} {first[1][1]} on {first[1][2]} {first[1][3]}" if first else None}


# --- the table ---------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--quick-seeds", type=int, default=2)
    parser.add_argument("--full-seeds", type=int, default=1)
    parser.add_argument("--st-seeds", type=int, default=1)
    parser.add_argument("--st-examples", type=int, default=50,
                        help="schemathesis --max-examples (default 50, the full profile's; 0: schemathesis' default)")
    parser.add_argument("--jobs", type=int, default=2, help="runs in parallel (default 2)")
    parser.add_argument("--faults", nargs="*", help="only these faults (default: the whole catalogue)")
    parser.add_argument("--raw", type=Path, help="also save every run's numbers as JSON here")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)
    faults = args.faults or [fault.name for fault in vendor.catalogue]
    seeds = {"accord quick": range(args.quick_seeds), "accord full": range(args.full_seeds),
             "schemathesis": range(args.st_seeds)}
    examples = args.st_examples or None

    heading(f"detection on {vendor.title}: {len(faults)} faults; seeds: accord quick {args.quick_seeds}, full {args.full_seeds}, "
            f"schemathesis {args.st_seeds}")
    started = time.monotonic()
    judged: list[dict] = []
    baselines: dict[tuple[str, int, str | None], set] = {}  # per tool, seed and simulator version
    versions = sorted({vendor.version_of(fault) for fault in faults} | {None}, key=lambda v: v or "")

    def report(run: dict) -> None:
        shown = (f"detected after {run['requests_to_detection']} requests ({run['first_check']})" if run["detected"]
                 else "not detected")
        print(f"  [{time.monotonic() - started:4.0f}s] {run['tool']:<12} {run['fault']:<28} seed {run['seed']}: "
              f"{shown}; {run['requests']} requests in {run['wall_s']}s", flush=True)

    def run_all(pool: ThreadPoolExecutor, tmp: Path) -> None:
        # 1. the faithful simulator: every tool's baseline
        # (a fault of another version's behaviour is planted in, and judged against, that version's simulator)
        controls = {(tool, seed, version): pool.submit(schemathesis_job, vendor, tmp, NONE, seed, examples, None, version)
                    if tool == "schemathesis" else pool.submit(accord_job, vendor, tmp, tool.split()[1], NONE, seed, version)
                    for tool in TOOLS for seed in seeds[tool] for version in versions}
        for (tool, seed, version), future in controls.items():
            run = future.result()
            if tool == "schemathesis":
                baselines[(tool, seed, version)] = {sig for _, _, sig in run["found"]}
                judged.append(judge_schemathesis(run, set()))
            else:
                baselines[(tool, seed, version)] = {(test, clause) for _, test, clause in run["events"]}
                judged.append(judge_accord(run, set()))
            report(judged[-1])
        # 2. every fault; schemathesis first, its runs are the longest
        futures = {}
        for fault in faults:
            for seed in seeds["schemathesis"]:
                version = vendor.version_of(fault)
                futures[pool.submit(schemathesis_job, vendor, tmp, fault, seed, examples,
                                    baselines[("schemathesis", seed, version)], version)] = ("schemathesis", seed, version)
        for fault in faults:
            for tool in ("accord full", "accord quick"):
                for seed in seeds[tool]:
                    version = vendor.version_of(fault)
                    futures[pool.submit(accord_job, vendor, tmp, tool.split()[1], fault, seed, version)] = (tool, seed, version)
        for future, (tool, seed, version) in futures.items():
            run = future.result()
            judge = judge_schemathesis if tool == "schemathesis" else judge_accord
            judged.append(judge(run, baselines[(tool, seed, version)]))
            report(judged[-1])

    with tempfile.TemporaryDirectory(prefix="accord-detection-") as tmp_name, ThreadPoolExecutor(args.jobs) as pool:
        try:
            run_all(pool, Path(tmp_name))
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # fail now, not after every queued run
            raise
    elapsed = time.monotonic() - started
    if args.raw:
        args.raw.write_text(json.dumps(judged, indent=1, default=list))

    by: dict[tuple[str, str], list[dict]] = {}
    for run in judged:
        by.setdefault((run["tool"], run["fault"]), []).append(run)

    tools = [tool for tool in TOOLS if seeds[tool]]  # a tool given 0 seeds is left out of the tables

    def detected(tool: str, fault: str) -> bool:
        return any(r["detected"] for r in by[(tool, fault)])

    def rtd(tool: str, fault: str) -> float:
        return median([r["requests_to_detection"] for r in by[(tool, fault)] if r["detected"]])

    def cell(tool: str, fault: str) -> str:
        runs = by[(tool, fault)]
        hits = [r for r in runs if r["detected"]]
        if not hits:
            warned = " (warned: missing auth)" if any(r.get("missing_auth_warning") for r in runs) else ""
            return ("-" if len(runs) == 1 else f"- (0/{len(runs)})") + warned
        return f"{rtd(tool, fault):.0f}" + (f" ({len(hits)}/{len(runs)})" if len(runs) > 1 else "")

    rows = []
    for fault in faults:
        quick = by[("accord quick", fault)]
        rows.append([f"`{fault}`", f"`{vendor.catalogue[fault].clause.removeprefix(vendor.name + '.')}`",
                     f"{sum(r['clause_failed'] for r in quick)}/{len(quick)}", *[cell(tool, fault) for tool in tools]])
    per_fault = table(["fault", f"clause it breaks ({vendor.name}.…)", "accord quick fails that clause",
                       *[f"{tool}: requests to detection" for tool in tools]], rows)

    common_faults = [f for f in faults if all(detected(t, f) for t in tools)]
    summary_rows = []
    for tool in tools:
        hit = [f for f in faults if detected(tool, f)]
        controls_ = by[(tool, NONE)]
        summary_rows.append([
            tool, f"{len(hit)}/{len(faults)} ({100 * len(hit) / len(faults):.0f}%)",
            f"{median([rtd(tool, f) for f in hit]):.0f}" if hit else "-",
            f"{median([rtd(tool, f) for f in common_faults]):.0f}" if common_faults else "-",
            f"{median([r['requests'] for r in controls_]):.0f}",
            f"{sum(1 for r in controls_ if r['found' if tool == 'schemathesis' else 'events'])}/{len(controls_)}",
            len(seeds[tool]),
        ])
    summary = table(["tool", "faults detected", "median requests to detection",
                     f"same, on the {len(common_faults)} faults all {len(tools)} detect",
                     "requests of a whole run (faithful simulator)", "runs failing on the faithful simulator",
                     "seeds"], summary_rows)
    quick_caught = [f for f in faults if all(r["clause_failed"] for r in by[("accord quick", f)])]
    baseline_lines = []
    for (tool, seed, version), base in sorted(baselines.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or "")):
        if base:
            shown = sorted({" ".join(x for x in sig if x) for sig in base})
            on = f", version {version}" if version else ""
            baseline_lines.append(f"- {tool}, seed {seed}{on}: {'; '.join(shown)}")
    missed = {tool: [f for f in faults if not detected(tool, f)] for tool in tools}
    notes = "\n".join(f"- {tool} detects none of: {', '.join(f'`{f}`' for f in m) if m else '(detects all)'}"
                      for tool, m in missed.items())
    print(summary)
    print(per_fault)
    print(notes)
    print("\n".join(baseline_lines))
    if args.write:
        write_section(vendor, "detection", f"""
## {vendor.title} · 4. Detection per request, for every planted fault

{stamp()}

{len(faults)} faults (`accord faults {vendor.name}`). accord quick: seeds 0..{args.quick_seeds - 1}; accord full: seeds
0..{args.full_seeds - 1}; schemathesis (default checks and phases, `--max-examples {examples or 'default (100)'}`,
`--continue-on-failure`, working auth, one worker, `--request-timeout 1`): seeds 0..{args.st_seeds - 1}. accord
runs use `--timeout 1` over HTTP, as the power tests. A cell is the median number of
requests sent until the first failing check outside the tool's baseline, over the seeds that detected the
fault (k/n when not every seed did); "-" = not detected. How each count is taken: the docstring of
benchmarks/detection.py. This took {elapsed / 60:.0f} min with {args.jobs} jobs:
`python benchmarks/detection.py --vendor {vendor.name} --quick-seeds {args.quick_seeds} --full-seeds {args.full_seeds} \\
--st-seeds {args.st_seeds} --write`

{summary}

accord quick fails the very clause a fault breaks for {len(quick_caught)}/{len(faults)} faults on every seed
(the power test's criterion).

Baselines: what already fails against the faithful simulator (excluded from detection):
{chr(10).join(baseline_lines) or '- nothing'}

{notes}

{per_fault}
""")


if __name__ == "__main__":
    main()
