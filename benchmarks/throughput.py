"""Issue 5, item 2: generated cases per second, accord's property + fuzz checks vs `schemathesis run`.

Same work for both, round by round in one run of this script (so the ratio is taken under the
same machine conditions):

- the same simulator: a fresh benchmarks/simserver.py process on 127.0.0.1 for each tool and round
  (fresh, so neither tool inherits the customers the other created): the simulator exactly as
  `accord serve <vendor>` serves it, except that requests with any HTTP method reach the simulator
  (--route-all-methods). Both tools' boundary cases include methods such as TRACE and QUERY, which
  accord's loopback server answers with a 501 HTML page of Python's http.server: accord counts that
  as a server error and its fuzz of that operation stops there (see RESULTS.md), so against
  `accord serve` as it is, accord would do far less than its budget;
- the same OpenAPI document: contracts/<vendor>/openapi.yaml;
- the same example budget: accord's `full` profile draws, per operation and generation mode
  (positive, negative), 40 of schemathesis' coverage-phase boundary cases and 50 random cases;
  schemathesis runs its coverage and fuzzing phases with `--max-examples 50` (its coverage phase
  is not bounded by that number, so the case counts are reported next to the rates);
- comparable checks: the four accord's fuzz applies (not_a_server_error, status_code_conformance,
  content_type_conformance, response_schema_conformance), `--continue-on-failure` as accord does;
- working auth for both: the simulator's test credentials (for schemathesis, the headers the
  vendor's auth sends with them); schemathesis is told not to generate its own security headers,
  and a run that reports missing auth aborts the benchmark;
- one worker each (accord runs serially unless --workers is given);
- no shrinking for either: a failing test's minimisation is not case generation.

accord runs through pytest (suites/<vendor>/test_properties.py and test_fuzz.py, `--base-url` the
served simulator); its case count comes from benchmarks/accord_probe.py. schemathesis' from its
JSON report (test_cases.generated). Rates are given over each tool's own run clock (accord:
<vendor>.json run.duration_s, which also includes collection and clean-up; schemathesis: running_time)
and over the whole process wall time.

    python benchmarks/throughput.py --vendor NAME [--runs 5] [--examples 50] [--write]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path

from common import (
    HERE,
    ROOT,
    BenchVendor,
    Server,
    bench_env,
    heading,
    measure,
    median,
    probe_env,
    quiet_note,
    serve,
    spread,
    stamp,
    table,
    vendor_option,
    write_section,
)

# accord's kind of generated case -> the schemathesis phase that generates the same kind
PHASES = {"coverage": "fuzz boundary", "fuzzing": "fuzz random"}
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
SUITE_FILES = ("test_properties.py", "test_fuzz.py")  # a vendor's property and fuzz checks, by convention


def suites(vendor: BenchVendor) -> list[str]:
    paths = [vendor.suites / name for name in SUITE_FILES]
    missing = [str(path.relative_to(ROOT)) for path in paths if not path.is_file()]
    if missing:
        raise SystemExit(f"{vendor.name}: no {', '.join(missing)}: the property and fuzz checks are measured there")
    return [str(path.relative_to(ROOT)) for path in paths]


def schemathesis_bin() -> str:
    script = Path(sys.executable).parent / "schemathesis"
    return str(script) if script.is_file() else "schemathesis"


def run_accord(vendor: BenchVendor, base_url: str, tmp: Path, seed: int, profile: str,
               server_pid: int | None = None, all_boundaries: bool = False) -> dict:
    """``all_boundaries``: every distinct boundary case (accord_probe's ACCORD_PROBE_ALL_BOUNDARIES)."""
    report_dir, probe = tmp / "accord", tmp / "probe.json"
    env = probe_env(probe, vendor, {**vendor.credentials_env(), "ACCORD_PROBE_NO_SHRINK": "1",
                                    **({"ACCORD_PROBE_ALL_BOUNDARIES": "1"} if all_boundaries else {})})
    argv = [sys.executable, "-m", "pytest", *suites(vendor), "--profile", profile, "--seed", str(seed),
            "--report-dir", str(report_dir), "-p", "no:cacheprovider", "-p", "no:benchmark", "-q", "--no-header",
            "--tb=line"]  # the plugins `accord run` also switches off
    if base_url:
        argv += ["--base-url", base_url]
    argv += ACCORD_ARGS
    result = measure(argv, env=env, timeout=900, quiet=True, ours=[server_pid] if server_pid else [])
    if result.code not in (0, 1):  # 1: some check failed, which is data here, not a reason to stop
        raise SystemExit(f"accord ({profile}) could not run ({result.code}):\n{result.stdout[-3000:]}"
                         f"\n{result.stderr[-3000:]}")
    data = json.loads(probe.read_text())
    run = vendor.results(report_dir)["run"]
    failed = sorted({t.split("::")[-1] for t in data["failed_tests"]})
    return {"cases": sum(data["cases"].values()), "kinds": data["kinds"], "operations": data["fuzzed_operations"],
            "requests": run["requests"], "clock": run["duration_s"],
            "wall": result.wall_s, "rss": result.peak_rss_mb, "cpu": result.cpu_s, "failures": failed,
            "attempts": result.attempts}


def header_options(vendor: BenchVendor, base_url: str, version: str | None = None) -> list[str]:
    """``-H "Name: value"`` for each header the vendor's auth sends with the test credentials of
    ``version``'s simulator (a vendor that logs in first: the session cookie of a login at ``base_url``)."""
    headers = vendor.auth_headers(base_url, version)
    SENT_HEADERS.update(dict.fromkeys(headers))
    return [option for name, value in headers.items() for option in ("-H", f"{name}: {value}")]


SENT_HEADERS: dict[str, None] = {}  # the names header_options gave schemathesis, for the section's text


def run_schemathesis(vendor: BenchVendor, base_url: str, tmp: Path, seed: int, examples: int,
                     server_pid: int, phases: str = "coverage,fuzzing", operations: list[str] = ()) -> dict:
    """``operations``: only these (``METHOD /path``), the ones accord's fuzz ran on; all when empty."""
    report_dir = tmp / f"schemathesis-{phases}"
    argv = [schemathesis_bin(), "run", str(vendor.openapi), "--url", base_url, *header_options(vendor, base_url),
            "--generation-with-security-parameters", "false", "--checks", CHECKS, "--continue-on-failure",
            "--phases", phases, "--max-examples", str(examples), "--seed", str(seed), "--workers", "1",
            "--no-shrink",
            "--generation-database", "none", "--report", "json", "--report-dir", str(report_dir), "--no-color",
            *[part for label in operations for part in ("--include-name", label)]]
    result = measure(argv, env=bench_env(), timeout=900, quiet=True, ours=[server_pid])
    reports = sorted(report_dir.glob("*.json"))
    if not reports:
        raise SystemExit(f"schemathesis wrote no report ({result.code}):\n{result.stdout[-3000:]}")
    report = json.loads(reports[-1].read_text())
    missing_auth = report["warnings"].get("missing_auth")
    if missing_auth:
        raise SystemExit(f"schemathesis ran without working auth on {missing_auth}")
    failures = {f["title"]: f["count"] for f in report["failures"]}
    return {"cases": report["test_cases"]["generated"], "clock": report["running_time"], "wall": result.wall_s,
            "rss": result.peak_rss_mb, "cpu": result.cpu_s, "failures": failures, "attempts": result.attempts}


SIMULATOR_OPTIONS: list[str] = []  # --simulator-option: KEY=JSON keyword arguments of the vendor's simulator
ACCORD_ARGS: list[str] = []  # --rate-limit N: accord keeps under N a minute instead of the documented limit


def simulator(vendor: BenchVendor, log: Path) -> contextlib.AbstractContextManager[Server]:
    options = [part for option in SIMULATOR_OPTIONS for part in ("--option", option)]
    return serve([sys.executable, str(HERE / "simserver.py"), "--vendor", vendor.name, "--route-all-methods",
                  "--log", str(log), *options])


def served(log: Path, sample: dict) -> int | None:
    """Requests the simulator served, when it served just this one run (not repeats after other load)."""
    return len(json.loads(log.read_text())["requests"]) if sample["attempts"] == 1 else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--runs", type=int, default=5, help="rounds (each: accord, then schemathesis)")
    parser.add_argument("--examples", type=int, default=50,
                        help="schemathesis --max-examples; keep it equal to the accord profile's fuzz_examples")
    parser.add_argument("--profile", default="full", help="accord profile (full: 50 random cases per operation and mode)")
    parser.add_argument("--builtin", action="store_true",
                        help="also time accord against its built-in simulator (a thread in the same process)")
    parser.add_argument("--simulator-option", action="append", default=[], metavar="KEY=JSON",
                        help="a keyword argument of the vendor's simulator for both tools, e.g. "
                             "'rate_limits=[1000000, 100000000]' to measure past a documented rate limit")
    parser.add_argument("--rate-limit", type=int, metavar="N",
                        help="accord's --rate-limit (its pacing under a documented limit would time the limit, not accord)")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)
    SIMULATOR_OPTIONS[:] = args.simulator_option
    ACCORD_ARGS[:] = ["--rate-limit", str(args.rate_limit)] if args.rate_limit else []
    from accord.profiles import PROFILES

    if PROFILES[args.profile].fuzz_examples != args.examples:
        print(f"note: accord {args.profile} draws {PROFILES[args.profile].fuzz_examples} random cases per operation "
              f"and mode, schemathesis --max-examples {args.examples}")

    heading(f"throughput on {vendor.title}: accord ({args.profile}) vs schemathesis (--max-examples {args.examples})")
    samples: dict[str, list[dict]] = {"accord": [], "schemathesis": []}
    phase_samples: dict[str, list[dict]] = {phase: [] for phase in PHASES}
    every_boundary: list[dict] = []  # accord taking every distinct boundary case, as schemathesis does
    if args.builtin:
        samples["accord, built-in simulator"] = []
    for round_ in range(args.runs):
        seed = round_
        with tempfile.TemporaryDirectory(prefix="accord-throughput-") as tmp_name:
            tmp = Path(tmp_name)
            with simulator(vendor, tmp / "accord-server.json") as server:
                samples["accord"].append(run_accord(vendor, server.base_url, tmp, seed, args.profile, server.process.pid))
            samples["accord"][-1]["served"] = served(tmp / "accord-server.json", samples["accord"][-1])
            with simulator(vendor, tmp / "st-server.json") as server:
                samples["schemathesis"].append(run_schemathesis(vendor, server.base_url, tmp, seed, args.examples,
                                                                server.process.pid))
            samples["schemathesis"][-1]["served"] = served(tmp / "st-server.json", samples["schemathesis"][-1])
            for phase in PHASES:  # each phase alone: its own cases over its own running time
                with simulator(vendor, tmp / f"st-{phase}.json") as server:
                    phase_samples[phase].append(run_schemathesis(vendor, server.base_url, tmp, seed, args.examples,
                                                                 server.process.pid, phases=phase,
                                                                 operations=samples["accord"][-1]["operations"]))
            (tmp / "all").mkdir()
            with simulator(vendor, tmp / "accord-all-boundaries.json") as server:
                every_boundary.append(run_accord(vendor, server.base_url, tmp / "all", seed, args.profile,
                                                 server.process.pid, all_boundaries=True))
            if args.builtin:
                samples["accord, built-in simulator"].append(run_accord(vendor, "", tmp / "b", seed, args.profile))
        for name, runs in samples.items():
            s = runs[-1]
            print(f"  round {round_ + 1}/{args.runs} {name:<28} {s['cases']} cases, {s.get('served', '?')} requests, "
                  f"clock {s['clock']:.2f}s "
                  f"({s['cases'] / s['clock']:.0f}/s), wall {s['wall']:.2f}s ({s['cases'] / s['wall']:.0f}/s), "
                  f"rss {s['rss']:.0f} MB" + (f", failures {s['failures']}" if s.get("failures") else ""), flush=True)

    def rates(runs: list[dict], clock: str) -> list[float]:
        return [s["cases"] / s[clock] for s in runs]

    rows = []
    for name, runs in samples.items():
        served_ = [s["served"] for s in runs if s.get("served") is not None]
        rows.append([name, int(median([s["cases"] for s in runs])),
                     f"{median(served_):.0f}" if served_ else "-", f"{median([s['clock'] for s in runs]):.2f}",
                     f"{median(rates(runs, 'clock')):.0f}", spread(rates(runs, "clock")),
                     f"{median([s['wall'] for s in runs]):.2f}", f"{median(rates(runs, 'wall')):.0f}",
                     f"{median(rates(runs, 'cpu')):.0f}", f"{median([s['rss'] for s in runs]):.0f}"])
    text = table(["tool", "cases", "requests served", "run clock s", "cases/s (clock)", "min-max", "wall s", "cases/s (wall)",
                  "cases per client CPU-s", "peak RSS MB"], rows)
    accord_runs, st_runs = samples["accord"], samples["schemathesis"]
    ratio_clock = median(rates(accord_runs, "clock")) / median(rates(st_runs, "clock"))
    ratio_wall = median(rates(accord_runs, "wall")) / median(rates(st_runs, "wall"))
    paired = median([a["cases"] / a["clock"] / (s["cases"] / s["clock"]) for a, s in zip(accord_runs, st_runs, strict=True)])
    verdict = (f"accord / schemathesis, cases per second: **{ratio_clock:.2f}x** over each tool's run clock "
               f"(median of per-round ratios {paired:.2f}x), **{ratio_wall:.2f}x** over process wall time. "
               f"Goal >= 1.0x: {'met' if min(ratio_clock, ratio_wall) >= 1 else 'MISSED'}"
               f"{'' if min(ratio_clock, ratio_wall) >= 1 or max(ratio_clock, ratio_wall) < 1 else ' on one measure'}.")
    st_failures = sorted({k for s in st_runs for k in s["failures"]})
    accord_failures = sorted({k for s in accord_runs for k in s["failures"]})
    fuzzed = accord_runs[-1]["operations"]
    kind_rows = []
    for phase, kind in PHASES.items():
        ours = [s["kinds"][kind] for s in accord_runs]
        theirs = phase_samples[phase]
        our_rate = median([k["cases"] / k["seconds"] for k in ours if k["seconds"]])
        their_rate = median(rates(theirs, "clock"))
        kind_rows.append([f"{kind} / schemathesis `--phases {phase}`", int(median([k["cases"] for k in ours])),
                          f"{median([k['seconds'] for k in ours]):.2f}", f"{our_rate:.0f}",
                          int(median([s["cases"] for s in theirs])), f"{median([s['clock'] for s in theirs]):.2f}",
                          f"{their_rate:.0f}", f"**{our_rate / their_rate:.2f}x**"])
    ours = [s["kinds"]["fuzz boundary"] for s in every_boundary]
    theirs = phase_samples["coverage"]
    our_rate = median([k["cases"] / k["seconds"] for k in ours if k["seconds"]])
    their_rate = median(rates(theirs, "clock"))
    kind_rows.insert(1, ["fuzz boundary, every distinct case (as schemathesis takes them) / `--phases coverage`",
                         int(median([k["cases"] for k in ours])), f"{median([k['seconds'] for k in ours]):.2f}",
                         f"{our_rate:.0f}", int(median([s["cases"] for s in theirs])),
                         f"{median([s['clock'] for s in theirs]):.2f}", f"{their_rate:.0f}",
                         f"**{our_rate / their_rate:.2f}x**"])
    properties = [s["kinds"]["property"] for s in accord_runs]
    kind_rows.append(["property tests (accord only: a create, read-back and clean-up per case)",
                      int(median([k["cases"] for k in properties])), f"{median([k['seconds'] for k in properties]):.2f}",
                      f"{median([k['cases'] / k['seconds'] for k in properties if k['seconds']]):.0f}", "-", "-", "-", "-"])
    by_kind = table(["kind of case", "accord cases", "accord s", "accord cases/s", "schemathesis cases",
                     "schemathesis s", "schemathesis cases/s", "accord / schemathesis"], kind_rows)
    print(text)
    print(verdict)
    print(by_kind)
    print(quiet_note())
    accord_options = "".join(f" {a}" for a in ACCORD_ARGS)
    server_options = "".join(f" --option '{o}'" for o in SIMULATOR_OPTIONS)
    script_options = "".join(f" --simulator-option '{o}'" for o in SIMULATOR_OPTIONS) + "".join(
        f" {a}" for a in ACCORD_ARGS)
    if args.write:
        write_section(vendor, "throughput", f"""
## {vendor.title} · 2. Throughput: accord's property + fuzz checks vs `schemathesis run`

{stamp()}

{args.runs} rounds, each: fresh `benchmarks/simserver.py --route-all-methods{server_options}` -> accord
(`pytest {' '.join(suites(vendor))} --profile {args.profile} --base-url ...{accord_options}`), then a fresh one ->
`schemathesis run contracts/{vendor.name}/openapi.yaml --phases coverage,fuzzing --max-examples {args.examples}
--checks {CHECKS} --continue-on-failure --no-shrink --workers 1
--generation-with-security-parameters false -H {' -H '.join(f'{h}...' for h in SENT_HEADERS)}`; seed = round number.
Medians. {quiet_note()}
`python benchmarks/throughput.py --vendor {vendor.name} --runs {args.runs}{script_options} --write`

{text}

{verdict}

The same, by kind of case and on the same operations: accord's fuzz boundary cases are schemathesis'
coverage-phase cases, its random fuzz cases schemathesis' fuzzing phase. Each schemathesis phase ran
alone, on a fresh simulator, on the operations accord's fuzz covers ({', '.join(f'`{o}`' for o in fuzzed)};
`--include-name` each), its cases over its own running time; accord's seconds per kind come from
benchmarks/accord_probe.py. The
overall ratio above weighs the kinds by how many of each a tool generates, and schemathesis' coverage
phase is not bounded by `--max-examples`. The second row is a separate accord run of each round in which
the full profile takes every distinct boundary case (accord_probe's ACCORD_PROBE_ALL_BOUNDARIES),
so that both tools pay the coverage generator's one-time warm-up over the same cases. accord skips
requests it already sent (after pointing path ids at its own records) and schemathesis' probes with
other methods, so its count is lower:

{by_kind}

Against the faithful simulator, accord's tests that failed: {', '.join(accord_failures) or 'none'};
schemathesis' failures with these checks: {', '.join(st_failures) or 'none'}. Shrinking was off for
both (accord_probe's ACCORD_PROBE_NO_SHRINK, schemathesis `--no-shrink`): minimising a failure is
not generating cases, and a failing property test stops early, so its case count is what ran.
""")


if __name__ == "__main__":
    main()
