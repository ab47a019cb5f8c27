"""What a search filter means: each property type's comparable form, and every operator compiled once per request.

A record's value is turned into its comparable form once per write (the search index caches it); a filter's value
is parsed once per request. Comparing is then one cheap Python comparison per record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from simulator.crm.properties import PropertyDefinition
from simulator.crm.values import parse_datetime
from simulator.errors import ValidationError

OPERATORS = (
    "EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN",
    "HAS_PROPERTY", "NOT_HAS_PROPERTY", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN",
)  # fmt: skip
TOKENS = "tokens"  # the column kind of CONTAINS_TOKEN: a record's set of tokens
ASSOCIATIONS = "associations"  # the kind of an `associations.{type}` filter: it selects ids, it reads no value
Test = Callable[[Any], bool]  # a record's comparable value (None: it has none) -> whether it matches
Scan = Callable[[Mapping[int, Any]], list[int]]  # a column (id -> comparable value) -> the ids that match
_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits
_EMAIL = re.compile(r"[^\s@,;:<>()\[\]\"']+@[^\s@,;:<>()\[\]\"']+")


def value_kind(definition: PropertyDefinition) -> str:
    """The comparable family of a property: how its stored strings compare."""
    if definition.type == "number":
        return "number"
    if definition.type in ("date", "datetime"):
        return "time"
    if definition.type == "bool":
        return "bool"
    if definition.type == "enumeration":
        return "options" if definition.field_type == "checkbox" else "enumeration"
    return "text"


def comparable(kind: str, raw: str | None) -> Any:
    """A stored value in its comparable form: numbers as floats, dates as epoch ms, text lower-cased (HubSpot
    compares case-insensitively), enumerations as they are (case-sensitive), multiple checkboxes as a set."""
    if raw is None:
        return None
    if kind == "number":
        try:
            return float(raw)
        except ValueError:
            return None
    if kind == "time":
        return _epoch_ms(raw)
    if kind == "enumeration":
        return raw
    if kind == "options":
        return frozenset(v for v in raw.split(";") if v)
    if kind == TOKENS:
        return tokens(raw)
    return raw.lower()  # text and bool


def tokens(text: str) -> frozenset[str]:
    """Whole words (runs of letters and digits) and whole email addresses, lower-cased: what CONTAINS_TOKEN matches."""
    lowered = text.lower()
    found = _WORD.findall(lowered)
    if "@" in lowered:
        found += _EMAIL.findall(lowered)
    return frozenset(found)


def _epoch_ms(raw: str) -> int | None:
    try:  # the stored form (ISO-8601, HubSpot's format) first: ten times faster than the general parser
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = parse_datetime(raw)
        if moment is None:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


@dataclass(frozen=True)
class Condition:
    """One compiled filter. `test` takes the record's comparable value (None when it has none)."""

    property_name: str
    kind: str
    test: Test
    # Token filters also answer from the index's postings (token -> ids), much faster than testing each record;
    # association filters only answer that way (they read the association store, not a value).
    select: Callable[[Mapping[str, Collection[int]]], set[int]] | None = None
    negated: bool = False  # select gives the ids that do NOT match
    # For a filter that a record without a value fails: the ids of a column (id -> comparable value, present values
    # only) that pass, in one comprehension with the comparison inline - three times faster than calling `test`.
    scan: Scan | None = None

    def matches(self, record_id: int, values: Mapping[str, str]) -> bool:
        if self.kind == ASSOCIATIONS:
            return (record_id in self.select({})) != self.negated
        return self.test(comparable(self.kind, values.get(self.property_name)))


def compile_filter(
    definition: PropertyDefinition, operator: str, value: Any, high_value: Any, values: Any
) -> Condition:
    """Validate one filter and compile it; every mistake is a 400 that names the filter."""
    name = definition.name
    if operator not in OPERATORS:
        raise ValidationError(
            f"Unknown filter operator {operator!r} on property {name}: use one of {', '.join(OPERATORS)}"
        )
    if operator == "HAS_PROPERTY":
        return Condition(name, value_kind(definition), _present, scan=list)
    if operator == "NOT_HAS_PROPERTY":
        return Condition(name, value_kind(definition), _absent)
    if operator in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        return _token_condition(name, operator, _required(name, operator, value, "value"))
    kind = value_kind(definition)
    if operator in ("IN", "NOT_IN"):
        if values is None or not isinstance(values, list) or not values:
            raise ValidationError(f"Filter {name} {operator} needs a non-empty `values` array (not `value`)")
        # HubSpot matches IN values against its lower-cased index without lower-casing them: "values must be
        # lowercase" for string properties (search guide), so an upper-case value never matches.
        wanted = {_parse(kind, name, operator, v, lower=False) for v in values}
        if kind == "options":
            inside = lambda v: v is not None and not v.isdisjoint(wanted)  # noqa: E731
        else:
            inside = wanted.__contains__
        if operator == "NOT_IN":
            return Condition(name, kind, _negate(inside))
        return Condition(name, kind, inside, scan=_scanner(inside))
    target = _parse(kind, name, operator, _required(name, operator, value, "value"))
    if kind == "options":
        if operator not in ("EQ", "NEQ"):
            raise ValidationError(f"Filter {name} {operator}: a multiple-checkbox property has no order; use EQ or IN")
        chosen = lambda v: v is not None and target in v  # noqa: E731
        if operator == "NEQ":
            return Condition(name, kind, _negate(chosen))
        return Condition(name, kind, chosen, scan=_scanner(chosen))
    if operator == "NEQ":
        return Condition(name, kind, lambda v: v != target)  # a record without a value matches (see _negate)
    high = None
    if operator == "BETWEEN":
        high = _parse(kind, name, operator, _required(name, operator, high_value, "highValue"))
    test, scan = _compare(operator, target, high)
    return Condition(name, kind, test, scan=scan)


