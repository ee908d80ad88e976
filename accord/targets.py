"""Where a run points: a vendor's built-in simulator, or a live base URL with credentials.

All configuration problems surface here, before any test runs, as one line that names the fix.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from accord.errors import ConfigError, RunSafetyError, TargetError, TargetUnreachable
from accord.http import RateLimit, Session
from accord.options import TRANSPORTS
from accord.simulate.faults import UnknownFault
from accord.simulate.server import InProcessAdapter, SimulatorServer
from accord.vendor import Vendor
from accord.wire import MAX_DECODED_BYTES, MAX_RESPONSE_BYTES, DeadlineExceeded, probe


@dataclass
class Target:
    vendor: Vendor
    kind: str  # "simulator" | "live"
    base_url: str
    credentials: dict[str, str]
    settings: dict[str, str]
    faults: tuple[str, ...] = ()
    transport: str = "http"
    simulator: Any = None
    server: SimulatorServer | None = None
    timeout: float = 10.0
    version: str | None = None  # the vendor version the target is checked as
    version_source: str = "unknown"  # where that came from: option, environment, target, default
    max_response_bytes: int = MAX_RESPONSE_BYTES
    max_decoded_bytes: int = MAX_DECODED_BYTES
    rate_limit: RateLimit | None = None  # --rate-limit: a quota the user has, beyond the documented one
    write_guard: Any = None  # set by the run from the vendor client: which writes are the run's own
    observers: list[Any] = field(default_factory=list)
    _sessions: list[Session] = field(default_factory=list)

    def start(self) -> Target:
        """Starts the built-in simulator's loopback server when the transport is HTTP."""
        if self.kind == "simulator" and self.transport == "http" and self.server is None:
            self.server = SimulatorServer(self.simulator).start()
            self.base_url = self.server.base_url
        return self

    def session(self, credentials: Mapping[str, str] | None = None) -> Session:
        """A new session; ``credentials`` overrides the target's (for auth checks with wrong ones)."""
        creds = dict(self.credentials if credentials is None else credentials)
        session = Session(self.base_url, self.vendor.auth(creds), timeout=self.timeout,
                          rate_limit=self.rate_limit or self.vendor.rate_limit, max_response_bytes=self.max_response_bytes,
                          max_decoded_bytes=self.max_decoded_bytes)
        session.redactor.add(*(v for k, v in self.credentials.items() if self._is_secret(k)))
        session.write_guard = self.write_guard or _refuse_until_guarded
        session.observers = self.observers
        if self.kind == "simulator":
            session.trust_env = False  # the built-in simulator is on loopback: never through a proxy
            session.proxies.clear()
        if self.kind == "simulator" and self.transport == "inprocess":
            origin = urlsplit(self.base_url)
            session.mount(f"{origin.scheme}://{origin.netloc}", InProcessAdapter(self.simulator))
        self._sessions.append(session)
        return session

    def _is_secret(self, field_name: str) -> bool:
        return any(c.field == field_name and c.secret for c in self.vendor.credentials)

    @property
    def request_count(self) -> int:
        return sum(s.request_count for s in self._sessions)

    def stop(self) -> None:
        for session in self._sessions:
            session.close()
        if self.server is not None:
            self.server.stop()
            self.server = None

    def describe(self) -> dict[str, Any]:
        return {"kind": self.kind, "base_url": self.base_url, "faults": list(self.faults),
                "version": self.version, "version_source": self.version_source}

    def learn_version(self, session: Session) -> None:
        """Asks a live target for its version where the vendor can tell and the user did not say."""
        if self.version_source not in ("default", "unknown") or self.vendor.version_probe is None or self.kind != "live":
            return
        try:
            found = self.vendor.version_probe(session)
        except (requests.RequestException, TargetError, ValueError, KeyError, TypeError):  # not told: the default
            found = None
        if found:
            self.version, self.version_source = str(found), "target"


def _refuse_until_guarded(method: str, path: str, body: Any = None) -> None:
    raise RunSafetyError(f"refused {method} {path}: no vendor client has declared which records are the run's own")


def check_base_url(url: str, where: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: {url!r} is not an http(s) URL; give the full base URL, e.g. https://host/")
    return url.rstrip("/")


def _version(vendor: Vendor, option: str | None, env: Mapping[str, str]) -> tuple[str | None, str]:
    """The version to check the target as: the environment variable wins, then the option, then
    (for a live target, asked later) the target itself, then the vendor's default."""
    from packaging.version import InvalidVersion, Version

    name = vendor.env_name("VERSION")
    for value, source, where in ((env.get(name), "environment", name), (option, "option", "--target-version")):
        if value:
            try:
                Version(_printable(where, value))
            except InvalidVersion:
                raise ConfigError(f"{where}: {value!r} is not a version number (e.g. 2.13 or 3.2)") from None
            return value, source
    return vendor.default_version, "default" if vendor.default_version else "unknown"


def _printable(name: str, value: str) -> str:
    """A configured value, refused when it holds a control character (a token pasted with its
    trailing newline would go out as a broken header); the message never shows the value."""
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in value):
        raise ConfigError(f"{name} contains a control character (a trailing newline?); set it without one")
    return value


