"""What the log tells: estimated 1RM per lift, weekly volume per muscle group,
adherence to the program schedule, streaks and records, for charts that draw only what
they show.

Everything reads the day rows (``training_exercise_days``) and the records, grouped in
SQL by the bucket the chart draws (day, week or month), never every set. Up to 12 weeks
the lines draw each day's best, up to two years each week's, beyond that each month's.
"""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal, NamedTuple

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.clients import service as clients
from spotter.clients.models import Client
from spotter.core import tenancy
from spotter.core.db import utcnow
from spotter.core.pagination import PageParams, paginate
from spotter.exercises import service as exercises
from spotter.programs import service as programs
from spotter.training import formulas, present
from spotter.training.models import ExerciseDay, LoggedSet, LoggedWorkout, PersonalRecord
from spotter.training.schemas import (
    AdherenceOut,
    DashboardOut,
    LiftChoice,
    LiftOut,
    LiftSeries,
    MuscleVolume,
    PlateauOut,
    Point,
    Range,
    StreaksOut,
    VolumeOut,
)
from spotter.training.service import cache

Bucket = Literal["day", "week", "month"]
RANGE_DAYS = {Range.WEEKS_4: 28, Range.WEEKS_12: 84, Range.YEAR: 365}
MAX_DAILY_SPAN_DAYS = 84
MAX_WEEKLY_SPAN_DAYS = 2 * 366
DEFAULT_LIFTS = 5
MAX_LIFTS = 8
RECENT_RECORDS = 8
LIFT_RECORDS = 50
PLATEAU_WEEKS = 4
CURRENT_E1RM_DAYS = 28  # a lift's "current" e1RM: its best in the 4 weeks to its last session
CURRENT_E1RM_LOOKBACK_DAYS = 180
_D = ExerciseDay


def window(range_: Range, today: date, first_on: date | None) -> tuple[date, date]:
    if range_ == Range.ALL:
        return min(first_on or today, today), today
    return today - timedelta(days=RANGE_DAYS[range_] - 1), today


def buckets_for(from_on: date, to_on: date) -> tuple[Bucket, Bucket]:
    """(for the 1RM lines, for the volume and adherence bars): each day's best up to 12
    weeks, weekly up to two years, monthly beyond."""
    span = (to_on - from_on).days
    if span <= MAX_DAILY_SPAN_DAYS:
        return "day", "week"
    return ("month", "month") if span > MAX_WEEKLY_SPAN_DAYS else ("week", "week")


def _column(bucket: Bucket) -> Any:
    return {"day": _D.performed_on, "week": _D.week_on, "month": _D.month_on}[bucket]


def bucket_of(day: date, bucket: Bucket) -> date:
    if bucket == "week":
        return formulas.monday(day)
    if bucket == "month":
        return formulas.month_start(day)
    return day


def bucket_dates(from_on: date, to_on: date, bucket: Bucket) -> list[date]:
    out, day = [], bucket_of(from_on, bucket)
    while day <= to_on:
        out.append(day)
        if bucket == "day":
            day += timedelta(days=1)
        elif bucket == "week":
            day += timedelta(weeks=1)
        else:
            day = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return out


# The dashboard's statements are built once, their values bound on each run: building a
# grouped statement (its columns, functions and conditions) and its cache key cost more
# than running it (0.3-0.4 ms each, a dozen per dashboard). The tenancy hook scopes them
# on each run as any ORM statement. Parameters: ``client``, ``from_on``, ``to_on`` (the
# range), and what each names.
def _param(name: str, type_: Any) -> Any:
    return sa.bindparam(name, type_=type_)


_CLIENT = _param("client", sa.Uuid())
_EXERCISES: Any = sa.bindparam("exercises", expanding=True)


def _in_range(bounded: bool) -> tuple[Any, ...]:
    """A client's day rows up to ``to_on``, and from ``from_on`` when ``bounded``. The
    whole history goes without a lower bound: a prepared statement's generic plan guesses
    a range between two parameters at a few rows and sorts them to group them; with one
    bound it expects a third of the client's rows and groups by hashing (three years:
    3.2 -> 1.6 ms a query)."""
    up_to = (_D.client_id == _CLIENT, _D.performed_on <= _param("to_on", sa.Date()))
    return (*up_to, _D.performed_on >= _param("from_on", sa.Date())) if bounded else up_to