def _compare(operator: str, low: Any, high: Any) -> tuple[Test, Scan]:
    """The test of one value and the scan of a column, side by side: they must agree. Both run once per record,
    so each is one small function with no call or lookup inside."""
    if operator == "EQ":
        return (lambda v: v == low), (lambda column: [i for i, v in column.items() if v == low])
    if operator == "LT":
        return (lambda v: v is not None and v < low), (lambda column: [i for i, v in column.items() if v < low])
    if operator == "LTE":
        return (lambda v: v is not None and v <= low), (lambda column: [i for i, v in column.items() if v <= low])
    if operator == "GT":
        return (lambda v: v is not None and v > low), (lambda column: [i for i, v in column.items() if v > low])
    if operator == "GTE":
        return (lambda v: v is not None and v >= low), (lambda column: [i for i, v in column.items() if v >= low])
    return (
        (lambda v: v is not None and low <= v <= high),
        (lambda column: [i for i, v in column.items() if low <= v <= high]),
    )


def _scanner(test: Test) -> Scan:
    return lambda column: [i for i, v in column.items() if test(v)]


def _present(v: Any) -> bool:
    return v is not None


def _absent(v: Any) -> bool:
    return v is None


def _negate(test: Callable[[Any], Any]) -> Callable[[Any], bool]:
    # NEQ, NOT_IN and NOT_CONTAINS_TOKEN are the complements of their positive operators: a record without a value
    # matches them (see docs/differences.md, Search).
    return lambda v: not test(v)


def _required(name: str, operator: str, given: Any, field: str) -> Any:
    if given is None:
        raise ValidationError(f"Filter {name} {operator} needs a `{field}`")
    return given


def _text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def _parse(kind: str, name: str, operator: str, raw: Any, lower: bool = True) -> Any:
    """A filter value in the comparable form of its property; one that cannot be is a 400, never a silent miss."""
    text = _text(raw)
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            raise ValidationError(f"Filter {name} {operator}: {text!r} is not a number ({name} is a number property)")
        return number
    if kind == "time":
        moment = parse_datetime(text.strip())
        if moment is None:
            raise ValidationError(
                f"Filter {name} {operator}: {text!r} is not a date; use epoch milliseconds (or ISO-8601)"
            )
        return int(moment.timestamp() * 1000)
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise ValidationError(f"Filter {name} {operator}: {text!r} is not true or false")
        return text.lower()
    if kind in ("enumeration", "options"):
        return text  # enumerations compare case-sensitively (search guide)
    return text.lower() if lower else text


def _token_condition(name: str, operator: str, raw: Any) -> Condition:
    text = _text(raw).strip().lower()
    if "*" in text:
        pattern = _wildcard(text)

        def select(postings: Mapping[str, Collection[int]]) -> set[int]:
            found: set[int] = set()
            for token, ids in postings.items():
                if pattern(token):
                    found.update(ids)
            return found

        def test(v: Any) -> bool:
            return v is not None and any(pattern(t) for t in v)
    else:
        needed = tokens(text)
        if not needed:
            raise ValidationError(f"Filter {name} {operator}: {raw!r} holds no word to look for")

        def select(postings: Mapping[str, Collection[int]]) -> set[int]:
            ordered = sorted((postings.get(t, ()) for t in needed), key=len)
            return set(ordered[0]).intersection(*ordered[1:])

        def test(v: Any) -> bool:
            return v is not None and needed <= v

    if operator == "CONTAINS_TOKEN":
        return Condition(name, TOKENS, test, select)
    return Condition(name, TOKENS, _negate(test), select, negated=True)


def association_condition(
    name: str, operator: str, value: Any, values: Any, linked: Callable[[str], Collection[int]]
) -> Condition:
    """`associations.{type}` (search guide, "Search through associations"): the records linked to the given ones;
    `linked(id)` gives the ids of this object type linked to that record."""
    if operator in ("EQ", "NEQ"):
        wanted = [_text(_required(name, operator, value, "value"))]
    elif operator in ("IN", "NOT_IN"):
        if not isinstance(values, list) or not values:
            raise ValidationError(f"Filter {name} {operator} needs a non-empty `values` array (not `value`)")
        wanted = [_text(v) for v in values]
    else:
        raise ValidationError(f"Filter {name} {operator}: an associations filter takes EQ, NEQ, IN or NOT_IN")

    def select(_source: Any) -> set[int]:
        return {record_id for target in wanted for record_id in linked(target)}

    negated = operator in ("NEQ", "NOT_IN")
    return Condition(name, ASSOCIATIONS, lambda v: negated, select, negated=negated)


def _wildcard(pattern: str) -> Callable[[str], bool]:
    """`*` stands for any characters; the pattern must match a whole token (`*@hubspot.com`, `ann*`)."""
    inner = pattern.strip("*")
    if "*" not in inner:
        if pattern.startswith("*") and pattern.endswith("*"):
            return inner.__contains__ if inner else (lambda token: True)
        if pattern.startswith("*"):
            return lambda token: token.endswith(inner)
        return lambda token: token.startswith(inner)
    regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")), re.DOTALL)
    return lambda token: regex.fullmatch(token) is not None
