"""Which Kimai release behaves how: the version facts the simulator and the suite share.

Each feature names the first release with it (a PEP 440 specifier over the target's version) and
where that was read (kimai/kimai; VENDOR-NOTES §2.4a). ``None`` for a version means "unknown":
the newest behaviour is assumed, as the contract's sources are the newest release.
"""

from __future__ import annotations

from functools import cache

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

NEWEST = "2.66"
FEATURES: dict[str, tuple[str, str]] = {
    "bearer": (">=2.14", "kimai/kimai afe065650 (#4637): API tokens sent as Authorization: Bearer"),
    "unauthorized-401": (">=2.14", "kimai/kimai@2.14.0 src/API/Authentication: 401 {code, message} without credentials"),
    "user-view-refused": (">=2.13", "kimai/kimai dee90bb15 (Release 2.13): ROLE_USER may no longer view one customer"),
    "customer-delete": (">=2.25", "kimai/kimai#5181: DELETE /api/customers/{id}"),
    "term-words": (">=2.34", "kimai/kimai src/Utils/SearchTerm.php: the term split into words, each must match"),
    "address-form-only-when-set": (">=2.41", "kimai/kimai cc64acf0f src/Form/CustomerEditForm.php l.80-87"),
    "address-lines": (">=2.43", "kimai/kimai src/Form/CustomerEditForm.php: addressLine1-3, postCode, city, buyerReference"),
    "collection-details": (">=2.45", "kimai/kimai afb5a0bba (Release 2.45): the list adds country, company, homepage, "
                           "timezone, phone, fax, mobile (tests/API/APIControllerBaseTestCase.php)"),
    "color-safe": (">=2.46", "kimai/kimai 6a86afb5f (Release 2.46): color-safe in customer views"),
    "email-url-checked": (">=2.53", "kimai/kimai src/Entity/Customer.php: Assert\\Email, Assert\\Url"),
    "number-special-chars": (">=2.54", "kimai/kimai bad92d721: NoSpecialCharacters on number"),
    "pair-throttled": (">=2.54", "kimai/kimai TokenAuthenticator.php: 0.2-0.5 s sleep, 5 failures a minute"),
    "list-full": (">=2.62", "kimai/kimai src/API/CustomerController.php: full=1 adds Customer_Details"),
    "language-invoice-email": (">=2.63", "kimai/kimai 29a207e73, 26e82a6ec: language and invoiceEmail"),
    "collection-budget": (">=2.66", "kimai/kimai c8894e5a3 (#6140): budget fields in the list, per permission"),
    "duration-rounds": (">=2.64", "kimai/kimai cce9e287f src/Utils/Duration.php: decimal hours rounded, not truncated"),
}


@cache
def parse(version: str | None) -> Version:
    """The release a version string names; unknown or unreadable means the newest."""
    try:
        return Version(version) if version else Version(NEWEST)
    except InvalidVersion:
        return Version(NEWEST)


def has(version: str | None, feature: str) -> bool:
    """Whether the release ``version`` has ``feature`` (FEATURES)."""
    return SpecifierSet(FEATURES[feature][0]).contains(parse(version), prereleases=True)


def version_id(version: str | None) -> tuple[str, int]:
    """Kimai's Constants::VERSION and VERSION_ID (major * 10000 + minor * 100 + patch)."""
    release = (parse(version).release + (0, 0, 0))[:3]
    return ".".join(map(str, release)), release[0] * 10000 + release[1] * 100 + release[2]


ADDRESS_LINES = frozenset({"addressLine1", "addressLine2", "addressLine3", "postCode", "city", "buyerReference"})


def not_on_create(version: str | None) -> frozenset[str]:
    """CustomerEditForm fields the contract documents that a create on this release refuses as
    extra fields: ``address`` since 2.41, the structured address before 2.43, ``language`` and
    ``invoiceEmail`` before 2.63 (VENDOR-NOTES §2.4a)."""
    absent: set[str] = set()
    if has(version, "address-form-only-when-set"):
        absent.add("address")
    if not has(version, "address-lines"):
        absent |= ADDRESS_LINES
    if not has(version, "language-invoice-email"):
        absent |= {"language", "invoiceEmail"}
    return frozenset(absent)


def unchecked(version: str | None) -> dict[str, frozenset[str]]:
    """Rules of the contract (field -> schema keywords) this release does not enforce yet:
    Email and Url before 2.53, NoSpecialCharacters on number before 2.54."""
    loose: dict[str, frozenset[str]] = {}
    if not has(version, "email-url-checked"):
        loose.update(dict.fromkeys(("email", "invoiceEmail", "homepage"), frozenset({"pattern", "format"})))
    if not has(version, "number-special-chars"):
        loose["number"] = frozenset({"pattern"})
    return loose
