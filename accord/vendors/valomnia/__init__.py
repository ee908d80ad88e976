"""Valomnia API v2.1 (customers, chapter 11, and the session login): declarations only."""

from collections.abc import Mapping

import requests

from accord.auth import AuthStrategy, FormLoginCookie, NoAuth
from accord.vendor import Credential, Vendor
from accord.vendors.valomnia.client import API, ValomniaClient
from accord.vendors.valomnia.simulator import SIMULATOR_SETTINGS, ValomniaSimulator

LOGIN_PATH = "../../j_spring_security_check"  # on the host root, beside /api/v2.1
FAILURE_MARKERS = ("/login/authfail", "login_error")  # where Spring Security sends a failed login


def login_refused(response: requests.Response) -> str | None:
    """A failed login also answers 302 with a JSESSIONID (an anonymous session): only where the
    redirect goes tells them apart."""
    location = response.headers.get("Location", "").split("?")[0]
    if any(marker in response.headers.get("Location", "") for marker in FAILURE_MARKERS):
        return f"redirected to the failure page {location}"
    return None


def auth(credentials: Mapping[str, str]) -> AuthStrategy:
    """A session handed over (SESSION) is used as it is; otherwise the documented form login."""
    session, user, password = credentials.get("SESSION"), credentials.get("USERNAME"), credentials.get("PASSWORD")
    if session:
        return FormLoginCookie(LOGIN_PATH, {"j_username": "", "j_password": ""}, ("j_password",), "JSESSIONID", session)
    if user and password:
        return FormLoginCookie(LOGIN_PATH, {"j_username": user, "j_password": password, "ajax": "true"}, ("j_password",),
                               "JSESSIONID", success_check=login_refused)
    return NoAuth()


def _setting(name: str, help_text: str) -> Credential:
    return Credential(name, help_text, secret=False, required=False)


VENDOR = Vendor(
    name="valomnia",
    title="Valomnia API v2.1",
    credentials=(
        Credential("USERNAME", "the Valomnia login (j_username), with ACCORD_VALOMNIA_PASSWORD", secret=False, required=False),
        Credential("PASSWORD", "the Valomnia password (j_password)", required=False),
        Credential("SESSION", "a JSESSIONID of a logged-in Valomnia session, instead of a login", required=False),
    ),
    settings=(
        _setting("EXPIRED_SESSION", "a JSESSIONID that has been idle longer than the session lifetime"),
        _setting("CATEGORY_ID", "the id of a customer category of the organisation"),
        _setting("CATEGORY_REFERENCE", "the reference of that customer category"),
        _setting("SEGMENTATION_ID", "the id of a customer segmentation of the organisation"),
        _setting("USER_ID", "the id of a user of the organisation"),
        _setting("PAYMENT_TYPE_IDS", "ids of payment types of the organisation, comma-separated"),
        _setting("CURRENCY", "a currency configured in the organisation (ISO code)"),
        _setting("UNCONFIGURED_CURRENCY", "a known currency not configured in the organisation"),
        _setting("REGION_ID", "the id of a region, where geographical locations are activated"),
    ),
    simulator_settings=SIMULATOR_SETTINGS,
    auth=auth,
    simulator=ValomniaSimulator,
    client=ValomniaClient,
    api=API,
    rate_limit=None,  # Valomnia documents no rate limit
    base_url_hint="https://HOST/api/v2.1 (the login lives on the host root: /j_spring_security_check)",
    default_version="2.1",  # the only version the documentation covers; its clauses carry no version range
    versions=("2.1",),
    credential_groups=(("SESSION",), ("USERNAME", "PASSWORD")),
)
