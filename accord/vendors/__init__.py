"""The vendor registry: every package in this folder with a ``VENDOR`` declaration.

Discovery by package keeps "add a vendor" to adding files: no list to edit here.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from accord.errors import ConfigError
from accord.vendor import Vendor


@cache
def all_vendors() -> dict[str, Vendor]:
    found: dict[str, Vendor] = {}
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.ispkg:
            vendor = importlib.import_module(f"{__name__}.{module.name}").VENDOR
            found[vendor.name] = vendor
    return found


def get_vendor(name: str) -> Vendor:
    vendors = all_vendors()
    if name not in vendors:
        raise ConfigError(f"unknown vendor {name!r}: choose one of {', '.join(vendors)}")
    return vendors[name]
