"""The errors that end a run early, each mapped to one documented exit code and one line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_CLAUSE_FAILED = 1
EXIT_USAGE = 2
EXIT_UNREACHABLE = 3
EXIT_LEFT_BEHIND = 4  # every clause held, but records the run created are still on the target


class AccordError(Exception):
    """An error with a one-line message for the user and the exit code it ends the run with."""

    exit_code = EXIT_USAGE


class ConfigError(AccordError):
    """Bad configuration: the message names what to fix."""

    exit_code = EXIT_USAGE


class TargetUnreachable(AccordError):
    exit_code = EXIT_UNREACHABLE


class TargetError(Exception):
    """The target answered something the suite cannot use (no JSON where JSON was promised).

    Reported as an ``error`` verdict with its evidence, never as a crash.
    """


class ResponseTooLarge(TargetError):
    """The target sent more than the run's byte cap (on the wire or after decompression).

    Reading stopped at the cap and the connection was closed; the kept prefix is the evidence.
    """


class RunSafetyError(Exception):
    """The run was about to write to a record it did not create; the write is refused."""


class LoginFailed(TargetError):
    """The vendor's login (credentials exchanged for a session) did not yield a session."""
