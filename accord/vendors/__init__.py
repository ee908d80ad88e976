"""The vendor registry: every package in this folder with a ``VENDOR`` declaration, and every
installed package that names a ``Vendor`` under the ``accord.vendors`` entry-point group.

Discovery keeps "add a vendor" to adding files (or installing a package): no list to edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from importlib.metadata import entry_points

from accord.errors import ConfigError
from accord.vendor import Vendor

ENTRY_POINT_GROUP = "accord.vendors"


@cache
def all_vendors() -> dict[str, Vendor]:
    found: dict[str, Vendor] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.ispkg:
            vendor = importlib.import_module(f"{__name__}.{module.name}").VENDOR
            found[vendor.name] = vendor
    for point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda p: p.name):
        try:
            vendor = point.load()
        except Exception as error:  # a broken plugin names itself; it does not take accord down
            raise ConfigError(f"the vendor entry point {point.name!r} ({point.value}) failed to load: "
                              f"{type(error).__name__}: {error}") from None
        if not isinstance(vendor, Vendor):
            raise ConfigError(f"the vendor entry point {point.name!r} ({point.value}) is not an accord Vendor")
        if vendor.name in found:
            raise ConfigError(f"the vendor entry point {point.name!r} declares {vendor.name!r}, which accord already has")
        found[vendor.name] = vendor
    return found


def get_vendor(name: str) -> Vendor:
    vendors = all_vendors()
    if name not in vendors:
        raise ConfigError(f"unknown vendor {name!r}: choose one of {', '.join(vendors)}")
    return vendors[name]
