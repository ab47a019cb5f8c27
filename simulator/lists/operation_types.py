"""The base of every PROPERTY operation, and the operation types that compare a property with another property of the
same record (COMPARATIVE_*) or place its date in the calendar (CALENDAR_DATE, DATE).

Shapes from HubSpot's crm-lists-v3 document (`PublicComparativeDatePropertyOperation`, ...). The document leaves
`operator` a free string for these; the operators are those HubSpot's property-operation definitions list
(`datetime-comparative`, `string-comparative`, `calendar-date`, `date`). `simulator.lists.language` joins them into
the PropertyOperation union.
"""

from __future__ import annotations

from datetime import date
from typing import Literal, get_args

from pydantic import Field, ValidationInfo, field_validator

from simulator.crm.values import parse_datetime
from simulator.wire import WireModel

Month = Literal["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER",
                "NOVEMBER", "DECEMBER"]  # fmt: skip
ShortMonth = Literal["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
MONTHS: tuple[str, ...] = get_args(Month)
_SHORT: tuple[str, ...] = get_args(ShortMonth)
MAX_TIME_UNIT_COUNT = 1000  # hubsim's bound on timeUnitCount (HubSpot's is not documented): no window leaves the era


class Model(WireModel):
    """Echoed as HubSpot does: every default (filterBranchOperator, includeObjectsWithNoValueSet) filled in."""


class Operation(Model):
    include_objects_with_no_value_set: bool = False


class Comparative(Operation):
    """The property against another property of the same record; `defaultComparisonValue` stands in for the other
    property when that has no value."""

    comparison_property_name: str = Field(min_length=1)
    default_comparison_value: str | None = None


class ComparativeTime(Comparative):
    """A comparison of instants: the default is a date or time too."""

    operator: Literal["IS_BEFORE", "IS_AFTER"]

    @field_validator("default_comparison_value")
    @classmethod
    def _a_time(cls, value: str | None) -> str | None:
        if value is not None and parse_datetime(value) is None:
            raise ValueError(f"{value!r} is not a date or time (ISO-8601 or epoch milliseconds)")
        return value


class ComparativeDateOperation(ComparativeTime):
    operation_type: Literal["COMPARATIVE_DATE"]


class ComparativePropertyUpdatedOperation(ComparativeTime):
    """When the property was last written against when the other one was."""

    operation_type: Literal["COMPARATIVE_PROPERTY_UPDATED"]


class ComparativeStringOperation(Comparative):
    operation_type: Literal["COMPARATIVE_STRING"]
    operator: Literal["IS_EQUAL_TO", "IS_NOT_EQUAL_TO", "CONTAINS", "DOES_NOT_CONTAIN", "STARTS_WITH", "ENDS_WITH"]


class CalendarDateOperation(Operation):
    """The value falls in this / the last N / the next N calendar days, weeks, months, quarters or years."""

    operation_type: Literal["CALENDAR_DATE"]
    operator: Literal["IN_THIS_TIME_UNIT", "IN_THIS_TIME_UNIT_SO_FAR", "IN_LAST_TIME_UNIT", "IN_NEXT_TIME_UNIT"]
    time_unit: Literal["DAY", "WEEK", "MONTH", "QUARTER", "YEAR"]
    time_unit_count: int = Field(default=1, ge=1, le=MAX_TIME_UNIT_COUNT)
    use_fiscal_year: bool = False
    fiscal_year_start: Month | None = None

    @property
    def fiscal_offset(self) -> int:
        """Months from January to the first month of the year the quarters and years count from."""
        if not self.use_fiscal_year or self.time_unit not in ("QUARTER", "YEAR"):
            return 0
        return MONTHS.index(self.fiscal_year_start or "JANUARY")  # HubSpot's default fiscal year: January


class DateOperation(Operation):
    """The value's day is, is before or is after one calendar day."""

    operation_type: Literal["DATE"]
    operator: Literal["EQUAL", "BEFORE", "AFTER"]
    year: int = Field(ge=1, le=9999)
    month: ShortMonth
    day: int = Field(ge=1, le=31)

    @field_validator("month", mode="before")
    @classmethod
    def _month(cls, value: object) -> object:
        """HubSpot's three-letter names; a full month name or another case is read as the same month."""
        if isinstance(value, str):
            value = value.upper()
            return value[:3] if value in MONTHS else value
        return value

    @field_validator("day")
    @classmethod
    def _a_day_of_the_month(cls, day: int, info: ValidationInfo) -> int:
        year, month = info.data.get("year"), info.data.get("month")
        if year is not None and month is not None:
            try:
                date(year, _SHORT.index(month) + 1, day)
            except ValueError:
                raise ValueError(f"{month} {year} has no day {day}") from None
        return day

    @property
    def calendar_day(self) -> date:
        return date(self.year, _SHORT.index(self.month) + 1, self.day)