def resolve_target(vendor: Vendor, base_url: str | None = None, *, env: Mapping[str, str] | None = None,
                   faults: tuple[str, ...] = (), transport: str = "http", timeout: float = 10.0,
                   seed_records: int = 0, version: str | None = None, max_response_bytes: int = MAX_RESPONSE_BYTES,
                   max_decoded_bytes: int = MAX_DECODED_BYTES, rate_limit: int | None = None) -> Target:
    env = os.environ if env is None else env
    version, version_source = _version(vendor, version, env)
    if transport not in TRANSPORTS:
        raise ConfigError(f"--transport {transport!r}: choose one of {', '.join(TRANSPORTS)}")
    if not timeout > 0:
        raise ConfigError("--timeout must be a positive number of seconds")
    if max_response_bytes < 1 or max_decoded_bytes < 1:
        raise ConfigError("--max-response-bytes and --max-decoded-bytes must be positive")
    if rate_limit is not None and rate_limit < 1:
        raise ConfigError("--rate-limit must be a positive number of requests per minute")
    limits = {"timeout": timeout, "max_response_bytes": max_response_bytes, "max_decoded_bytes": max_decoded_bytes,
              "rate_limit": RateLimit(per_minute=rate_limit) if rate_limit else None}
    base_url_env = vendor.env_name("BASE_URL")
    if base_url is None and env.get(base_url_env):
        base_url = check_base_url(_printable(base_url_env, env[base_url_env]), base_url_env)
    elif base_url is not None:
        base_url = check_base_url(_printable("--base-url", base_url), "--base-url")

    if base_url is None:
        simulator = build_simulator(vendor, faults, seed_records, version)
        return Target(vendor, "simulator", "http://simulator.invalid" + simulator.base_path if transport == "inprocess" else "",
                      dict(simulator.credentials), dict(vendor.simulator_settings), tuple(faults),
                      transport, simulator, version=version, version_source=version_source, **limits)

    if faults:
        raise ConfigError("--fault works only on the built-in simulator; drop --base-url or the fault")
    credentials: dict[str, str] = {}
    for credential in vendor.credentials:
        name = vendor.env_name(credential.field)
        value = env.get(name)
        if value is None and credential.required:
            raise ConfigError(f"{vendor.name}: set {name} ({credential.help}) to run against {base_url}")
        if value is not None and not value.strip():
            raise ConfigError(f"{vendor.name}: {name} is empty; set it to {credential.help}")
        if value is not None:
            credentials[credential.field] = _printable(f"{vendor.name}: {name}", value)
    groups = vendor.credential_groups
    if groups and not any(all(field in credentials for field in group) for group in groups):
        options = " or ".join(" + ".join(vendor.env_name(f) for f in group) for group in groups)
        raise ConfigError(f"{vendor.name}: set {options} to run against {base_url}")
    settings = {s.field: _printable(f"{vendor.name}: {vendor.env_name(s.field)}", env[vendor.env_name(s.field)])
                for s in vendor.settings if env.get(vendor.env_name(s.field))}
    for setting in vendor.settings:
        if setting.required and setting.field not in settings:
            raise ConfigError(f"{vendor.name}: set {vendor.env_name(setting.field)} ({setting.help}) to run against {base_url}")
    return Target(vendor, "live", base_url, credentials, settings, (), "http", version=version,
                  version_source=version_source, **limits)


def build_simulator(vendor: Vendor, faults: tuple[str, ...] = (), seed_records: int = 0,
                    version: str | None = None) -> Any:
    """The vendor's simulator, imitating ``version`` where the vendor has versions."""
    extra = {"version": version} if vendor.versions and version else {}  # only a simulator of several versions
    try:
        return vendor.simulator(faults=faults, seed_records=seed_records, **extra)
    except UnknownFault as error:
        raise ConfigError(f"{vendor.name}: {error}") from None
    except ValueError as error:  # a version the simulator cannot imitate
        raise ConfigError(f"{vendor.name}: {error}") from None


def check_reachable(target: Target, timeout: float | None = None) -> None:
    """Any HTTP answer counts (its headers; the body is not read); no answer within the request
    timeout, in total, ends the run with exit code 3 before tests run."""
    if target.kind == "simulator":
        return
    seconds = target.timeout if timeout is None else timeout
    try:
        probe(target.base_url + "/", seconds)
    except DeadlineExceeded:
        raise TargetUnreachable(f"no answer from {target.base_url} within {seconds:g} s (--timeout); "
                                "check the URL and the network") from None
    except requests.RequestException as error:
        reason = type(error).__name__
        raise TargetUnreachable(f"cannot reach {target.base_url} ({reason}); check the URL and the network") from None
