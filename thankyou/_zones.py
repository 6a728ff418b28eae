"""Where a naive date-time gets its zone: one rule for the plan and the checks.

A facts file may give the interview as ``2026-03-08T02:30`` with no offset: a
wall-clock time in the user's zone (the ``tz`` argument, else the machine's). Twice a year
such a time is ambiguous, and it is resolved as :mod:`zoneinfo` resolves it
(PEP 495, https://peps.python.org/pep-0495/):

* a time that happens twice, when the clocks go back, is the *first* of the two
  (``fold=0``, still on summer time): ``2026-11-01T01:30`` in New York is
  01:30 EDT (-04:00);
* a time that never happens, when the clocks go forward, moves forward by the
  length of the gap: ``2026-03-08T02:30`` in New York is 03:30 EDT (-04:00).
"""

from __future__ import annotations

import datetime as dt

__all__ = ["attach_zone"]


def attach_zone(moment: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """Return ``moment`` with a zone: its own, else ``tz``, else the machine's local zone.

    Args:
        moment: A date-time; an aware one is returned unchanged.
        tz: The zone of naive times; None for the machine's zone.

    Returns:
        An aware date-time whose wall time exists in its zone (see the module).
    """
    if moment.tzinfo is not None:
        return moment
    if tz is None:
        return _local(moment)
    # Through UTC and back: a wall time inside a gap comes back as the time it
    # actually is (02:30 EST-that-never-was is 03:30 EDT); others come back unchanged.
    return moment.replace(tzinfo=tz, fold=0).astimezone(dt.UTC).astimezone(tz)


def _local(moment: dt.datetime) -> dt.datetime:
    """The machine's zone, by the same rule as zoneinfo's.

    ``datetime.astimezone()`` on a naive time reads a gap time with the offset
    from *after* the gap when ``fold=0`` (02:30 becomes 01:30 EST), the reverse
    of zoneinfo; in a gap, ``fold=1`` gives zoneinfo's answer.
    """
    first = moment.replace(fold=0).astimezone()
    if first.astimezone(dt.UTC).astimezone().replace(tzinfo=None) == moment:
        return first.astimezone(dt.UTC).astimezone()  # the wall time exists
    return moment.replace(fold=1).astimezone().astimezone(dt.UTC).astimezone()
