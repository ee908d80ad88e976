"""`accord run --workers N` spreads checks over processes with the same verdicts as a serial run,
and the in-process transport gives every vendor the verdicts and requests of HTTP."""

from __future__ import annotations

import pytest

from accord.vendors import all_vendors


def test_workers_give_the_same_verdicts_and_one_merged_report(accord, tmp_path):
    serial = accord("run", "kimai", "--fault", "patch-replaces")
    parallel = accord("run", "kimai", "--fault", "patch-replaces", "--workers", "2")
    assert parallel.code == serial.code == 1
    assert parallel.verdicts("kimai") == serial.verdicts("kimai")
    results = parallel.results("kimai")
    assert results["run"]["workers"] == 2
    cleanup = results["cleanup"]
    assert cleanup["created"] == cleanup["removed"] > 0 and cleanup["failed"] == []
    assert results["run"]["requests"] > 100, "the workers' requests were not counted"


def test_in_process_transport_gives_the_same_verdicts_as_http(accord):
    faults = ["--fault", "visible-filter-ignored", "--fault", "rate-fixed-as-string", "--fault", "errors-as-html"]
    over_http = accord("run", "kimai", *faults, "--transport", "http")
    in_process = accord("run", "kimai", *faults, "--transport", "inprocess")
    assert over_http.code == in_process.code == 1
    assert in_process.verdicts("kimai") == over_http.verdicts("kimai")
    assert in_process.results("kimai")["run"]["requests"] == over_http.results("kimai")["run"]["requests"]


@pytest.mark.parametrize("vendor", sorted(all_vendors()))
def test_every_vendor_has_the_same_verdicts_in_process_as_over_http(accord, vendor):
    over_http = accord("run", vendor, "--transport", "http")
    in_process = accord("run", vendor, "--transport", "inprocess")
    assert over_http.code == 0, over_http.stdout[-2000:]
    assert in_process.code == 0, in_process.stdout[-2000:]
    assert in_process.verdicts(vendor) == over_http.verdicts(vendor)
    assert in_process.results(vendor)["run"]["requests"] == over_http.results(vendor)["run"]["requests"]
