"""Request parameters as Valomnia reads them: the query string merged with a form body.

Valomnia's create, update and upsert take ``application/x-www-form-urlencoded`` or
``multipart/form-data`` (vendor-docs/valomnia-customers-api-v2.1.txt 11.3-11.5), and the login takes
its three parameters either way too (VENDOR-NOTES §4.2). Like any Grails ``params`` map, query and
form parameters land in one map, and a JSON body contributes nothing. Standard library only
(urllib.parse, email), so the simulator needs no web framework.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart body."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class Form:
    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    media_type: str = ""

    def __contains__(self, name: str) -> bool:
        return name in self.fields or name in self.files


class MalformedBody(ValueError):
    pass


def media_type(content_type: str | None) -> tuple[str, Message]:
    """The bare media type of a Content-Type header, and the header parsed (for its parameters)."""
    header = Message()
    header["Content-Type"] = content_type or "application/octet-stream"
    return header.get_content_type(), header


def parse_multipart(body: bytes, content_type: str) -> tuple[dict[str, str], dict[str, Upload]]:
    """Fields and files of a multipart/form-data body (RFC 7578); parts with a filename are files."""
    _, header = media_type(content_type)
    if not header.get_param("boundary"):
        raise MalformedBody("multipart body without boundary")
    prefix = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(prefix + body)
    if not message.is_multipart():
        raise MalformedBody("not a multipart body")
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is not None:
            files[str(name)] = Upload(filename, part.get_content_type(), data)
        else:
            fields[str(name)] = data.decode(part.get_content_charset() or "utf-8", errors="replace")
    return fields, files


def read_form(content_type: str | None, body: bytes, query: dict[str, list[str]]) -> Form:
    """The parameters of a request: its query string, overlaid by an urlencoded or multipart body."""
    kind, _ = media_type(content_type)
    form = Form({name: values[-1] for name, values in query.items()}, {}, kind)
    if kind == "application/x-www-form-urlencoded" and body:
        try:
            form.fields.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False))
        except UnicodeDecodeError as error:
            raise MalformedBody("form body is not UTF-8") from error
    elif kind == "multipart/form-data":
        fields, files = parse_multipart(body, content_type or "")
        form.fields.update(fields)
        form.files.update(files)
    return form


def encode_multipart(fields: dict[str, str], files: dict[str, Upload] | None = None,
                     boundary: str = "accord-valomnia-boundary") -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type: what a client sends (tests, sample requests)."""
    chunks: list[bytes] = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        chunks.append(head.encode() + value.encode() + b"\r\n")
    for name, upload in (files or {}).items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{upload.filename}"\r\n'
                f"Content-Type: {upload.content_type}\r\n\r\n")
        chunks.append(head.encode() + upload.data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


# --- values -------------------------------------------------------------------------------------
_DOC_PAIR = re.compile(r'"\s*=\s*')


def parse_bool(value: str) -> bool | None:
    """Grails binds true/false (any case); anything else is the wrong type (None)."""
    lowered = value.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None


def parse_int(value: str) -> int | None:
    text = value.strip()
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def parse_float(value: str) -> float | None:
    try:
        number = float(value.strip())
    except ValueError:
        return None
    return number if number == number and number not in (float("inf"), float("-inf")) else None


def parse_payment_types(value: str) -> list[object]:
    """The payment type ids of a ``paymentTypes`` value: JSON ``[{"id":7}]`` or the documentation's
    own literal ``[{"id"=7},{"id"=8}]`` (11.3), also bare ids ``[7, 8]``. Raises ``ValueError`` when the
    structure is not a list of ids; the ids come back unchecked (the caller judges their type)."""
    text = value.strip()
    if not text:
        return []
    parsed = json.loads(_DOC_PAIR.sub('":', text))
    if not isinstance(parsed, list):
        raise ValueError("paymentTypes is not a list")
    ids: list[object] = []
    for item in parsed:
        if isinstance(item, dict):
            if "id" not in item:
                raise ValueError("a payment type without id")
            ids.append(item["id"])
        else:
            ids.append(item)
    return ids
