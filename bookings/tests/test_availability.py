"""The pure availability function: hours, breaks, exceptions, buffers, rules and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bookings.availability import (
    DatedInterval,
    Rules,
    StaffCalendar,
    WeeklyInterval,
    slot_within_hours,
    slots_free,
)

NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 11, 30)
MINUTES = timedelta(minutes=1)


def week(*intervals: tuple[time, time], days: range = range(7)) -> list[WeeklyInterval]:
    return [WeeklyInterval(d, start, end) for d in days for start, end in intervals]


def local_times(slots: list[datetime], tz: ZoneInfo = NY) -> list[str]:
    return [f"{s.astimezone(tz):%H:%M}" for s in slots]


def free(calendar: StaffCalendar, day: date, *, tz=NY, minutes=60, buffer=0, interval=60, **rules):
    return slots_free(
        calendar=calendar,
        day_from=day,
        day_to=day,
        tz=tz,
        duration=minutes * MINUTES,
        buffer=buffer * MINUTES,
        rules=Rules(interval_minutes=interval, **rules),
    )


def test_an_ordinary_day_offers_each_start_that_fits_before_closing() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(13))))
    assert local_times(free(calendar, MONDAY)) == ["09:00", "10:00", "11:00", "12:00"]
    assert local_times(free(calendar, MONDAY, minutes=90, interval=30)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_a_lunch_break_splits_the_day() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(12, 30)), (time(13, 30), time(15))))
    assert local_times(free(calendar, MONDAY, interval=30)) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "11:30",
        "13:30",
        "14:00",
    ]


def test_a_day_without_hours_has_no_slots() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(17)), days=range(5)))
    assert free(calendar, MONDAY + timedelta(days=6)) == []  # Sunday


def test_time_off_removes_slots_and_an_extra_session_adds_them() -> None:
    day_off = DatedInterval(
        datetime.combine(MONDAY, time(10), tzinfo=NY), datetime.combine(MONDAY, time(12), tzinfo=NY)
    )
    evening = DatedInterval(
        datetime.combine(MONDAY, time(18), tzinfo=NY), datetime.combine(MONDAY, time(20), tzinfo=NY)
    )
    calendar = StaffCalendar(weekly=week((time(9), time(13))), off=[day_off], extra=[evening])
    assert local_times(free(calendar, MONDAY)) == ["09:00", "12:00", "18:00", "19:00"]


def test_a_holiday_covering_the_whole_day_leaves_nothing() -> None:
    holiday = DatedInterval(
        datetime.combine(MONDAY, time(0), tzinfo=NY),
        datetime.combine(MONDAY + timedelta(days=1), time(0), tzinfo=NY),
    )
    calendar = StaffCalendar(weekly=week((time(9), time(17))), off=[holiday])
    assert free(calendar, MONDAY) == []
    assert free(calendar, MONDAY + timedelta(days=1)) != []


def test_buffers_keep_time_free_after_existing_and_new_appointments() -> None:
    # Booked 10:00–10:45 with 15 minutes of buffer: busy until 11:00.
    booked = DatedInterval(
        datetime.combine(MONDAY, time(10), tzinfo=NY), datetime.combine(MONDAY, time(11), tzinfo=NY)
    )
    calendar = StaffCalendar(weekly=week((time(9), time(12))), busy=[booked])
    # 45 minutes + 15 buffer: 09:00 would run into the booking; 09:15 too.
    slots = local_times(free(calendar, MONDAY, minutes=45, buffer=15, interval=15))
    assert slots == ["09:00", "11:00", "11:15"]


def test_minimum_notice_and_the_horizon_are_honoured() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(13))))
    earliest = datetime.combine(MONDAY, time(10, 30), tzinfo=NY)
    assert local_times(free(calendar, MONDAY, earliest=earliest)) == ["11:00", "12:00"]
    assert free(calendar, MONDAY, latest_day=MONDAY - timedelta(days=1)) == []


def test_slots_come_back_in_utc_ascending_over_several_days() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(11))))
    slots = slots_free(
        calendar=calendar,
        day_from=MONDAY,
        day_to=MONDAY + timedelta(days=2),
        tz=NY,
        duration=60 * MINUTES,
        buffer=0 * MINUTES,
        rules=Rules(interval_minutes=60),
    )
    assert len(slots) == 6
    assert slots == sorted(slots)
    assert all(s.tzinfo == UTC for s in slots)


@pytest.mark.parametrize(
    ("tz", "before", "change", "after"),
    [
        (NY, date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)),
        (NY, date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)),
        (LONDON, date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)),
        (LONDON, date(2026, 10, 24), date(2026, 10, 25), date(2026, 10, 26)),
    ],
)
def test_nine_is_nine_local_on_both_sides_of_a_change(tz, before, change, after) -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(10))))
    firsts = [free(calendar, day, tz=tz)[0] for day in (before, change, after)]
    assert [f"{s.astimezone(tz):%H:%M}" for s in firsts] == ["09:00"] * 3
    offsets = {s.astimezone(tz).utcoffset() for s in firsts}
    assert len(offsets) == 2  # the same wall time, a different instant


@pytest.mark.parametrize(
    ("tz", "day", "skipped"),
    [(NY, date(2026, 3, 8), ("02:00", "02:30")), (LONDON, date(2026, 3, 29), ("01:00", "01:30"))],
)
def test_no_slot_lands_in_the_skipped_hour(tz, day, skipped) -> None:
    calendar = StaffCalendar(weekly=week((time(0), time(4))))
    slots = free(calendar, day, tz=tz, minutes=30, interval=30)
    times = local_times(slots, tz)
    assert not set(skipped) & set(times)
    assert len(times) == len(set(times))
    # 4 wall hours minus the skipped one: 3 real hours of 30-minute slots.
    assert len(slots) == 6
    assert slots[-1] + 30 * MINUTES == datetime.combine(day, time(4), tzinfo=tz)


@pytest.mark.parametrize(
    ("tz", "day", "repeated"),
    [(NY, date(2026, 11, 1), ("01:00", "01:30")), (LONDON, date(2026, 10, 25), ("01:00", "01:30"))],
)
def test_no_slot_is_offered_twice_in_the_repeated_hour(tz, day, repeated) -> None:
    calendar = StaffCalendar(weekly=week((time(0), time(4))))
    slots = free(calendar, day, tz=tz, minutes=30, interval=30)
    times = local_times(slots, tz)
    assert times == ["00:00", "00:30", "01:00", "01:30", "02:00", "02:30", "03:00", "03:30"]
    for wall in repeated:
        assert times.count(wall) == 1
    assert len(set(slots)) == len(slots)


def test_an_appointment_across_the_fall_back_change_lasts_its_real_duration() -> None:
    day = date(2026, 11, 1)
    calendar = StaffCalendar(weekly=week((time(0, 30), time(2))))
    slots = free(calendar, day, minutes=120, interval=30)
    # 00:30 EDT + 2 h real time = 01:30 EST, inside working hours that end at 02:00 EST.
    assert local_times(slots) == ["00:30", "01:00"]


def test_slot_within_hours_accepts_any_minute_inside_and_refuses_outside() -> None:
    calendar = StaffCalendar(weekly=week((time(9), time(12))))
    inside = datetime.combine(MONDAY, time(10, 5), tzinfo=NY)
    late = datetime.combine(MONDAY, time(11, 30), tzinfo=NY)
    assert slot_within_hours(calendar=calendar, start=inside, duration=30 * MINUTES, tz=NY)
    assert not slot_within_hours(calendar=calendar, start=late, duration=45 * MINUTES, tz=NY)
