"""Issue 5, item 2 (second half): a vendor simulator's raw capacity, and how much of it the suite uses.

The simulator runs as `accord serve <vendor> --seed-records 10` in its own process on 127.0.0.1,
exactly as users and the throughput benchmark run it. Measured against it, for each GET among the
simulator's ``sample_requests``:

- loop:  a tight `requests.Session` loop in this process (one connection, keep-alive), with the
         headers the vendor's auth sends with the test credentials; bounded by --requests and --seconds;
- wrk:   Debian's wrk (`apt-get install wrk`), one thread, 4 connections, --seconds long;
- handle: Simulator.handle called directly in this process (no HTTP): the ceiling of
          --transport inprocess.

Then the suite: `accord run <vendor>` (quick, built-in simulator over HTTP), its requests divided by
its pytest session time, against the loop capacity of the same simulator.

    python benchmarks/capacity.py --vendor NAME [--runs 5] [--seconds 5] [--write]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from common import (
    HERE,
    OTHER_LOAD,
    BenchVendor,
    OtherLoad,
    accord_cli,
    accord_serve,
    bench_env,
    heading,
    measure,
    median,
    quiet_note,
    serve,
    stamp,
    table,
    vendor_option,
    wait_until_quiet,
    write_section,
)

SEEDED = 10


def sample_paths(vendor: BenchVendor) -> dict[str, str]:
    """The GET sample requests (path with query), by label: what a loop or wrk can repeat."""
    return {f"{label} ({SEEDED} seeded)": path + (f"?{query}" if query else "")
            for label, (method, path, query, body) in vendor.sample_requests().items() if method == "GET" and not body}


def loop_rate(vendor: BenchVendor, base_url: str, path: str, max_requests: int, seconds: float) -> float:
    with requests.Session() as session:
        session.headers.update(vendor.auth_headers(base_url))
        session.get(base_url + path, timeout=5).raise_for_status()
        sent, started = 0, time.perf_counter()
        while sent < max_requests and time.perf_counter() - started < seconds:
            session.get(base_url + path, timeout=5).raise_for_status()
            sent += 1
        return sent / (time.perf_counter() - started)


def wrk_rate(vendor: BenchVendor, wrk: str, base_url: str, path: str, seconds: float) -> float:
    command = [wrk, "-t1", "-c4", f"-d{max(1, round(seconds))}s", "--timeout", "5s"]
    for name, value in vendor.auth_headers(base_url).items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, base_url + path], capture_output=True, text=True, timeout=seconds + 30).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if not found or non_2xx:
        raise SystemExit(f"wrk gave no clean result:\n{output}")
    return float(found.group(1))


def handle_rate(vendor: BenchVendor, path_and_query: str, max_requests: int, seconds: float,
                options: dict | None = None) -> float:
    from accord.simulate import Request

    simulator = vendor.simulator(seed_records=SEEDED, **(options or {}))
    path, _, query = path_and_query.partition("?")
    headers = vendor.simulator_headers(simulator)
    sent, started = 0, time.perf_counter()
    while sent < max_requests and time.perf_counter() - started < seconds:
        # sample paths are relative to the vendor's base URL; handle() takes the server's own path
        response = simulator.handle(Request.build("GET", simulator.base_path + path, query, headers, b""))
        assert response.status == 200, response.status
        sent += 1
    return sent / (time.perf_counter() - started)


def suite_rate(vendor: BenchVendor, tmp: Path, index: int) -> tuple[float, int, float]:
    report_dir = tmp / f"suite{index}"
    result = measure(accord_cli("run", vendor.name, "--report-dir", str(report_dir)), env=bench_env(), timeout=300, quiet=True)
    if result.code != 0:
        raise SystemExit(f"accord run failed: {result.stdout[-1500:]}")
    run = vendor.results(report_dir)["run"]
    return run["requests"] / run["duration_s"], run["requests"], run["duration_s"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    vendor_option(parser)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=5.0, help="length of each loop and wrk measurement")
    parser.add_argument("--requests", type=int, default=20_000, help="upper bound on requests per loop measurement")
    parser.add_argument("--simulator-option", action="append", default=[], metavar="KEY=JSON",
                        help="a keyword argument of the vendor's simulator, e.g. 'rate_limits=[1000000, 100000000]' "
                             "to measure the simulator itself rather than its documented rate limit")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = BenchVendor(args.vendor)
    paths = sample_paths(vendor)
    options = {key: json.loads(value) for key, _, value in (o.partition("=") for o in args.simulator_option)}
    wrk = shutil.which("wrk")

    heading(f"{vendor.title} simulator capacity")
    rates: dict[str, list[float]] = {}
    tmp_log = Path(tempfile.mkdtemp(prefix="accord-capacity-log-")) / "served.json"
    served = (serve([sys.executable, str(HERE / "simserver.py"), "--vendor", vendor.name, "--seed-records", str(SEEDED),
                     "--log", str(tmp_log), *[part for o in args.simulator_option for part in ("--option", o)]])
              if options else accord_serve(vendor, "--seed-records", str(SEEDED)))
    with served as server:
        print(f"  {'simserver.py' if options else 'accord serve'} {vendor.name} at {server.base_url}")
        for round_ in range(args.runs):
            for _ in range(3):  # a round during which other processes were busy is repeated (up to 3 times)
                wait_until_quiet()
                measured: dict[str, float] = {}
                with OtherLoad([server.process.pid]) as load:
                    for label, path in paths.items():
                        measured[f"loop: {label}"] = loop_rate(vendor, server.base_url, path, args.requests,
                                                               args.seconds)
                        if wrk:
                            measured[f"wrk -t1 -c4: {label}"] = wrk_rate(vendor, wrk, server.base_url, path,
                                                                         args.seconds)
                if load.cores <= 0.15:
                    break
                print(f"    (other processes kept {load.cores:.2f} cores busy: repeating the round)", flush=True)
            OTHER_LOAD.append(load.cores)
            for key, value in measured.items():
                rates.setdefault(key, []).append(value)
            print(f"  round {round_ + 1}/{args.runs}: " + ", ".join(f"{k} {v:.0f}/s" for k, v in measured.items()),
                  flush=True)
    for label, path in paths.items():
        wait_until_quiet()
        rates[f"in process, Simulator.handle: {label}"] = [handle_rate(vendor, path, args.requests, args.seconds, options)
                                                           for _ in range(args.runs)]
    suite: list[tuple[float, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="accord-capacity-") as tmp:
        for index in range(args.runs):
            suite.append(suite_rate(vendor, Path(tmp), index))
            print(f"  suite run {index + 1}/{args.runs}: {suite[-1][0]:.0f} requests/s", flush=True)

    rows = [[label, f"{median(values):.0f}", f"{min(values):.0f}-{max(values):.0f}"] for label, values in rates.items()]
    suite_rps = median([s[0] for s in suite])
    rows.append([f"`accord run {vendor.name}` quick: requests / pytest session time", f"{suite_rps:.0f}",
                 f"{min(s[0] for s in suite):.0f}-{max(s[0] for s in suite):.0f}"])
    text = table(["what", "requests/s (median)", "min-max"], rows)
    loop_list = max(median(rates[f"loop: {label}"]) for label in paths)  # its cheapest request
    share = (f"The quick suite sends {suite_rps:.0f} requests/s on average over its session "
             f"({median([s[1] for s in suite]):.0f} requests in {median([s[2] for s in suite]):.2f} s), "
             f"{100 * suite_rps / loop_list:.0f}% of what a one-connection client loop gets from the same simulator "
             f"({loop_list:.0f}/s): the suite is bound by its own client-side work, not by the server.")
    print(text)
    print(share)
    print(quiet_note())
    if not wrk:
        print("wrk not found (apt-get install -y wrk): its rows are missing")
    option_text = (", served by benchmarks/simserver.py with " + ", ".join(f"`{o}`" for o in args.simulator_option)
                   if options else "")
    script_options = "".join(f" --simulator-option '{o}'" for o in args.simulator_option)
    if args.write:
        write_section(vendor, "capacity", f"""
### {vendor.title} · simulator capacity and how close the suite gets to it

{stamp()}

Median of {args.runs} measurements of {args.seconds:.0f} s each (loop bounded by {args.requests} requests too),
against `accord serve {vendor.name} --seed-records {SEEDED}` (a separate process{option_text}); the `accord run`
rows use its built-in simulator over loopback HTTP. {quiet_note()}
`python benchmarks/capacity.py --vendor {vendor.name} --runs {args.runs}{script_options} --write`

{text}

{share}
""")


if __name__ == "__main__":
    main()
