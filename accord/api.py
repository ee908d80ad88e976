"""The shape of a vendor's API, declared as data: resources, paths, paging, bodies, errors.

A vendor states what its API looks like; the shared client (``accord.client``) derives from it
every rule of doing no harm on a shared sandbox: which writes are the run's own, how a created
record's id comes back, how to prove an id absent, and how to find the run's leftovers. Five
vendors speak five API styles, and one declaration each keeps the safety rules in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from accord.pagination import NoPagination, Pagination

_PARAM = re.compile(r"\{(\w+)\}")
ID_STYLES = ("int", "uuid", "str")


def compile_template(template: str) -> re.Pattern[str]:
    """``/customers/{id}/rates`` -> a regex with one named group per parameter (no slash inside)."""
    return re.compile("^" + _PARAM.sub(lambda m: rf"(?P<{m.group(1)}>[^/]+)", re.escape(template).replace(r"\{", "{")
                                       .replace(r"\}", "}")) + "$")


def fill(template: str, values: Mapping[str, Any]) -> str:
    """The template with each ``{name}`` replaced by its value."""
    return _PARAM.sub(lambda m: str(values[m.group(1)]), template)


@dataclass(frozen=True)
class Resource:
    """One kind of record the run may create, and how its paths name it.

    ``collection`` is where records are created and listed; ``item`` addresses one record through
    ``id_param``. A child resource (``parent``) has its parent's id parameter in its own templates
    too, so a write to a child is the run's own only when parent and child both are.
    """

    kind: str
    collection: str
    item: str
    id_param: str = "id"
    parent: str | None = None
    id_field: str = "id"  # where a create answer (or a listed record) holds the record's id
    id_style: str = "int"  # what ids look like, for ids proved absent: int | uuid | str
    tag_field: str | None = None  # the field that carries the run's tag; None: the record carries none
    item_paths: tuple[str, ...] = ()  # more templates naming one record by id_param (e.g. ".../{id}/meta")
    tagged_key_paths: tuple[str, ...] = ()  # templates naming a record by a key that carries the tag
    # RPC-style routes (one path per operation, the record named in the body or the query string):
    create_paths: tuple[str, ...] = ()  # more templates where a POST creates a record, like the collection
    body_id_paths: tuple[str, ...] = ()  # templates whose writes name one record by ``id_param`` in body or query
    readable_item: bool = True  # GET on the item path reads one record (else: look in the collection)
    sweep_query: Mapping[str, str] = field(default_factory=dict)  # list query for the run's records; {tag} filled

    def __post_init__(self) -> None:
        if self.id_style not in ID_STYLES:
            raise ValueError(f"{self.kind}: id_style {self.id_style!r} is not one of {ID_STYLES}")
        if "{" + self.id_param + "}" not in self.item:
            raise ValueError(f"{self.kind}: item path {self.item!r} has no {{{self.id_param}}}")
        if self.body_id_paths and self.parent is not None:
            raise ValueError(f"{self.kind}: body_id_paths name a top-level record only")

    @cached_property
    def item_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_template(t) for t in (self.item, *self.item_paths))

    @cached_property
    def collection_pattern(self) -> re.Pattern[str]:
        return compile_template(self.collection)

    @cached_property
    def create_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_template(t) for t in self.create_paths)

    @cached_property
    def body_id_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_template(t) for t in self.body_id_paths)

    @cached_property
    def tagged_key_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(compile_template(t) for t in self.tagged_key_paths)


@dataclass(frozen=True)
class Api:
    """Everything shared code needs to know about a vendor's API style.

    ``context`` names path parameters that come from the target's settings rather than from a
    record (an account id): parameter name -> setting field. ``body_encoding`` is how the
    vendor takes request bodies (json | form | multipart); the contract may declare more per
    operation. ``error_fields`` are the keys of the vendor's error envelope, for messages.
    """

    resources: tuple[Resource, ...]
    paging: Pagination = field(default_factory=NoPagination)
    body_encoding: str = "json"
    context: Mapping[str, str] = field(default_factory=dict)
    error_fields: tuple[str, ...] = ("message",)

    def __post_init__(self) -> None:
        kinds = [r.kind for r in self.resources]
        if len(set(kinds)) != len(kinds):
            raise ValueError(f"resource kinds must be unique: {kinds}")
        for resource in self.resources:
            if resource.parent is not None and resource.parent not in kinds:
                raise ValueError(f"{resource.kind}: parent {resource.parent!r} is not a declared resource")

    def resource(self, kind: str) -> Resource:
        for resource in self.resources:
            if resource.kind == kind:
                return resource
        raise KeyError(f"no resource {kind!r}; declared: {', '.join(r.kind for r in self.resources)}")

    def lineage(self, resource: Resource) -> list[Resource]:
        """The resource and its ancestors, outermost first."""
        chain = [resource]
        while chain[0].parent is not None:
            chain.insert(0, self.resource(chain[0].parent))
        return chain

    @property
    def top_level(self) -> list[Resource]:
        return [r for r in self.resources if r.parent is None]
