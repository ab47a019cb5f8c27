"""CRM search, POST /crm/v3/objects/{objectType}/search: filterGroups, query, one sort, offset paging, HubSpot's limits.

Semantics (search guide, https://developers.hubspot.com/docs/api-reference/search/guide) live in search_filters.py;
the per-property index that keeps this fast on 100,000 records, and the opt-in indexing delay, in search_index.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal, Self

from pydantic import Field

from simulator.crm.objects import ObjectStore
from simulator.crm.properties import PropertyDefinition
from simulator.crm.search_filters import Condition, association_condition, compile_filter, value_kind
from simulator.crm.search_index import SearchIndex
from simulator.errors import ValidationError
from simulator.wire import WireModel, cursor, decode_json

# HubSpot's limits, from the search guide's "Limits" section.
MAX_FILTER_GROUPS = 5  # "a maximum of five filterGroups"
MAX_FILTERS_PER_GROUP = 6  # "with up to six filters in each group"
MAX_FILTERS = 18  # "with a maximum of 18 filters in total"
SEARCH_PAGE_LIMIT = 200  # "The maximum number of supported objects per page is 200"
DEFAULT_PAGE_SIZE = 10  # "By default, the search endpoints will return pages of 10 records at a time"
MAX_REQUEST_CHARS = 3_000  # "If the body of your request exceeds 3,000 characters, a 400 error will be returned"
RESULT_WINDOW = 10_000  # "limited to 10,000 total results ... Attempting to page beyond 10,000 will result in a 400"
MAX_INDEX_DELAY_MS = 86_400_000  # the simulator's bound on searchIndexDelayMs (a day)

Scalar = str | int | float | bool


class SearchFilter(WireModel):
    property_name: str
    operator: str
    value: Scalar | None = None
    high_value: Scalar | None = None
    values: list[Scalar] | None = None


class SearchFilterGroup(WireModel):
    filters: list[SearchFilter]


class SearchSort(WireModel):
    property_name: str
    direction: Literal["ASCENDING", "DESCENDING"] = "ASCENDING"


class SearchRequest(WireModel):
    filter_groups: list[SearchFilterGroup] = Field(default_factory=list)
    query: str | None = None
    # The spec (and so the SDKs) types sorts as strings; HubSpot's docs send objects. Both are accepted.
    sorts: list[SearchSort | str] = Field(default_factory=list)
    properties: list[str] = Field(default_factory=list)
    limit: int = DEFAULT_PAGE_SIZE
    after: str | int | None = None

    @classmethod
    def from_body(cls, raw: bytes) -> Self:
        """HubSpot refuses a search body over 3,000 characters before reading it."""
        length = len(raw.decode("utf-8", errors="replace"))
        if length > MAX_REQUEST_CHARS:
            raise ValidationError(
                f"The search request body is {length:,} characters long; HubSpot accepts at most "
                f"{MAX_REQUEST_CHARS:,}. Use fewer or shorter filters (IN takes a list of values)."
            )
        return cls.parse(decode_json(raw))


class ObjectSearch:
    """Search over one object store of a portal."""

    def __init__(
        self,
        store: ObjectStore,
        *,
        lock: threading.RLock,
        now: Callable[[], datetime],
        delay_ms: Callable[[], int],
    ):
        self.store = store
        self._lock = lock
        self._now = now
        self._index = SearchIndex(store, lambda: timedelta(milliseconds=delay_ms()))

    def search(self, request: SearchRequest) -> dict[str, Any]:
        """CollectionResponseWithTotalSimplePublicObject: total, one page of results, paging.next.after unless last."""
        groups = self._compile(request.filter_groups)
        sort = self._sort(request.sorts)
        offset, limit = self._page(request.after, request.limit)
        terms = (request.query or "").lower().split()
        with self._lock:
            view = self._index.view(self._now())
            ids = view.matching(groups, terms, self._searchable() if terms else [])
            if sort is not None:
                ids = view.ordered(ids, *sort)
            page = ids[offset : offset + limit]
            body: dict[str, Any] = {
                "total": len(ids),
                "results": [self.store.view(view.record(i), properties=request.properties or None) for i in page],
            }
        if offset + limit < len(ids):
            body["paging"] = {"next": {"after": str(offset + limit)}}
        return body

    # --- validation: everything checked before anything is read -------------------------------------------------

    def _compile(self, filter_groups: list[SearchFilterGroup]) -> list[list[Condition]]:
        if len(filter_groups) > MAX_FILTER_GROUPS:
            raise ValidationError(
                f"Too many filterGroups: {len(filter_groups)}. A search takes at most {MAX_FILTER_GROUPS} "
                f"filterGroups, each of at most {MAX_FILTERS_PER_GROUP} filters, {MAX_FILTERS} filters in all."
            )
        for position, group in enumerate(filter_groups):
            if not group.filters:
                raise ValidationError(f"filterGroups[{position}] has no filters; a filter group needs at least one")
            if len(group.filters) > MAX_FILTERS_PER_GROUP:
                raise ValidationError(
                    f"Too many filters in filterGroups[{position}]: {len(group.filters)}. A filter group takes at "
                    f"most {MAX_FILTERS_PER_GROUP} filters."
                )
        total = sum(len(group.filters) for group in filter_groups)
        if total > MAX_FILTERS:
            raise ValidationError(
                f"Too many filters: {total} across all filterGroups. A search takes at most {MAX_FILTERS} filters."
            )
        return [[self._condition(f) for f in group.filters] for group in filter_groups]

    def _condition(self, given: SearchFilter) -> Condition:
        name, operator = given.property_name, given.operator
        if not name.startswith("associations."):
            definition = self._definition(name, "filter")
            return compile_filter(definition, operator, given.value, given.high_value, given.values)
        links = self.store.associations
        if links is None:
            raise ValidationError(f"Searching through associations ({name}) is not simulated for this object type")
        other, mine = self.store.resolve_type(name.partition(".")[2]), self.store.type

        def linked(other_id: str) -> list[int]:
            return [int(my_id) for my_id, _types in links.targets(other, other_id, mine)]

        return association_condition(name, operator, given.value, given.values, linked)

    def _sort(self, sorts: list[SearchSort | str]) -> tuple[str, str, bool] | None:
        if not sorts:
            return None
        if len(sorts) > 1:
            raise ValidationError(f"Only one sort rule can be applied to a search; got {len(sorts)}")
        rule = sorts[0] if isinstance(sorts[0], SearchSort) else SearchSort(property_name=sorts[0])
        kind = value_kind(self._definition(rule.property_name, "sort"))
        # A multiple-checkbox value sorts by its text, like an enumeration.
        return rule.property_name, "enumeration" if kind == "options" else kind, rule.direction == "DESCENDING"

    @staticmethod
    def _page(after: str | int | None, limit: int) -> tuple[int, int]:
        if not 1 <= limit <= SEARCH_PAGE_LIMIT:
            raise ValidationError(f"limit must be between 1 and {SEARCH_PAGE_LIMIT}, got {limit}")
        offset = cursor(after) or 0
        if offset + limit > RESULT_WINDOW:
            raise ValidationError(
                f"Search results are limited to {RESULT_WINDOW:,}: after ({offset}) plus limit ({limit}) goes past "
                f"result {RESULT_WINDOW:,}. Narrow the search (for example by createdate ranges) instead of paging on."
            )
        return offset, limit

    def _definition(self, name: str, used_as: str) -> PropertyDefinition:
        definition = self.store.properties.definition(name)
        if definition is not None:
            return definition
        raise ValidationError(
            f"There is no property {name!r} on {self.store.type.name}: a search {used_as} must name an existing "
            "property"
        )

    def _searchable(self) -> list[str]:
        """What `query` reads: HubSpot's default searchable properties of the type (ObjectType.search_properties),
        else its default properties."""
        names = self.store.type.search_properties or self.store.type.default_properties
        return [n for n in names if self.store.properties.definition(n) is not None]
