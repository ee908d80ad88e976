"""The simulated Valomnia organisation and its customer records: reference data, field kinds, defaults.

The ids and names come from the documented examples (vendor-docs/valomnia-customers-api-v2.1.txt
11.1-11.5); limits and conventions the documentation leaves open follow Grails (doc-issues.yaml).
"""

from __future__ import annotations

import calendar
import re
import time
from typing import Any

ORGANIZATION = "entity1"
IMAGE_DIR = "entity1-1450169988465/photoCustomer"  # the documented logo link's folder
MAX_IMAGE = 2 * 1024 * 1024  # "image size should not exceed 2Mo"
MAX_TEXT = 255  # Grails' default varchar(255): longer values fail to save (save_failed)
SEED_EPOCH = 1450393200  # 2015-12-17T23:00:00Z, the documented example's dateCreated

# Reference data of the simulated organisation (ids and names from the documented examples).
USERS = {1: "emp-001", 2: "emp-002"}
LOGIN_USER = 2
CATEGORIES = {1: ("root", "Root category"), 2: ("jewelry", "Jewelry and accessories"), 6: ("Ref-6", "Category 6")}
ROOT_CATEGORY = 1
SEGMENTATIONS = {1: ("seg_a", "Segmentation A"), 2: ("seg_b", "Segmentation B")}
PAYMENT_TYPES = {7: ("cash", "cash"), 8: ("cheque", "cheque")}
REGIONS = {2: "California", 3: "New York"}
CURRENCIES = frozenset({"EUR", "USD", "GBP", "CHF", "TND", "JPY", "CAD", "MAD"})  # known ISO codes
CONFIGURED_CURRENCIES = frozenset({"EUR", "USD"})  # with an exchange rate in the organisation
ORGANIZATION_CURRENCY = "EUR"
DUE_DATE_TYPES = {"1": "daysAfterInvoiceDate", "2": "daysAfterEndOfInvoiceMonth"}

TEXT = ("reference", "reference2", "name", "barcode", "billingCountry", "billingCity", "billingPostalCode",
        "billingAddress", "country", "city", "postalCode", "address", "email", "phone", "mobile", "fax", "comment",
        "website", "taxNumber", "companyRegistrationNumber", "customerRisk", "customerRiskColor", "onHoldReason")
BOOLEANS = ("isActive", "isSubCustomer", "billWithParent", "isSameAddress", "onHold")
FLOATS = ("billingLat", "billingLng", "latitude", "longitude", "creditLimit")
DEFAULTS: dict[str, Any] = {
    **{name: None for name in TEXT + FLOATS}, "isActive": True, "isSubCustomer": False, "billWithParent": False,
    "isSameAddress": True, "onHold": False, "categoryId": ROOT_CATEGORY, "segmentationId": None, "parentId": None,
    "createdBy": LOGIN_USER, "dueDateConfigNumber": None, "dueDateConfigType": None, "paymentTypes": [],
    "currency": ORGANIZATION_CURRENCY, "regionId": None, "logo": None,
}
DATE_FILTERS = {f"{name}_{op}": (name, op) for name in ("dateCreated", "lastUpdated") for op in ("gt", "gte", "lt", "lte")}
WILDCARD_FILTERS = ("reference", "name", "categoryReference")
LIST_PARAMS = frozenset({"max", "offset", "order", "sort", "isActive", *WILDCARD_FILTERS, *DATE_FILTERS})
SORTABLE = frozenset({"id", *TEXT, *BOOLEANS, *FLOATS, "dateCreated", "lastUpdated", "categoryReference", "currency",
                      "dueDateConfigNumber"})
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")
IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "gif", "png", "bmp"})
JAVA_TRIM = "".join(map(chr, range(0x21)))  # String.trim(): every character up to the space
SERVER_ERROR = "Oops! Something went wrong..."
DEPRECATION_WARNING = "All versions older than 1.0 version are deprecated and will be removed in the next release"


class Refused(Exception):
    """A documented error answer, raised from deep inside validation."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def stamp(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def parse_stamp(value: str) -> int | None:
    if not ISO_DATETIME.match(value):
        return None
    try:
        return calendar.timegm(time.strptime(value, "%Y-%m-%dT%H:%M:%SZ"))
    except ValueError:
        return None


def wildcard(pattern: str, literal: bool = False, leading: bool = True) -> re.Pattern[str]:
    """A filter value as a case-insensitive full match; ``*`` stands for any run of characters."""
    if literal:
        return re.compile(re.escape(pattern), re.I)
    if not leading and pattern.startswith("*"):
        head, rest = re.escape("*"), pattern[1:]
        return re.compile(head + ".*".join(re.escape(part) for part in rest.split("*")), re.I)
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.I)


def bad_type(name: str) -> Refused:
    return Refused(400, "invalid_param_type", f"The type of parameter {name} you provided is not valid for this request.")


def missing(name: str) -> Refused:
    return Refused(400, "missing_param", f"{name} parameter is missing")