def _range(client_id: uuid.UUID, from_on: date | None, to_on: date, **more: Any) -> dict[str, Any]:
    bound = {} if from_on is None else {"from_on": from_on}
    return {"client": client_id, "to_on": to_on, **bound, **more}


# --- estimated 1RM ----------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """A lift with an estimated 1RM in the range: on how many days, and its sessions and
    best in the last ``PLATEAU_WEEKS`` weeks (for plateau detection)."""

    exercise_id: uuid.UUID
    sessions: int
    recent_sessions: int
    recent_best_kg: float | None


@functools.cache
def _buckets_statement(bucket: Bucket, bounded: bool) -> Any:
    """Per bucket and exercise in the range: working sets and tonnage (the volume bars),
    the best estimated 1RM (the lines, when they share the bars' bucket), and the days
    with an estimated 1RM, those since ``since`` and their best (the lift choices). One
    scan of the day rows for all of them: separate grouped scans were the dashboard's
    slowest statements (three years: 2.7, 1.8 and 1.6 ms)."""
    column = _column(bucket)
    recent = _D.performed_on >= _param("since", sa.Date())
    best = _D.best_e1rm_kg
    return (
        sa.select(
            column,
            _D.exercise_id,
            sa.func.sum(_D.sets),
            sa.func.sum(_D.tonnage_kg),
            sa.func.max(best),
            sa.func.count(best),
            sa.func.count(sa.case((sa.and_(recent, best.is_not(None)), 1))),
            sa.func.max(sa.case((recent, best))),
        )
        .where(*_in_range(bounded))
        .group_by(column, _D.exercise_id)
    )


VolumeRow = tuple[date, uuid.UUID, int, float]


def _recent_best(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


@dataclass
class Buckets:
    """``lifts_and_volume``'s answer: the lift choices, most trained first; the
    (bucket, exercise, working sets, tonnage) rows of the volume bars; and each lift's
    (bucket, best estimated 1RM), in no order."""

    choices: list[Choice]
    bars: list[VolumeRow]
    bests: dict[uuid.UUID, list[tuple[date, float]]]

    @classmethod
    def of(cls, rows: Sequence[Any]) -> Buckets:
        bars: list[VolumeRow] = []
        bests: dict[uuid.UUID, list[tuple[date, float]]] = defaultdict(list)
        days: dict[uuid.UUID, list[Any]] = {}  # exercise -> [days, recent days, recent best]
        for on, exercise_id, sets, kg, best, n, k, top in rows:
            bars.append((on, exercise_id, int(sets or 0), float(kg or 0)))
            if not n:
                continue
            bests[exercise_id].append((on, best))
            seen = days.setdefault(exercise_id, [0, 0, None])
            seen[0] += n
            seen[1] += k
            seen[2] = _recent_best(seen[2], top)
        return cls._sorted([Choice(e, n, k, top) for e, (n, k, top) in days.items()], bars, bests)

    @classmethod
    def _sorted(
        cls,
        choices: list[Choice],
        bars: list[VolumeRow],
        bests: dict[uuid.UUID, list[tuple[date, float]]],
    ) -> Buckets:
        choices.sort(key=lambda c: (-c.sessions, c.exercise_id))
        return cls(choices, bars, dict(bests))

    def then(self, later: Buckets) -> Buckets:
        """These buckets and ``later``'s (buckets after these), neither changed."""
        choices = {c.exercise_id: c for c in self.choices}
        for c in later.choices:
            seen = choices.get(c.exercise_id)
            choices[c.exercise_id] = (
                c
                if seen is None
                else Choice(
                    c.exercise_id,
                    seen.sessions + c.sessions,
                    seen.recent_sessions + c.recent_sessions,
                    _recent_best(seen.recent_best_kg, c.recent_best_kg),
                )
            )
        bests = {e: [*self.bests.get(e, ()), *later.bests.get(e, ())] for e in choices}
        return self._sorted(list(choices.values()), [*self.bars, *later.bars], bests)


async def _buckets(
    session: AsyncSession,
    client_id: uuid.UUID,
    from_on: date | None,
    to_on: date,
    bucket: Bucket,
    since: date,
) -> Buckets:
    rows = await tenancy.rows(
        session,
        _buckets_statement(bucket, from_on is not None),
        _range(client_id, from_on, to_on, since=since),
    )
    return Buckets.of(rows)


async def _closed_buckets(
    session: AsyncSession,
    client_id: uuid.UUID,
    from_on: date | None,
    before: date,
    bucket: Bucket,
    since: date,
    stamp: tuple[Any, ...],
) -> Buckets:
    """The buckets before ``before`` (the current bucket's first day), kept while the
    client's workouts before it are unchanged: logging today's sets leaves them as they
    are, and the first view after a set groups the current bucket alone (three years:
    6,000 day rows grouped, 5-7 ms, against the last month's 200)."""
    name = cache.key(session, "buckets", client_id, bucket, from_on, before, since)
    until = before - timedelta(days=1)
    return await cache.kept_past(
        name, stamp, lambda: _buckets(session, client_id, from_on, until, bucket, since)
    )


async def lifts_and_volume(
    session: AsyncSession,
    client_id: uuid.UUID,
    from_on: date | None,
    to_on: date,
    bucket: Bucket,
    since: date,
    stamps: cache.Stamps,
) -> Buckets:
    """The lifts with an estimated 1RM in the range (``from_on`` None: from the start),
    the volume bars and the lifts' bests per bucket, from one grouped query (the buckets
    before the current one kept: ``_closed_buckets``; ``to_on`` is the day of
    ``stamps``)."""
    current = bucket_of(to_on, bucket)
    found = await _buckets(
        session, client_id, max(from_on or current, current), to_on, bucket, since
    )
    if from_on is not None and from_on >= current:
        return found
    stamp = stamps.before[current]
    closed = await _closed_buckets(session, client_id, from_on, current, bucket, since, stamp)
    return closed.then(found)


async def lift_choices(
    session: AsyncSession, client_id: uuid.UUID, from_on: date, to_on: date, since: date
) -> list[Choice]:
    """``lifts_and_volume``'s lifts alone, in one statement (a few weeks: nothing kept)."""
    return (await _buckets(session, client_id, from_on, to_on, "month", since)).choices


def _point(on: date, value: float) -> Point:
    return Point(on=on, value=round(float(value), 1))


async def e1rm_history(
    session: AsyncSession,
    *,
    client_id: uuid.UUID,
    exercise_id: uuid.UUID,
    from_on: date | None = None,
    to_on: date | None = None,
) -> list[tuple[date, float]]:
    """A lift's estimated 1RM over time: (day, that day's best), oldest first. Generic
    input for trend fits and forecasts (the caller has checked the client's row rule)."""
    stmt = sa.select(_D.performed_on, _D.best_e1rm_kg).where(
        _D.client_id == client_id, _D.exercise_id == exercise_id, _D.best_e1rm_kg.is_not(None)
    )
    if from_on is not None:
        stmt = stmt.where(_D.performed_on >= from_on)
    if to_on is not None:
        stmt = stmt.where(_D.performed_on <= to_on)
    rows = await session.execute(stmt.order_by(_D.performed_on))
    return [(on, float(value or 0)) for on, value in rows.all()]


_R = PersonalRecord
_E1RM_BESTS = (
    sa.select(_R.exercise_id, sa.func.max(_R.value), sa.func.max(_R.achieved_on))
    .where(_R.client_id == _CLIENT, _R.kind == "e1rm", _R.exercise_id.in_(_EXERCISES))
    .group_by(_R.exercise_id)
)


async def plateaus(
    session: AsyncSession, client_id: uuid.UUID, choices: Sequence[Choice], today: date
) -> dict[uuid.UUID, formulas.Plateau]:
    """Plateau detection for some lifts: their all-time best estimated 1RM and its day
    (the latest e1RM record: records only go up) against their recent sessions."""
    if not choices:
        return {}
    bests = await tenancy.rows(
        session, _E1RM_BESTS, {"client": client_id, "exercises": [c.exercise_id for c in choices]}
    )
    recent = {c.exercise_id: c for c in choices}
    out = {}
    for exercise_id, best, best_on in bests:
        choice = recent[exercise_id]
        found = formulas.plateau(
            best_kg=best,
            best_on=best_on,
            recent_best_kg=choice.recent_best_kg,
            recent_sessions=choice.recent_sessions,
            today=today,
            weeks=PLATEAU_WEEKS,
        )
        if found is not None:
            out[exercise_id] = found
    return out


def _plateau_out(found: formulas.Plateau | None) -> PlateauOut | None:
    return None if found is None else PlateauOut.model_validate(found)


@clients.value_source
async def current_e1rms(
    session: AsyncSession, client_id: uuid.UUID
) -> dict[str, tuple[date, float]]:
    """Goal progress for strength goals (``1rm:<exercise id>``): each lift's best
    estimated 1RM in the 4 weeks up to its last session (within the last 6 months), dated
    that session (a 1RM tested after it wins)."""
    since = utcnow().date() - timedelta(days=CURRENT_E1RM_LOOKBACK_DAYS)
    rows = await session.execute(
        sa.select(_D.exercise_id, _D.performed_on, _D.best_e1rm_kg)
        .where(_D.client_id == client_id, _D.performed_on >= since, _D.best_e1rm_kg.is_not(None))
        .order_by(_D.exercise_id, _D.performed_on.desc())
    )
    latest: dict[uuid.UUID, date] = {}
    out: dict[str, tuple[date, float]] = {}
    for exercise_id, on, value in rows.all():
        last = latest.setdefault(exercise_id, on)
        if (last - on).days < CURRENT_E1RM_DAYS:
            key = f"1rm:{exercise_id}"
            best = out.get(key, (last, 0.0))[1]
            out[key] = (last, max(best, float(value or 0)))
    return out


# --- volume and adherence ---------------------------------------------------------------


def volume(
    rows: Sequence[VolumeRow],
    entries: dict[uuid.UUID, Any],
    muscle_names: dict[str, str],
    dates: Sequence[date],
    bucket: Bucket,
) -> VolumeOut:
    """Working sets and tonnage per primary muscle per bucket; an exercise's sets count in
    full for each of its primary muscles (the usual way to count weekly sets). ``rows``
    may be finer than ``bucket`` (days, for weekly bars): each counts in its bucket."""
    width = len(dates)
    at: dict[date, int | None] = {d: i for i, d in enumerate(dates)}
    by_exercise: dict[uuid.UUID, tuple[list[int], list[float]]] = {}
    for on, exercise_id, n, kg in rows:
        i = at.get(on, -1)
        if i == -1:  # a day of a week's bar (each day looked up once)
            i = at[on] = at.get(bucket_of(on, bucket))
        if i is None:
            continue
        found = by_exercise.get(exercise_id)
        if found is None:
            found = by_exercise[exercise_id] = ([0] * width, [0.0] * width)
        found[0][i] += n
        found[1][i] += kg
    sets: dict[str, list[int]] = {}
    tonnage: dict[str, list[float]] = {}
    total = [0.0] * width
    for exercise_id, (counts, kgs) in by_exercise.items():
        entry = entries.get(exercise_id)
        if entry is None:
            continue
        total = [a + b for a, b in zip(total, kgs, strict=True)]
        for muscle in entry.primary_muscles:
            before = sets.get(muscle)
            if before is None:
                sets[muscle], tonnage[muscle] = list(counts), list(kgs)
            else:
                sets[muscle] = [a + b for a, b in zip(before, counts, strict=True)]
                tonnage[muscle] = [a + b for a, b in zip(tonnage[muscle], kgs, strict=True)]
    order = sorted(sets, key=lambda m: (-sum(sets[m]), m))
    return VolumeOut(
        buckets=list(dates),
        muscles=[
            MuscleVolume(
                muscle=m,
                name=muscle_names.get(m, m.replace("_", " ").capitalize()),
                sets=sets[m],
                tonnage_kg=[round(v, 1) for v in tonnage[m]],
            )
            for m in order
        ],
        tonnage_kg=[round(v, 1) for v in total],
    )


_W = LoggedWorkout
_COMPLETED = (_W.client_id == _CLIENT, _W.status == "completed")
_DAY = _param("day", sa.Date())
_COMPLETED_BEFORE = (
    sa.select(_W.performed_on, _W.program_workout_id)
    .where(*_COMPLETED, _W.performed_on < _DAY)
    .order_by(_W.performed_on)
)
_COMPLETED_SINCE = (
    sa.select(_W.performed_on, _W.program_workout_id)
    .where(*_COMPLETED, _W.performed_on >= _DAY)
    .order_by(_W.performed_on)
)


Done = tuple[date, uuid.UUID | None]  # a completed workout: its day, its program workout


class Completed(NamedTuple):
    """A client's completed workouts, oldest first: those before today, kept under
    ``stamp`` (their workouts' stamp), and today's (and any dated later)."""

    before: list[Done]
    since: list[Done]
    stamp: tuple[Any, ...]

    @property
    def first_on(self) -> date | None:
        first = self.before or self.since
        return first[0][0] if first else None


async def completed_workouts(
    session: AsyncSession, client_id: uuid.UUID, today: date, stamps: cache.Stamps
) -> Completed:
    """Every completed workout: streaks run over the whole history (a few hundred rows a
    year). Those before ``today`` are kept while the workouts before it are unchanged
    (see ``_closed_buckets``)."""
    stamp, params = stamps.before[today], {"client": client_id, "day": today}

    async def read_before() -> list[Done]:
        rows = await tenancy.rows(session, _COMPLETED_BEFORE, params)
        return [(on, program_workout) for on, program_workout in rows]

    name = cache.key(session, "workouts", client_id, today)
    before = await cache.kept_past(name, stamp, read_before)
    since = await tenancy.rows(session, _COMPLETED_SINCE, params)
    return Completed(before, [(on, program_workout) for on, program_workout in since], stamp)


def _week_key(ordinal: int, day: date) -> int:
    """The ordinal of ``day``'s Monday (ordinal 1, 1 January of year 1, was a Monday)."""
    return ordinal - (ordinal - 1) % 7


def _month_key(ordinal: int, day: date) -> int:
    return day.year * 12 + day.month


@dataclass
class _Tally:
    """What completed workouts count for adherence and streaks over a range's buckets:
    per bucket the program workouts done and the free-style ones; per week (its Monday's
    ordinal) all of them; the days trained and the workouts in the range (ordinals); and
    every (program workout, day) logged."""

    done: list[int]
    extra: list[int]
    week_done: dict[int, int]
    days: set[int]
    in_range: int
    logged: set[tuple[uuid.UUID, date]]

    @classmethod
    def empty(cls, buckets: int) -> _Tally:
        return cls([0] * buckets, [0] * buckets, {}, set(), 0, set())

    def copy(self) -> _Tally:
        return _Tally(
            list(self.done),
            list(self.extra),
            dict(self.week_done),
            set(self.days),
            self.in_range,
            set(self.logged),
        )

    def add(self, workouts: Sequence[Done], lo: int, hi: int, slot: Any) -> None:
        """Count ``workouts``: ``lo`` and ``hi`` the range's ordinals, ``slot(ordinal,
        day)`` a day's bucket."""
        week_done = self.week_done
        for day, program_workout in workouts:
            if program_workout:
                self.logged.add((program_workout, day))
            o = day.toordinal()
            if o > hi:
                continue
            week = _week_key(o, day)
            week_done[week] = week_done.get(week, 0) + 1
            if o >= lo:
                (self.done if program_workout else self.extra)[slot(o, day)] += 1
                self.days.add(o)
                self.in_range += 1


async def adherence_and_streaks(
    session: AsyncSession,
    client: Client,
    from_on: date,
    to_on: date,
    bucket: Bucket,
    workouts: Completed,
) -> tuple[AdherenceOut, StreaksOut]:
    """Adherence per bucket: the program schedule's workouts, and the program workouts
    done in it: each logged one on the day it was done, whichever scheduled one it was (a
    dynamic program waits for a missed workout, so its calendar and its weeks drift
    apart), and each marked done by hand without a log; capped at the scheduled count for
    the percentage. Free-style workouts are counted apart. Streaks run over the whole
    history: a week meets the plan when its workouts (program and free-style) reach its
    target: the week's scheduled workouts, or without a program the client's preferred
    training days, or one. The workouts before today are counted once and kept with
    them (the calendar, which their stamp does not cover, is read each time)."""
    first_on = workouts.first_on
    start = min(from_on, formulas.monday(first_on)) if first_on else from_on
    scheduled, marked = await programs.client_calendar(
        session, client_id=client.id, from_on=start, to_on=to_on
    )
    dates = bucket_dates(from_on, to_on, bucket)
    # Days as ordinals, weeks by their Monday's, months as year * 12 + month: the loops
    # run once per workout of the whole history (with dates, their methods and
    # timedeltas, it was ~2 ms of a fresh 3-year dashboard's CPU; now under 1 ms).
    key = _month_key if bucket == "month" else _week_key
    at = {key(d.toordinal(), d): i for i, d in enumerate(dates)}
    lo, hi = from_on.toordinal(), to_on.toordinal()

    def slot(o: int, day: date) -> int:
        return at[key(o, day)]

    async def count_before() -> _Tally:
        past = _Tally.empty(len(dates))
        past.add(workouts.before, lo, hi, slot)
        return past

    name = cache.key(session, "tally", client.id, from_on, to_on, bucket)
    tally = (await cache.kept_past(name, workouts.stamp, count_before)).copy()  # kept as is
    tally.add(workouts.since, lo, hi, slot)
    done, week_done = tally.done, tally.week_done
    planned = [0] * len(dates)
    week_target: dict[int, int] = defaultdict(int)
    for item in scheduled:
        o = item.date.toordinal()
        week_target[_week_key(o, item.date)] += 1
        if lo <= o <= hi:
            planned[slot(o, item.date)] += 1
    for program_workout, day in marked:  # the calendar's days lie up to ``to_on``
        if (program_workout, day) not in tally.logged:  # marked done by hand
            o = day.toordinal()
            week = _week_key(o, day)
            week_done[week] = week_done.get(week, 0) + 1
            if lo <= o <= hi:
                done[slot(o, day)] += 1
    total_planned = sum(planned)
    met = sum(min(d, p) for d, p in zip(done, planned, strict=True))
    fallback = len(client.training_days or []) or 1
    this_week = formulas.monday(to_on)
    weeks = []
    if first_on is not None or scheduled:
        monday = formulas.monday(start)
        while monday <= this_week:
            o = monday.toordinal()
            weeks.append((monday, week_target.get(o) or fallback, week_done.get(o, 0)))
            monday += timedelta(weeks=1)
    current, longest = formulas.week_streaks(weeks, current_week=this_week)
    return (
        AdherenceOut(
            buckets=dates,
            scheduled=planned,
            completed=done,
            extra=tally.extra,
            percent=round(100 * met / total_planned, 1) if total_planned else None,
        ),
        StreaksOut(
            current_weeks=current,
            longest_weeks=longest,
            days_logged=len(tally.days),
            workouts=tally.in_range,
        ),
    )


_RECENT_RECORDS = (
    sa.select(_R)
    .where(_R.client_id == _CLIENT, _R.previous_value.is_not(None))
    .order_by(_R.achieved_on.desc(), _R.id.desc())
    .limit(sa.bindparam("limit", type_=sa.Integer()))
)


async def recent_records(
    session: AsyncSession, client_id: uuid.UUID, *, limit: int = RECENT_RECORDS
) -> list[PersonalRecord]:
    rows = await session.scalars(_RECENT_RECORDS, {"client": client_id, "limit": limit})
    return list(rows.all())


# --- the dashboard and one lift -----------------------------------------------------------


async def dashboard(
    session: AsyncSession,
    *,
    client: Client,
    range_: Range,
    lifts: Sequence[uuid.UUID] = (),
    today: date | None = None,
) -> tuple[DashboardOut, dict[uuid.UUID, Any]]:
    """The progress dashboard's data (and the exercise entries it names), kept while the
    client's log is unchanged (``cache``)."""
    today = today or programs.client_today(client)
    stamps = await cache.stamps(session, client.id, today)
    name = cache.key(session, "dashboard", client.id, range_, tuple(lifts), today)
    kept = cache.get(name, stamps.whole)
    if kept is not None:
        return kept  # type: ignore[no-any-return]
    found = await _dashboard(
        session, client=client, range_=range_, lifts=lifts, today=today, stamps=stamps
    )
    cache.put(name, stamps.whole, found)
    return found


async def _dashboard(
    session: AsyncSession,
    *,
    client: Client,
    range_: Range,
    lifts: Sequence[uuid.UUID],
    today: date,
    stamps: cache.Stamps,
) -> tuple[DashboardOut, dict[uuid.UUID, Any]]:
    workouts = await completed_workouts(session, client.id, today, stamps)
    from_on, to_on = window(range_, today, workouts.first_on)
    lift_bucket, bar_bucket = buckets_for(from_on, to_on)
    # The whole history reads from the start (see ``_in_range``): only the sets of a
    # workout never completed can lie before the first completed one; the lines leave
    # them off, as the bars do (their buckets start at ``from_on``).
    lower = None if range_ == Range.ALL else from_on
    since = today - timedelta(weeks=PLATEAU_WEEKS)
    # Grouped by the lines' bucket: up to 12 weeks the days, summed into the bars' weeks
    # by ``volume`` (one statement for both, its past days kept: see ``lifts_and_volume``).
    found = await lifts_and_volume(session, client.id, lower, to_on, lift_bucket, since, stamps)
    choices, bars = found.choices, found.bars
    by_id = {c.exercise_id: c for c in choices}
    drawn = [e for e in dict.fromkeys(lifts) if e in by_id][:MAX_LIFTS] or [
        c.exercise_id for c in choices[:DEFAULT_LIFTS]
    ]
    series = {e: [_point(on, v) for on, v in sorted(found.bests.get(e, ()))] for e in drawn}
    if lower is None:
        first = bucket_of(from_on, lift_bucket)
        series = {e: [p for p in points if p.on >= first] for e, points in series.items()}
    stalls = await plateaus(session, client.id, [by_id[e] for e in drawn], today)
    adherence, streaks = await adherence_and_streaks(
        session, client, from_on, to_on, bar_bucket, workouts
    )
    records = await recent_records(session, client.id)
    names = await exercises.exercises_by_ids(
        session, ids=set(by_id) | {r[1] for r in bars} | {r.exercise_id for r in records}
    )
    muscle_names = {m.slug: m.name for m in await exercises.muscles(session)}

    def name(exercise_id: uuid.UUID) -> str:
        entry = names.get(exercise_id)
        return entry.name if entry else "Unknown exercise"

    out = DashboardOut(
        client_id=client.id,
        range=range_,
        from_on=from_on,
        to_on=to_on,
        bucket=bar_bucket,
        lift_bucket=lift_bucket,
        lifts=[
            LiftSeries(
                exercise_id=e,
                name=name(e),
                points=series.get(e, []),
                best_e1rm_kg=max((p.value for p in series.get(e, [])), default=None),
                latest_e1rm_kg=series[e][-1].value if series.get(e) else None,
                plateau=_plateau_out(stalls.get(e)),
            )
            for e in drawn
        ],
        lift_choices=[
            LiftChoice(exercise_id=c.exercise_id, name=name(c.exercise_id), sessions=c.sessions)
            for c in choices
        ],
        volume=volume(
            bars, names, muscle_names, bucket_dates(from_on, to_on, bar_bucket), bar_bucket
        ),
        adherence=adherence,
        streaks=streaks,
        records=[present.record(r, names) for r in records],
    )
    return out, names


# One lift's statements, built once (parameters ``client``, ``exercise`` and the range's).
_EXERCISE = _param("exercise", sa.Uuid())
_LIFT_FIRST_DAY = sa.select(sa.func.min(_D.performed_on)).where(
    _D.client_id == _CLIENT, _D.exercise_id == _EXERCISE
)
# Its best of each kind, and the records it set (newest first): reading every record it
# ever set, to pick the bests and the latest, grew with the years (a few hundred rows as
# objects for a lift trained weekly).
_LIFT_BESTS = (
    sa.select(_R.kind, sa.func.max(_R.value))
    .where(_R.client_id == _CLIENT, _R.exercise_id == _EXERCISE)
    .group_by(_R.kind)
)
_LIFT_RECORDS = (
    sa.select(_R)
    .where(_R.client_id == _CLIENT, _R.exercise_id == _EXERCISE, _R.previous_value.is_not(None))
    .order_by(_R.achieved_on.desc(), _R.id.desc())
    .limit(LIFT_RECORDS)
)


@functools.cache
def _lift_series_statement(bucket: Bucket) -> Any:
    """A lift's best estimated 1RM and heaviest load per bucket of its range, in one
    grouped read."""
    column = _column(bucket)
    return (
        sa.select(column, sa.func.max(_D.best_e1rm_kg), sa.func.max(_D.max_load_kg))
        .where(*_in_range(True), _D.exercise_id == _EXERCISE)
        .group_by(column)
        .order_by(column)
    )


async def lift(
    session: AsyncSession,
    *,
    client: Client,
    exercise_id: uuid.UUID,
    range_: Range,
    today: date | None = None,
) -> LiftOut:
    """One lift's history: best estimated 1RM and heaviest load per bucket, its bests,
    plateau and the last 50 records it set (newest first)."""
    entry = await exercises.get_exercise(session, exercise_id=exercise_id)
    today = today or programs.client_today(client)
    which = {"client": client.id, "exercise": exercise_id}
    first_on = await session.scalar(_LIFT_FIRST_DAY, which)
    from_on, to_on = window(range_, today, first_on)
    bucket, _ = buckets_for(from_on, to_on)
    e1rm: list[Point] = []
    heaviest: list[Point] = []
    rows = await tenancy.rows(
        session,
        _lift_series_statement(bucket),
        _range(client.id, from_on, to_on, exercise=exercise_id),
    )
    for on, best_e1rm, max_load in rows:
        if best_e1rm is not None:
            e1rm.append(_point(on, best_e1rm))
        if max_load is not None:
            heaviest.append(_point(on, max_load))
    best = {kind: value for kind, value in await session.execute(_LIFT_BESTS, which)}
    celebrated = list((await session.scalars(_LIFT_RECORDS, which)).all())
    since = today - timedelta(weeks=PLATEAU_WEEKS)
    recent = [
        c
        for c in await lift_choices(session, client.id, since, today, since)
        if c.exercise_id == exercise_id
    ]
    stall = (await plateaus(session, client.id, recent, today)).get(exercise_id)
    names = {exercise_id: entry}
    return LiftOut(
        client_id=client.id,
        exercise_id=exercise_id,
        name=entry.name,
        range=range_,
        from_on=from_on,
        to_on=to_on,
        bucket=bucket,
        e1rm=e1rm,
        max_load=heaviest,
        best_load_kg=best.get("load"),
        best_e1rm_kg=best.get("e1rm"),
        best_volume_kg=best.get("volume"),
        plateau=_plateau_out(stall),
        records=[present.record(r, names) for r in celebrated],
    )


async def records_page(
    session: AsyncSession,
    *,
    client: Client,
    params: PageParams,
    exercise_id: uuid.UUID | None = None,
) -> tuple[list[PersonalRecord], str | None, dict[uuid.UUID, Any]]:
    """Records as they were set, newest first (baselines left out), with their exercises."""
    stmt = sa.select(PersonalRecord).where(
        PersonalRecord.client_id == client.id, PersonalRecord.previous_value.is_not(None)
    )
    if exercise_id is not None:
        stmt = stmt.where(PersonalRecord.exercise_id == exercise_id)
    items, cursor = await paginate(
        session,
        stmt,
        keys=[PersonalRecord.achieved_on, PersonalRecord.id],
        params=params,
        descending=True,
    )
    names = await exercises.exercises_by_ids(session, ids={r.exercise_id for r in items})
    return items, cursor, names


async def lift_sets(
    session: AsyncSession, *, client: Client, exercise_id: uuid.UUID, params: PageParams
) -> tuple[list[LoggedSet], str | None]:
    """Every set of one lift, newest first."""
    stmt = sa.select(LoggedSet).where(
        LoggedSet.client_id == client.id, LoggedSet.exercise_id == exercise_id
    )
    return await paginate(
        session,
        stmt,
        keys=[LoggedSet.performed_on, LoggedSet.id],
        params=params,
        descending=True,
    )
