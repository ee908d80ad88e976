"""A vendor's simulator on 127.0.0.1, as `accord serve <vendor>` runs it, plus a request log.

Used where the benchmark must count requests on the server side (schemathesis' requests to the
first failing check): the same ``SimulatorServer(<vendor simulator>(...))`` that `accord serve`
starts, with ``handle`` wrapped to log, per request in arrival order, its method, path,
schemathesis' X-Schemathesis-TestCaseId header and arrival time. On SIGINT or SIGTERM it writes the log (JSON) to
--log and exits.

    python benchmarks/simserver.py --vendor NAME [--fault NAME ...] [--seed-records N] [--option KEY=JSON ...] --log FILE

--option passes a keyword argument to the vendor's simulator (its value as JSON), e.g. a vendor whose
simulator enforces a documented rate limit: `--option 'rate_limits=[1000000, 100000000]'`.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from pathlib import Path

from accord.simulate.server import SimulatorServer
from accord.vendors import get_vendor


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendor", required=True)
    parser.add_argument("--fault", action="append", default=[])
    parser.add_argument("--seed-records", type=int, default=0)
    parser.add_argument("--log", required=True, type=Path)
    parser.add_argument("--route-all-methods", action="store_true")
    parser.add_argument("--version", help="the vendor version the simulator imitates (where it knows several)")
    parser.add_argument("--option", action="append", default=[], metavar="KEY=JSON",
                        help="a keyword argument of the vendor's simulator, its value as JSON")
    args = parser.parse_args()
    options = {}
    for option in args.option:
        key, _, value = option.partition("=")
        options[key] = json.loads(value)

    vendor = get_vendor(args.vendor)
    if args.version:
        options["version"] = args.version
    simulator = vendor.simulator(faults=tuple(args.fault), seed_records=args.seed_records, **options)
    log: list[tuple[str, str, str | None, float]] = []
    lock = threading.Lock()
    handle = simulator.handle

    def logged(request):
        with lock:
            log.append((request.method, request.path, request.headers.get("X-Schemathesis-TestCaseId"), time.time()))
        return handle(request)

    simulator.handle = logged
    server = SimulatorServer(simulator)
    if args.route_all_methods:
        handler = server._server.RequestHandlerClass

        class AllMethods(handler):
            def __getattr__(self, name: str):  # do_TRACE, do_QUERY, ...: only called for missing names
                if name.startswith("do_"):
                    return self._serve
                raise AttributeError(name)

        server._server.RequestHandlerClass = AllMethods
    server.start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"{vendor.title} simulator at {server.base_url}", flush=True)
    stop.wait(3600)  # bounded: never outlives a forgotten benchmark by more than an hour
    server.stop()
    with lock:
        args.log.write_text(json.dumps({"faults": args.fault, "requests": log}))


if __name__ == "__main__":
    main()
