"""Valomnia's login sessions: JSESSIONID cookies that Spring Security hands out and forgets.

The documented login (VENDOR-NOTES §4.2) yields a session cookie; Tomcat ends a session after an
idle timeout (30 minutes by default) and Spring Security on logout. Both are modelled, with an
injectable clock so tests can expire sessions without waiting.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Session:
    user: int | None  # None: an anonymous session (e.g. the one a failed login leaves behind)
    last_used: float
    permanent: bool = False  # a fixed test credential: no idle timeout (logout still ends it)


class Sessions:
    def __init__(self, lifetime: float, clock: Callable[[], float], never_expire: bool = False) -> None:
        self.lifetime = lifetime
        self.clock = clock
        self.never_expire = never_expire
        self._sessions: dict[str, Session] = {}
        self._issued: set[str] = set()  # every id ever handed out, also after logout or expiry
        self._lock = threading.Lock()

    def open(self, user: int | None, session_id: str | None = None, idle_for: float = 0.0, permanent: bool = False) -> str:
        """A new session (a fresh id unless one is given); ``idle_for`` backdates its last use."""
        session_id = session_id or secrets.token_hex(16).upper()
        with self._lock:
            self._sessions[session_id] = Session(user, self.clock() - idle_for, permanent)
            self._issued.add(session_id)
        return session_id

    def user(self, session_id: str | None) -> int | None:
        """The user a live, authenticated session belongs to (and the session's use is recorded)."""
        if not session_id:
            return None
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            now = self.clock()
            if not (self.never_expire or session.permanent) and now - session.last_used > self.lifetime:
                del self._sessions[session_id]
                return None
            session.last_used = now
            return session.user

    def issued(self) -> list[str]:
        """Every session id handed out, whether it still lives or not."""
        with self._lock:
            return sorted(self._issued)

    def close(self, session_id: str | None) -> None:
        with self._lock:
            self._sessions.pop(session_id or "", None)

    def expire_all(self) -> None:
        """End every session now, as a server restart or a passed idle timeout would."""
        with self._lock:
            self._sessions.clear()
