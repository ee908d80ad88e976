"""The CLI as users meet it: exit codes, one-line errors, serve + run against it over HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from .conftest import ROOT

TOKEN = "accord-kimai-test-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def one_line_error(outcome) -> str:
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in outcome.stderr, outcome.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "env", "names"), [
    (("run", "nosuchvendor"), {}, "unknown vendor"),
    (("run", "kimai", "--base-url", "http://127.0.0.1:9"), {}, "ACCORD_KIMAI_TOKEN"),
    (("run", "kimai", "--base-url", "http://127.0.0.1:9"), {"ACCORD_KIMAI_TOKEN": " "}, "ACCORD_KIMAI_TOKEN is empty"),
    (("run", "kimai", "--base-url", "kimai.example.com"), {"ACCORD_KIMAI_TOKEN": "x"}, "not an http(s) URL"),
    (("run", "kimai", "--fault", "no-such-fault"), {}, "unknown fault"),
    (("run", "kimai", "kimai", "--base-url", "http://127.0.0.1:9"), {"ACCORD_KIMAI_TOKEN": "x"}, "named twice"),
    (("run", "kimai", "--expectations", "/nonexistent.yml"), {}, "cannot read"),
    (("run", "cyclesoftware", "--rate-limit", "0"), {}, "--rate-limit must be a positive"),
])
def test_configuration_errors_exit_2_with_one_line(accord, args, env, names):
    outcome = accord(*args, env=env)
    assert outcome.code == 2
    assert names in one_line_error(outcome)


def test_unreachable_target_exits_3_naming_the_url(accord):
    url = f"http://127.0.0.1:{free_port()}"
    outcome = accord("run", "kimai", "--base-url", url, env={"ACCORD_KIMAI_TOKEN": "x"})
    assert outcome.code == 3
    assert url in one_line_error(outcome)
    assert not (outcome.report_dir / "kimai.json").exists()


@pytest.fixture
def served():
    """``accord serve kimai`` in its own process; yields (base URL, its printed environment)."""
    processes = []

    def start(*extra: str):
        process = subprocess.Popen([sys.executable, "-m", "accord.cli", "serve", "kimai", "--port", "0", *extra],
                                   cwd=ROOT, stdout=subprocess.PIPE, text=True)
        processes.append(process)
        lines = []
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if "Ctrl-C" in line or not line:
                break
        env = dict(re.findall(r"export (ACCORD_\w+)=(\S+)", "".join(lines)))
        assert "ACCORD_KIMAI_BASE_URL" in env, "".join(lines)
        return env["ACCORD_KIMAI_BASE_URL"], env

    yield start
    for process in processes:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)


def test_serve_prints_url_and_credentials_and_run_passes_against_it(accord, served):
    url, env = served()
    assert url.startswith("http://127.0.0.1:") and env["ACCORD_KIMAI_TOKEN"] == TOKEN
    outcome = accord("run", "kimai", "--base-url", url, env=env)
    assert outcome.code == 0, outcome.stdout + outcome.stderr
    results = outcome.results("kimai")
    assert results["run"]["target"] == {"kind": "live", "base_url": url, "faults": [], "version": "2.66.0",
                                        "version_source": "target"}  # asked of the target: GET /api/version
    for name in ("kimai.html", "kimai.json", "kimai.junit.xml", "index.html"):
        assert (outcome.report_dir / name).is_file()


def test_run_against_a_faulty_server_exits_1(accord, served):
    url, env = served("--fault", "patch-replaces")
    outcome = accord("run", "kimai", env=env)  # ACCORD_KIMAI_BASE_URL from the environment
    assert outcome.code == 1
    assert "kimai.customers.update.partial-merge" in outcome.failed("kimai")
    assert "kimai.customers.update.partial-merge" in outcome.stdout


def test_plain_pytest_against_a_base_url(served, tmp_path):
    url, env = served()
    full_env = {**{k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}, **env}
    done = subprocess.run([sys.executable, "-m", "pytest", "suites/kimai", "-q", "--base-url", url, "--report-dir",
                           str(tmp_path)], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "kimai.json").is_file()


def test_faults_and_clauses_listings(accord):
    faults = accord("faults", "kimai")
    assert faults.code == 0 and "patch-replaces" in faults.stdout and "kimai.customers.update.partial-merge" in faults.stdout
    clauses = accord("clauses", "kimai")
    assert clauses.code == 0 and "[#api_customers_post]" in clauses.stdout
    assert clauses.stdout.count("kimai.") >= 25


def test_a_run_leaves_nothing_in_the_working_directory_but_reports(tmp_path):
    """hypothesis' cache goes to accord's cache folder (ACCORD_CACHE_DIR), not the user's folder."""
    import os
    import subprocess
    import sys

    cache = tmp_path / "cache"
    work = tmp_path / "work"
    work.mkdir()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ACCORD_")}, "ACCORD_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    clause = "acme.contacts.create.valid-forms-accepted"
    done = subprocess.run([sys.executable, "-m", "accord.cli", "run", "acme", "--clause", clause],
                          cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in work.iterdir()) == ["reports"]
    assert (cache / "hypothesis").is_dir()


def test_rate_limit_replaces_the_documented_limit_and_defaults_to_it():
    """A sandbox with a larger quota than documented can say so; without --rate-limit the run keeps
    under the vendor's documented limit (and a vendor without one is not paced)."""
    from accord.targets import resolve_target
    from accord.vendors import get_vendor

    vendor = get_vendor("cyclesoftware")
    documented = vendor.rate_limit.per_minute
    assert resolve_target(vendor).session().limiter.limit.per_minute == documented
    assert resolve_target(vendor, rate_limit=documented * 10).session().limiter.limit.per_minute == documented * 10
    assert resolve_target(get_vendor("kimai"), rate_limit=50).session().limiter.limit.per_minute == 50
