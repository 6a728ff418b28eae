"""Public holidays for the plan, from the ``holidays`` package (imported on first use).

A country is an ISO 3166-1 alpha-2 code (``US``, ``DE``), optionally with an
ISO 3166-2 subdivision (``US-CA``, ``DE-BY``) for regional holidays. The
package is imported only when a country is given: ``import thankyou`` stays
light.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

__all__ = ["holiday_name", "known_country", "next_working_day"]

#: Saturday and Sunday (``date.weekday()``).
_WEEKEND = (5, 6)


def _split(code: str) -> tuple[str, str | None]:
    country, _, subdiv = code.partition("-")
    return country, subdiv or None


@functools.cache
def _supported() -> dict[str, list[str]]:
    import holidays  # lazy: about 50 ms to import

    return dict(holidays.list_supported_countries())


def known_country(code: str) -> bool:
    """True when ``holidays`` knows the country (and the subdivision, if one is given)."""
    country, subdiv = _split(code)
    subdivisions = _supported().get(country)
    if subdivisions is None:
        return False
    return subdiv is None or subdiv in subdivisions


@functools.lru_cache(maxsize=64)
def _calendar(code: str, year: int) -> Any:
    import holidays

    country, subdiv = _split(code)
    return holidays.country_holidays(country, subdiv=subdiv, years=year)


def holiday_name(day: dt.date, country: str) -> str | None:
    """The name of the public holiday on ``day`` in ``country``, or None."""
    name = _calendar(country, day.year).get(day)
    return None if name is None else str(name)


def next_working_day(day: dt.date, country: str | None) -> tuple[dt.date, str | None]:
    """The first day from ``day`` on that is neither a weekend nor a public holiday.

    Args:
        day: The day a step would fall on.
        country: ISO 3166 code (``US``, ``DE-BY``); None skips weekends only.

    Returns:
        The working day, and the name of the first holiday that moved it (None
        when no holiday did: the day was free, or only a weekend was skipped).
    """
    moved_by: str | None = None
    for _ in range(30):  # no calendar has a month of holidays in a row
        name = holiday_name(day, country) if country else None
        if day.weekday() not in _WEEKEND and name is None:
            return day, moved_by
        moved_by = moved_by or name
        day += dt.timedelta(days=1)
    return day, moved_by
