"""The simulator's users, teams and how Kimai tells them apart (authentication and permissions).

Kimai keeps two secrets per user apart (VENDOR-NOTES §2.4a): an API access token, sent as
``Authorization: Bearer`` (2.14+), and the deprecated API password, sent as the
``X-AUTH-USER`` + ``X-AUTH-TOKEN`` pair. One value never passes both. The fixed values below are
test credentials of the built-in simulator only.
"""

from __future__ import annotations

from dataclasses import dataclass

TEST_USER, TEST_TOKEN, TEST_API_PASSWORD = "accord", "accord-kimai-test-token", "accord-kimai-test-api-password"
LIMITED_USER, LIMITED_TOKEN = "accord-limited", "accord-kimai-limited-token"
LIMITED_API_PASSWORD = "accord-kimai-limited-api-password"


@dataclass(frozen=True)
class User:
    id: int
    username: str
    admin: bool  # ROLE_ADMIN: every customer permission; otherwise ROLE_USER (list only)
    teams: tuple[int, ...]
    token: str | None = None  # API access token (Bearer)
    api_password: str | None = None  # legacy API password (X-AUTH-TOKEN)

    def view(self) -> dict[str, object]:
        return {"id": self.id, "username": self.username, "alias": None, "enabled": True}


USERS: dict[int, User] = {user.id: user for user in (
    User(1, TEST_USER, True, (1,), TEST_TOKEN, TEST_API_PASSWORD),
    User(2, LIMITED_USER, False, (2,), LIMITED_TOKEN, LIMITED_API_PASSWORD),
    User(3, "anna", False, (1,)),  # a user without API access: a rate's user, a team member
)}
ADMIN = USERS[1]
TEAMS: dict[int, dict[str, object]] = {
    1: {"id": 1, "name": "Test team", "color": None, "color-safe": "#03A9F4"},
    2: {"id": 2, "name": "Second team", "color": "#ff0000", "color-safe": "#ff0000"},
}


def by_name(username: str) -> User | None:
    return next((user for user in USERS.values() if user.username == username), None)


def by_token(token: str) -> User | None:
    return next((user for user in USERS.values() if user.token is not None and user.token == token), None)


def can_see(user: User, customer_teams: list[int]) -> bool:
    """CustomerRepository's permission criteria: admins see all, others customers without teams or in theirs."""
    return user.admin or not customer_teams or bool(set(customer_teams) & set(user.teams))


def allowed(user: User, action: str) -> bool:
    """Kimai's default role permissions for customers: ROLE_USER may only list them
    (no create_customer, view, edit, delete, budget or details_customer)."""
    return user.admin
