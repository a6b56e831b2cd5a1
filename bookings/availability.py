"""Free slots: one pure function, and the loader that feeds it from the database.

`slots_free` knows nothing of the ORM: it takes a staff member's weekly intervals,
dated exceptions, what is already booked (with buffers) and the business's rules, and
returns the start instants (UTC) a service of a given length fits.

Daylight saving: candidates are laid on the business's *wall clock* grid (09:00, 09:15, …)
of each local day, so 09:00 is 09:00 local on both sides of a change. A wall time that does
not exist (the skipped hour) is never offered; a wall time that exists twice (the repeated
hour) is offered once, at its first occurrence. Durations are measured in real time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WeeklyInterval:
    weekday: int  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class DatedInterval:
    start: datetime  # aware
    end: datetime


@dataclass(frozen=True)
class Rules:
    interval_minutes: int = 15
    earliest: datetime | None = None  # now + minimum notice
    latest_day: date | None = None  # last local day bookable (today + max advance)


@dataclass
class StaffCalendar:
    """What `slots_free` needs about one staff member."""

    weekly: Sequence[WeeklyInterval]
    off: Sequence[DatedInterval] = field(default_factory=list)
    extra: Sequence[DatedInterval] = field(default_factory=list)
    busy: Sequence[DatedInterval] = field(default_factory=list)  # start → end + buffer


def _wall_to_utc(day: date, wall: time, tz: ZoneInfo) -> datetime | None:
    """The instant of a local wall time, or None if that wall time does not exist that day."""
    local = datetime.combine(day, wall, tzinfo=tz)  # fold=0: the first of a repeated time
    utc = local.astimezone(UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # skipped by a spring-forward change
    return utc


def _local_wall_grid(
    start_utc: datetime, end_utc: datetime, tz: ZoneInfo, step: timedelta
) -> Iterable[datetime]:
    """Instants on the wall-clock grid from `start_utc`'s local time up to `end_utc`."""
    if start_utc > end_utc:
        return
    local_start = start_utc.astimezone(tz)
    if local_start.utcoffset() == end_utc.astimezone(tz).utcoffset():
        # No change of offset inside (intervals are shorter than a day): the wall grid is
        # the real-time grid, and plain arithmetic is much faster than zone conversions.
        count = int((end_utc - start_utc) / step)
        for k in range(count + 1):
            yield start_utc + k * step
        return
    local_end = end_utc.astimezone(tz).replace(tzinfo=None)
    local_start = local_start.replace(tzinfo=None)
    # Across a fall-back change the local end can read earlier than it is: allow an hour more.
    wall = local_start
    seen: set[datetime] = set()
    while wall <= local_end + timedelta(hours=1):
        instant = _wall_to_utc(wall.date(), wall.time(), tz)
        if instant is not None and instant >= start_utc and wall not in seen:
            if instant > end_utc:
                break
            seen.add(wall)
            yield instant
        wall += step


def _working_intervals(
    calendar: StaffCalendar, day: date, tz: ZoneInfo
) -> list[tuple[datetime, datetime]]:
    out: list[tuple[datetime, datetime]] = []
    for interval in calendar.weekly:
        if interval.weekday != day.weekday():
            continue
        # A boundary in the skipped hour moves to the first instant after it.
        start = datetime.combine(day, interval.start, tzinfo=tz).astimezone(UTC)
        end = datetime.combine(day, interval.end, tzinfo=tz).astimezone(UTC)
        if start < end:
            out.append((start, end))
    day_start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    for extra in calendar.extra:
        start, end = max(extra.start, day_start), min(extra.end, day_end)
        if start < end:
            out.append((start.astimezone(UTC), end.astimezone(UTC)))
    return sorted(out)


class _Blocks:
    """Intervals answering "does [start, end) overlap any of you?" in O(log n)."""

    def __init__(self, intervals: Iterable[DatedInterval]) -> None:
        ordered = sorted(intervals, key=lambda i: i.start)
        self.starts = [i.start for i in ordered]
        # An interval starting before `end` overlaps iff it ends after `start`: the largest
        # end among those that start before `end` decides.
        self.max_end: list[datetime] = []
        for interval in ordered:
            previous = self.max_end[-1] if self.max_end else interval.end
            self.max_end.append(max(previous, interval.end))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        index = bisect.bisect_left(self.starts, end)
        return index > 0 and self.max_end[index - 1] > start


def slots_free_by_day(
    *,
    calendar: StaffCalendar,
    day_from: date,
    day_to: date,
    tz: ZoneInfo,
    duration: timedelta,
    buffer: timedelta,
    rules: Rules,
) -> dict[date, list[datetime]]:
    """Start instants (UTC, ascending) of every free slot, by local day, day_from..day_to.

    A slot fits when [start, start + duration) lies inside one working interval (weekly
    hours or an extra session), touches no time off, and [start, start + duration + buffer)
    overlaps nothing already booked (whose own buffers are in `busy`).
    """
    step = timedelta(minutes=rules.interval_minutes)
    off = _Blocks(calendar.off)
    busy = _Blocks(calendar.busy)
    last_day = day_to if rules.latest_day is None else min(day_to, rules.latest_day)
    by_day: dict[date, list[datetime]] = {}
    day = day_from
    while day <= last_day:
        found: set[datetime] = set()
        for work_start, work_end in _working_intervals(calendar, day, tz):
            for start in _local_wall_grid(work_start, work_end - duration, tz, step):
                if rules.earliest is not None and start < rules.earliest:
                    continue
                end = start + duration
                if off.overlaps(start, end) or busy.overlaps(start, end + buffer):
                    continue
                found.add(start)
        if found:
            by_day[day] = sorted(found)
        day += timedelta(days=1)
    return by_day


def slots_free(
    *,
    calendar: StaffCalendar,
    day_from: date,
    day_to: date,
    tz: ZoneInfo,
    duration: timedelta,
    buffer: timedelta,
    rules: Rules,
) -> list[datetime]:
    """`slots_free_by_day`, flattened: every free start instant (UTC, ascending)."""
    by_day = slots_free_by_day(
        calendar=calendar,
        day_from=day_from,
        day_to=day_to,
        tz=tz,
        duration=duration,
        buffer=buffer,
        rules=rules,
    )
    return [start for day in sorted(by_day) for start in by_day[day]]


def slot_within_hours(
    *, calendar: StaffCalendar, start: datetime, duration: timedelta, tz: ZoneInfo
) -> bool:
    """Does [start, start + duration) lie in working time (hours or extra) and miss time off?

    Unlike `slots_free` it ignores the slot grid and what is booked: staff may book 10:05.
    """
    end = start + duration
    day = start.astimezone(tz).date()
    inside = any(
        work_start <= start and end <= work_end
        for work_start, work_end in _working_intervals(calendar, day, tz)
    )
    return inside and not _Blocks(calendar.off).overlaps(start, end)
