"""The simulator's users, teams and how Kimai tells them apart (authentication and permissions).

Kimai keeps two secrets per user apart (VENDOR-NOTES §2.4a): an API access token, sent as
``Authorization: Bearer`` (2.14+), and the deprecated API password, sent as the
``X-AUTH-USER`` + ``X-AUTH-TOKEN`` pair. One value never passes both. The fixed values below are
test credentials of the built-in simulator only.
"""

from __future__ import annotations

from dataclasses import dataclass

TEST_USER, TEST_TOKEN, TEST_API_PASSWORD = "accord", "accord-kimai-test-token", "accord-kimai-test-apw-q7z3"
LIMITED_USER, LIMITED_TOKEN = "accord-limited", "accord-kimai-limited-token"
LIMITED_API_PASSWORD = "accord-kimai-limited-apw-x4k8"


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
# src/Utils/Color.php: the colour of a record without one, picked from the name.
PALETTE = (
    "#AAAAAA", "#DDDDDD", "#a972c9", "#9C27B0", "#673AB7", "#041fd1", "#5319e7", "#3F51B5", "#0074D9", "#2196F3",
    "#03A9F4", "#7FDBFF", "#39CCCC", "#00BCD4", "#006b75", "#009688", "#00bb32", "#4CAF50", "#3D9970", "#2ECC40",
    "#01FF70", "#8BC34A", "#CDDC39", "#FFDC00", "#FFC107", "#FF851B", "#FF9800", "#FF5722", "#f41a00", "#E91E63",
    "#85144b", "#b60205", "#FF4136", "#cc317c", "#F012BE", "#d82d80", "#B10DC9", "#e135f4", "#2d3748", "#4a5568",
    "#718096",
)


def color_safe(color: str | None, name: str | None) -> str:
    """ColorTrait::getColorSafe: the colour, else Color::getRandomFromPalette(name) (the sum of the
    name's bytes, multi-byte ones counting 0 as PHP's mb_ord of a lone byte does, modulo the palette)."""
    if color:
        return color
    return PALETTE[sum(b for b in str(name or "").encode() if b < 128) % len(PALETTE)]


TEAMS: dict[int, dict[str, object]] = {
    team_id: {"id": team_id, "name": name, "color": color, "color-safe": color_safe(color, name)}
    for team_id, name, color in ((1, "Test team", None), (2, "Second team", "#ff0000"))
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
