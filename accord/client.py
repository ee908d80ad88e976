"""The shared client base: every vendor's safety rules, derived from its ``Api`` declaration.

On a shared sandbox the run may create records, and may change or delete only records it created
itself (or ids it proved absent). This module is the one place that rule lives: a write guard in
the HTTP session refuses any other write before it is sent; an observer enters what the target
confirms it created into the ledger; a record is read back and checked for the run's tag before
the first write to it, so a target that answers a create with someone else's id cannot steer the
run into their data; and the sweep at the end finds tagged leftovers the ledger never heard of.
A vendor's client subclasses ``VendorClient`` and holds its operations, nothing else.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import requests

from accord.api import Api, Resource, fill
from accord.bodies import encode
from accord.cleanup import REMOVED, Ledger
from accord.errors import RunSafetyError, TargetError
from accord.http import SAFE_METHODS, Session

ABSENT_BASE = 2_000_000_000  # far above any real integer id; proved absent by a 404 before use
Key = tuple[str, ...]


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


class VendorClient:
    """Tagging, the ledger, the write guard, ids proved absent and the sweep, for any vendor.

    Subclasses add the vendor's documented operations as methods (through ``send``/``path``) and
    may override ``created_ids`` (how a create answer names what it created), ``neutralise``
    (what to do where a record cannot be deleted) and ``cleanup_strategy``.
    """

    cleanup_strategy = "delete what the run created, newest first, then sweep by the run tag"
    tag_limit: int | None = None  # the tag field's documented maximum length, if any

    def __init__(self, session: Session, ledger: Ledger, settings: Mapping[str, str], api: Api) -> None:
        self.session, self.ledger, self.settings, self.api = session, ledger, dict(settings), api
        self.context = {param: settings[name] for param, name in api.context.items() if settings.get(name)}
        self._absent: dict[tuple[str, Key], Key] = {}
        self._by_depth = sorted(api.resources, key=lambda r: -len(api.lineage(r)))
        self.problems: list[str] = []  # what the guard refused to trust, for the report
        self._query: dict[str, Any] = {}  # the query of the request ``send`` is making: RPC routes name ids there
        session.write_guard = self.check_write
        session.observers.append(self.observe)

    # --- tags and paths ---------------------------------------------------------------------------
    @property
    def tag(self) -> str:
        return self.ledger.tag

    def tagged(self, value: str = "", limit: int | None = None) -> str:
        """``value`` carrying the run's tag at its start, within the field's length limit."""
        limit = limit or self.tag_limit
        text = value if value.startswith(self.tag) else f"{self.tag} {value}".rstrip()
        return text[:limit].rstrip() if limit else text

    def tag_query(self, resource: Resource) -> dict[str, str]:
        """The resource's list query for the run's own records (its sweep_query, {tag} filled in)."""
        return {name: value.replace("{tag}", self.tag) for name, value in resource.sweep_query.items()}

    def path(self, template: str, **values: Any) -> str:
        """A path template filled from the target's context (an account id) and ``values``."""
        return fill(template, {**self.context, **values})

    def send(self, method: str, template: str, body: Any = None, *, encoding: str | None = None,
             params: Mapping[str, Any] | None = None, **values: Any) -> requests.Response:
        """One request to a templated path, the body encoded as the vendor takes it."""
        kwargs: dict[str, Any] = {"params": params} if params else {}
        if body is not None:
            kwargs.update(encode(body, encoding or self.api.body_encoding))
        self._query = dict(params or {})
        try:
            return self.session.request(method, self.path(template, **values), **kwargs)
        finally:
            self._query = {}

    # --- which record a path names ----------------------------------------------------------------
    def _match(self, path: str) -> tuple[Resource, str, Key] | None:
        """(resource, "item" | "collection" | "tagged" | "body", key) for a path of a declared resource;
        "body": an RPC route whose request names the record in its body or query (the key is empty)."""
        for resource in self._by_depth:
            lineage = self.api.lineage(resource)
            for pattern in resource.item_patterns:
                found = pattern.match(path)
                if found and all(r.id_param in found.groupdict() for r in lineage):
                    return resource, "item", tuple(found.group(r.id_param) for r in lineage)
            for pattern in resource.tagged_key_patterns:
                found = pattern.match(path)
                if found:
                    return resource, "tagged", (list(found.groupdict().values())[-1],)
            for pattern in (resource.collection_pattern, *resource.create_patterns):
                found = pattern.match(path)
                if found and all(r.id_param in found.groupdict() for r in lineage[:-1]):
                    return resource, "collection", tuple(found.group(r.id_param) for r in lineage[:-1])
            if any(pattern.match(path) for pattern in resource.body_id_patterns):
                return resource, "body", ()
        return None

    def _carried_ids(self, resource: Resource, body: Any) -> set[str]:
        """Every id the request's body or query names under ``id_param``, its name in any letter
        case (RPC-style services bind names case-insensitively, and which one wins is theirs)."""
        if isinstance(body, bytes | str):
            try:
                body = json.loads(body)
            except ValueError:
                body = None
        found: set[str] = set()
        for carrier in (body if isinstance(body, dict) else {}, self._query):
            found |= {str(v) for k, v in carrier.items() if str(k).lower() == resource.id_param.lower()}
        return found

    # --- the write guard --------------------------------------------------------------------------
    def check_write(self, method: str, path: str, body: Any = None) -> None:
        """Refuses, before it is sent, any write that could touch a record the run did not create."""
        found = self._match(path)
        if found is not None:
            resource, where, key = found
            if where == "collection" and method == "POST" and self._owns_lineage(resource, key, parent_only=True):
                return
            if where == "collection" and self.allow_collection_write(method, resource, body):
                return
            if where == "tagged" and key[0].startswith(self.tag):
                return
            if where == "item" and resource.body_id_paths:
                # A service that binds ids from the body too may read the body's id over the path's.
                carried = self._carried_ids(resource, body) - {key[-1]}
                if not all(self._owns_or_allowed(method, resource, (other,)) for other in carried):
                    raise RunSafetyError(f"refused {method} {path}: its body names a record the run did not create")
            if where == "item" and self._owns_or_allowed(method, resource, key):
                return
            if where == "body":
                carried = self._carried_ids(resource, body)
                if carried and all(self._owns_or_allowed(method, resource, (one,)) for one in carried):
                    return
        raise RunSafetyError(f"refused {method} {path}: the run did not create that record")

    def allow_collection_write(self, method: str, resource: Resource, body: Any) -> bool:
        """A write to a whole collection other than a create (a batch update): the vendor's call."""
        return False

    def allow_item_write(self, method: str, resource: Resource, key: Key) -> bool:
        """A write to a record the run did not create that the target itself offers for tests (a
        built-in simulator's fixed account, never a live target's record): the vendor's call."""
        return False

    def _owns_or_allowed(self, method: str, resource: Resource, key: Key) -> bool:
        return self.allow_item_write(method, resource, key) or self._owns_lineage(resource, key)

    def _owns_lineage(self, resource: Resource, key: Key, parent_only: bool = False) -> bool:
        lineage = self.api.lineage(resource)
        if parent_only:
            lineage = lineage[:-1]
        for depth, member in enumerate(lineage, start=1):
            # Owned under any parent: a path pairing two of the run's own records (a rate of one of
            # its customers named under another) can touch nothing but the run's records.
            member_key = self.ledger.key_of(member.kind, key[:depth])
            if member_key is None:
                return False
            if self.ledger.is_absent(member.kind, member_key):
                return True  # proved absent: nothing of anyone's is there, nor under it
            self._ensure_verified(member, member_key)
        return True

    def _ensure_verified(self, resource: Resource, key: Key) -> None:
        """Reads the record back before the first write to it: it must be there under this path and
        carry the run's tag. A target that answered a create with the id of someone else's record
        loses that entry from the ledger, and the write is refused."""
        if self.ledger.is_verified(resource.kind, key):
            return
        verdict = self.verify(resource, key)
        if verdict is None:
            self.ledger.mark_verified(resource.kind, key)
            return
        self.ledger.disown(resource.kind, key, verdict)
        problem = f"{resource.kind} {'/'.join(key)}: {verdict}; accord will not write to it"
        self.problems.append(problem)
        raise RunSafetyError(f"refused a write to {problem}")

    def verify(self, resource: Resource, key: Key) -> str | None:
        """None when the record is the run's own (or gone); otherwise why it is not."""
        ids = {r.id_param: k for r, k in zip(self.api.lineage(resource), key, strict=True)}
        record: Any = None
        if resource.readable_item:
            response = self.session.get(self.path(resource.item, **ids))
            if response.status_code == 404:
                return None  # gone: a write to it cannot touch anyone's record
            record = _json_or_none(response) if response.status_code == 200 else None
        if not isinstance(record, dict):  # no item read, or a broken one: look for it in its collection
            query = self.tag_query(resource)
            try:
                record = next((r for r in self._list_under(resource, ids, query)
                               if isinstance(r, dict) and str(r.get(resource.id_field)) == key[-1]), None)
            except (TargetError, requests.RequestException):
                record = None
            if record is None:
                return "neither reading it back nor listing shows it where the run created it"
        if resource.tag_field and not str(record.get(resource.tag_field) or "").startswith(self.tag):
            return f"the target answered a create with its id, but it does not carry the run tag {self.tag}"
        return None

    def _list_under(self, resource: Resource, ids: Mapping[str, str], query: Mapping[str, Any] | None = None
                    ) -> Iterator[Any]:
        path = self.path(resource.collection, **ids)
        return self.api.paging.walk(lambda params: self.session.get(path, params=params), dict(query or {}))

    # --- what the target confirms -----------------------------------------------------------------
    def observe(self, method: str, path: str, response: requests.Response) -> None:
        """Enters what the target confirms it created, notes what a test removed itself, and counts
        a tagged read-back of an owned record as its verification."""
        found = self._match(path)
        if found is None:
            return
        resource, where, key = found
        status = response.status_code
        if method == "POST" and where == "collection" and 200 <= status < 300:
            for created in self.created_ids(resource, _json_or_none(response)):
                self._enter(resource, (*key, created))
        elif method in ("POST", "PUT") and where == "tagged" and 200 <= status < 300:
            body = _json_or_none(response)
            created = body.get(resource.id_field) if isinstance(body, dict) else None
            if created is not None:
                self._enter(resource, (str(created),))
        elif method == "DELETE" and where == "item" and status in (200, 204):
            self.ledger.mark_removed(resource.kind, key)
        elif method == "DELETE" and where == "body" and status in (200, 204):
            for removed in self._carried_ids(resource, None):
                self.ledger.mark_removed(resource.kind, (removed,))
        elif method in SAFE_METHODS and where == "item" and status == 200 and resource.tag_field:
            body = _json_or_none(response)
            if (isinstance(body, dict) and self.ledger.owns(resource.kind, key)
                    and str(body.get(resource.id_field)) == key[-1]
                    and str(body.get(resource.tag_field) or "").startswith(self.tag)):
                self.ledger.mark_verified(resource.kind, key)

    def created_ids(self, resource: Resource, body: Any) -> list[str]:
        """The ids a create answer names: the record's ``id_field``, or each one's in a list."""
        records = body if isinstance(body, list) else [body]
        return [str(r[resource.id_field]) for r in records
                if isinstance(r, dict) and r.get(resource.id_field) not in (None, "", [], {})]

    def _enter(self, resource: Resource, key: Key) -> None:
        parent = (resource.parent, key[:-1]) if resource.parent else None
        label = " of ".join(f"{r.kind} {k}" for r, k in reversed(list(zip(self.api.lineage(resource), key, strict=True))))
        self.ledger.add(resource.kind, key, label, lambda: self.remove(resource, key), parent=parent)

    # --- ids proved absent ------------------------------------------------------------------------
    def absent_id(self, kind: str, **parent_ids: Any) -> str:
        """An id proved to name no record (a 404), so writing to it cannot touch anyone's record."""
        resource = self.api.resource(kind)
        lineage = self.api.lineage(resource)
        parent_key = tuple(str(parent_ids[r.id_param]) for r in lineage[:-1])
        cached = self._absent.get((kind, parent_key))
        if cached is not None:
            return cached[-1]
        listed: set[str] | None = None
        if not resource.readable_item:  # no read of one record: absent means not in its collection
            ids = {r.id_param: parent_ids[r.id_param] for r in lineage[:-1]}
            listed = {str(r.get(resource.id_field)) for r in self._list_under(resource, ids) if isinstance(r, dict)}
        for attempt in range(5):
            candidate = self._candidate(resource, attempt)
            if listed is not None:
                absent = candidate not in listed
            else:
                response = self.session.get(self.path(resource.item, **parent_ids, **{resource.id_param: candidate}))
                absent = response.status_code == 404
            if absent:
                key = (*parent_key, candidate)
                self.ledger.mark_absent(kind, key)
                self._absent[(kind, parent_key)] = key
                return candidate
        raise TargetError(f"found no unused {kind} id to test 404 answers with")

    def _candidate(self, resource: Resource, attempt: int) -> str:
        if resource.id_style == "uuid":
            return str(uuid.UUID(int=(0xACC0 << 112) + ABSENT_BASE + attempt))
        if resource.id_style == "str":
            return f"{self.tag}-absent-{attempt}"
        return str(ABSENT_BASE + attempt)

    # --- clean-up ---------------------------------------------------------------------------------
    def remove(self, resource: Resource, key: Key) -> str:
        """DELETE the record; where the target refuses, ``neutralise`` it (the vendor's call)."""
        ids = {r.id_param: k for r, k in zip(self.api.lineage(resource), key, strict=True)}
        response = self.session.delete(self.path(resource.item, **ids))
        if response.status_code in (200, 204, 404):
            return REMOVED
        return self.neutralise(resource, ids, response)

    def neutralise(self, resource: Resource, ids: Mapping[str, str], response: requests.Response) -> str:
        """Where a record cannot be deleted: make it harmless and say how, or raise."""
        raise TargetError(f"DELETE answered {response.status_code}")

    def verify_listed(self) -> None:
        """Before clean-up: one tagged listing verifies every record of the run it shows, instead of
        a read-back per record before its DELETE."""
        for resource in self.api.top_level:
            if resource.tag_field is None or not resource.sweep_query:
                continue
            query = self.tag_query(resource)
            try:
                for record in self._list_under(resource, {}, query):
                    if isinstance(record, dict) and str(record.get(resource.tag_field) or "").startswith(self.tag):
                        key = (str(record.get(resource.id_field)),)
                        if self.ledger.owns(resource.kind, key):
                            self.ledger.mark_verified(resource.kind, key)
            except (TargetError, requests.RequestException):
                return  # each record is then read back on its own before its DELETE

    def sweep(self) -> list[str]:
        """After clean-up: removes tagged records the ledger never heard of (a create whose answer
        was lost), and names every record of the run that is still there."""
        left: list[str] = []
        for resource in self.api.top_level:
            if resource.tag_field is None or not resource.sweep_query:
                continue
            query = self.tag_query(resource)
            try:
                listed = [r for r in self._list_under(resource, {}, query) if isinstance(r, dict)]
            except TargetError as error:
                return [f"sweep by tag could not list {resource.kind} records: {error}"]
            for record in listed:
                record_id = record.get(resource.id_field)
                if record_id is None or not str(record.get(resource.tag_field) or "").startswith(self.tag):
                    continue
                key = (str(record_id),)
                entry = self.ledger.entry(resource.kind, key)
                if entry is None:  # the run's tag, unknown to the ledger: it is the run's, remove it now
                    self._enter(resource, key)
                    self.ledger.mark_verified(resource.kind, key)
                    entry = self.ledger.entry(resource.kind, key)
                    self.ledger.clean_one(entry)
                if entry.done == REMOVED and self._still_there(resource, key):
                    left.append(f"{entry.label} ({self.tag}) still present after clean-up")
            # A record the target created without the tag (it accepted a form that left the tagged
            # field out) is invisible to the listing: read each such one back on its own.
            for entry in self.ledger.entries(resource.kind):
                if entry.done == REMOVED and not self.ledger.is_verified(resource.kind, entry.key) \
                        and self._still_there(resource, entry.key):
                    left.append(f"{entry.label} (created without the run tag) still present after clean-up")
        return left

    def _still_there(self, resource: Resource, key: Key) -> bool:
        if not resource.readable_item:  # no GET of one record: look for it in the tagged listing
            query = self.tag_query(resource)
            return any(isinstance(r, dict) and str(r.get(resource.id_field)) == key[0]
                       for r in self._list_under(resource, {}, query))
        return self.session.get(self.path(resource.item, **{resource.id_param: key[0]})).status_code != 404
