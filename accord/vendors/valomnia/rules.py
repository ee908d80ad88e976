"""How the simulated Valomnia reads a create, update or upsert form, and which documented error it
answers first (vendor-docs/valomnia-customers-api-v2.1.txt 11.3-11.5, Failure Output).

A mixin of ValomniaSimulator: it needs the simulator's ``fault``, ``customers``, ``clock``, ``images``
and ``_by_reference``. Grails binds form and query parameters alike, trims every value and binds a
blank one as null; the first failing rule answers, as a controller that validates step by step does.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from accord.simulate import Request, Table
from accord.vendors.valomnia.forms import Form, MalformedBody, parse_bool, parse_float, parse_int, parse_payment_types, read_form
from accord.vendors.valomnia.model import (
    BOOLEANS,
    CATEGORIES,
    CONFIGURED_CURRENCIES,
    CURRENCIES,
    DUE_DATE_TYPES,
    FLOATS,
    IMAGE_DIR,
    IMAGE_EXTENSIONS,
    IMAGE_MAGIC,
    JAVA_TRIM,
    MAX_IMAGE,
    MAX_TEXT,
    PAYMENT_TYPES,
    REGIONS,
    SEGMENTATIONS,
    TEXT,
    USERS,
    Refused,
    bad_type,
    missing,
    parse_stamp,
)


class FormRules:
    fault: Callable[[str], bool]
    customers: Table
    clock: Callable[[], float]
    images: dict[str, bytes]
    _by_reference: Callable[[str], dict[str, Any] | None]

    def _form(self, request: Request, creating: bool) -> Form:
        """The request's parameters; a JSON body adds none (Grails binds form and query parameters)."""
        query_only = Form({name: values[-1] for name, values in request.query.items()})
        try:
            form = read_form(request.headers.get("Content-Type"), request.body, request.query)
        except MalformedBody:
            return query_only
        if self.fault("json-body-required"):
            if form.media_type == "application/x-www-form-urlencoded":
                return query_only
            if form.media_type == "application/json":
                try:
                    body = request.json()
                except (ValueError, UnicodeDecodeError):
                    body = None
                if isinstance(body, dict):
                    form.fields.update({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()})
        rejected = "multipart-rejected" if creating else "update-multipart-rejected"
        if form.media_type == "multipart/form-data" and self.fault(rejected):
            return query_only
        return form

    def _resolve(self, kind: str, raw: str, external: bool) -> int:
        """An identifier parameter ("Long/String"): a numeric id, or a reference (always with
        useExternalId=true)."""
        tables: dict[str, dict[int, Any]] = {"categoryId": CATEGORIES, "customerSegmentationId": SEGMENTATIONS, "userId": USERS}
        labels = {"categoryId": "customer category", "customerSegmentationId": "customer segmentation", "userId": "user",
                  "parentCustomer": "parent customer"}
        as_id = raw.isdigit() and (not external or self.fault("external-id-ignored"))
        if kind == "parentCustomer":
            row = self.customers.get(int(raw)) if as_id else self._by_reference(raw)
            if row is not None:
                return row["id"]
        else:
            table = tables[kind]
            if as_id and int(raw) in table:
                return int(raw)
            if not as_id:
                for item_id, item in table.items():
                    if (item if isinstance(item, str) else item[0]) == raw:
                        return item_id
        raise Refused(404, "not_found", f"The {labels[kind]} with the id {raw} doesn't exist.")

    def _validate(self, form: Form, current: dict[str, Any] | None, creating: bool,
                  host: str, path_reference: str | None = None, unique: bool = True) -> dict[str, Any]:
        """The changes a form makes, or the first documented refusal (raised as ``Refused``)."""
        fields = {name: value.strip(JAVA_TRIM) for name, value in form.fields.items()}  # Grails trims every value
        if path_reference is not None:
            fields["reference"] = path_reference
        values: dict[str, Any] = {}
        for name in TEXT:
            if name in fields:
                values[name] = fields[name] or None  # a blank value is bound as null
        if creating:
            if values.get("reference") is None:
                if not self.fault("missing-reference-accepted"):
                    raise missing("reference")
                values["reference"] = f"AUTO-{secrets.token_hex(6)}"
            if values.get("name") is None:
                if self.fault("upsert-name-optional" if path_reference is not None else "missing-name-accepted"):
                    values["name"] = values["reference"]
                else:
                    raise missing("name")
        else:
            for name in ("reference", "name"):
                if name in values and values[name] is None and not (name == "name" and self.fault("update-blank-name-accepted")):
                    raise missing(name)
        for name in BOOLEANS:
            if fields.get(name):
                value = parse_bool(fields[name])
                if value is None:
                    if not self.fault("invalid-boolean-as-false"):
                        raise bad_type(name)
                    value = False
                values[name] = value
        for name in FLOATS:
            if name in fields:
                value = parse_float(fields[name]) if fields[name].strip() else None
                if value is None and fields[name].strip():
                    raise bad_type(name)
                values[name] = value
        if fields.get("dueDateConfigNumber", "").strip():
            number = parse_int(fields["dueDateConfigNumber"])
            if number is None or not -(2**31) <= number < 2**31:  # a Java Integer
                raise bad_type("dueDateConfigNumber")
            values["dueDateConfigNumber"] = number
        if fields.get("dueDateConfigType", "").strip():
            kind = fields["dueDateConfigType"].strip()
            if kind not in DUE_DATE_TYPES:
                raise bad_type("dueDateConfigType")
            values["dueDateConfigType"] = kind
            has_number = "dueDateConfigNumber" in values or (current or {}).get("dueDateConfigNumber") is not None
            if not has_number and not self.fault("due-date-number-optional"):
                raise missing("dueDateConfigNumber")
        if "paymentTypes" in fields:
            values["paymentTypes"] = self._payment_types(fields["paymentTypes"], creating)
        external = parse_bool(fields.get("useExternalId", "")) is True if creating else False
        if fields.get("categoryId") and not self.fault("category-ignored"):
            try:
                values["categoryId"] = self._resolve("categoryId", fields["categoryId"].strip(), external)
            except Refused:
                if not self.fault("unknown-category-accepted"):
                    raise
        if fields.get("customerSegmentationId"):
            values["segmentationId"] = self._resolve("customerSegmentationId", fields["customerSegmentationId"].strip(), external)
        if fields.get("userId"):
            values["createdBy"] = self._resolve("userId", fields["userId"].strip(), external)
        if fields.get("regionId", "").strip() and not self.fault("region-ignored"):
            region = parse_int(fields["regionId"])
            if region is None or not 0 < region < 2**63:  # a Java Long id
                raise bad_type("regionId")
            if region not in REGIONS:
                raise Refused(404, "not_found", f"The region with the id {region} doesn't exist.")
            values["regionId"] = region
        if fields.get("currency", "").strip():
            values["currency"] = self._currency(fields["currency"].strip())
        self._parent(fields, values, current, external)
        if "imageFile" in form:
            logo = self._image(form, host, creating)
            if logo is not None:
                values["logo"] = logo
        reference = values.get("reference")
        if reference is not None and (current is None or reference != current["reference"]):
            fault = "duplicate-reference-accepted" if creating else "update-duplicate-reference-accepted"
            if unique and self._by_reference(reference) is not None and not self.fault(fault):
                raise Refused(400, "not_unique", "reference already used")
        too_long = [name for name in TEXT if isinstance(values.get(name), str) and len(values[name]) > MAX_TEXT]
        if too_long:
            if not self.fault("long-value-truncated"):
                raise Refused(400, "save_failed", "Failed to save instance.")
            for name in too_long:
                values[name] = values[name][:MAX_TEXT]
        if creating and self.fault("create-drops-comment"):
            values.pop("comment", None)
        dated = "client-date-created-accepted" if creating else "update-date-created-accepted"
        if self.fault(dated) and parse_stamp(fields.get("dateCreated", "")) is not None:
            values["dateCreated"] = parse_stamp(fields["dateCreated"])
        return values

    def _payment_types(self, raw: str, creating: bool) -> list[int]:
        try:
            ids = parse_payment_types(raw)
        except ValueError:
            raise bad_type("paymentTypes") from None
        found: list[int] = []
        for item in ids:
            text = str(item).strip()
            if isinstance(item, bool) or not re.fullmatch(r"\d+", text):
                if self.fault("payment-type-id-type-404"):
                    raise Refused(404, "not_found", f"The payment type with the id {text} doesn't exist.")
                raise Refused(400, "invalid_param_type",
                              "The type of parameter payment type id you provided is not valid for this request.")
            payment = int(text)
            if payment not in PAYMENT_TYPES:
                lenient = self.fault("unknown-payment-type-accepted") or (not creating and self.fault("update-skips-validation"))
                if lenient:
                    continue
                raise Refused(404, "not_found", f"The payment type with the id {payment} doesn't exist.")
            if payment not in found:
                found.append(payment)
        return [] if self.fault("payment-types-ignored") else found

    def _currency(self, code: str) -> str:
        if self.fault("unconfigured-currency-accepted"):
            return code
        if code not in CURRENCIES:
            raise Refused(404, "not_found", f"The currency with name {code} doesn't exist.")
        if code not in CONFIGURED_CURRENCIES:
            raise Refused(404, "not_found", f"The currency with name {code} is not configured.")
        return code

    def _parent(self, fields: dict[str, str], values: dict[str, Any], current: dict[str, Any] | None, external: bool) -> None:
        """isSubCustomer and parentCustomer: the parent is required with isSubCustomer=true, must exist
        and must not be the customer itself (11.3, 11.4)."""
        sub = values.get("isSubCustomer", (current or {}).get("isSubCustomer", False))
        raw = fields.get("parentCustomer", "").strip()
        parent = None
        if raw:
            try:
                parent = self._resolve("parentCustomer", raw, external)
            except Refused:
                if not self.fault("unknown-parent-accepted"):
                    raise
        if current is not None and parent == current["id"] and not self.fault("own-parent-accepted"):
            raise Refused(404, "not_found", "The customer cannot be a subcustomer of itself.")
        if sub:
            no_parent = parent is None and (current or {}).get("parentId") is None and not raw
            if no_parent and not self.fault("parent-optional"):
                raise missing("parentCustomer")
            if parent is not None:
                values["parentId"] = None if self.fault("parent-not-stored") else parent
        elif "isSubCustomer" in values:
            values["parentId"] = None

    def _image(self, form: Form, host: str, creating: bool) -> str | None:
        upload = form.files.get("imageFile")
        if upload is None:  # a plain text field cannot carry an image
            if self.fault("image-type-unchecked"):
                return None
            raise Refused(400, "unsupported_file_type", "image format not supported.")
        extension = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
        is_image = extension in IMAGE_EXTENSIONS and upload.data.startswith(IMAGE_MAGIC)
        if not is_image and not self.fault("image-type-unchecked"):
            raise Refused(400, "unsupported_file_type", "image format not supported.")
        if len(upload.data) > MAX_IMAGE and not self.fault("image-size-unchecked"):
            raise Refused(400, "exceeded_file_size", "image size should not exceed 2Mo")
        if self.fault("image-ignored"):
            return None
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", upload.filename.rsplit("/", 1)[-1]) or "image"
        name = f"{int(self.clock() * 1000)}_{safe}"
        self.images[name] = upload.data
        return f"{host}/{IMAGE_DIR}/{name}"

    @staticmethod
    def host(request: Request) -> str:
        host = request.headers.get("Host")
        return f"http://{host}" if host else "BASE_URL"
