"""Reading workout history exports of Strong and Hevy (pure: text in, rows out).

One row per set in both. The formats, as those apps write them:

* **Strong** (current): ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,
  Distance,Seconds,Notes,Workout Notes,RPE``: comma separated, weights and distances in
  the app's unit (not in the file), ``Duration`` like ``1h 5m``, ``Date`` the workout's
  local start (``2024-11-28 17:36:08``, or with an AM/PM clock). Older exports are
  semicolon separated with ``Weight Unit`` and ``Distance Unit`` columns (and sometimes
  ``Workout Duration``). ``Set Order`` is the set number, ``W``/``D``/``F`` for warm-up,
  drop and failure sets, or ``Rest Timer`` for a rest row (not a set).
* **Hevy**: ``title,start_time,end_time,description,exercise_title,superset_id,
  exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe``
  (``weight_lbs`` / ``distance_miles`` in imperial exports), times like
  ``26 Jul 2025, 07:06``, ``set_index`` from 0, ``set_type`` one of ``normal``,
  ``warmup``, ``dropset``, ``failure``.

Rows that are not sets or cannot be read are returned as skipped, with the line number
and the reason, never silently dropped.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Format = Literal["strong", "hevy"]
Getter = Callable[..., str | None]
MAX_ROWS = 100_000
MAX_LOAD = 1000.0  # kg or lb: anything above is a typo, not a lift
MAX_REPS = 1000


@dataclass(frozen=True)
class Row:
    """One set, in the file's units, the workout's start as local wall-clock time."""

    line: int
    started_at: datetime
    workout_name: str
    duration_seconds: int | None
    exercise: str
    order: int
    set_type: str
    weight: float | None
    weight_unit: str | None  # from the row (Strong's older exports) or the header (Hevy)
    reps: int | None
    rpe: float | None
    distance: float | None
    distance_unit: str | None
    seconds: int | None
    notes: str | None
    exercise_notes: str | None
    workout_notes: str | None


@dataclass
class Parsed:
    format: Format
    rows: list[Row] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)


class UnreadableFile(ValueError):
    """The text is not a Strong or Hevy export (a message for the person importing)."""


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def detect(header: list[str]) -> Format | None:
    keys = {_key(h) for h in header}
    if {"exercisetitle", "starttime", "setindex"} <= keys:
        return "hevy"
    if {"date", "exercisename", "setorder"} <= keys:
        return "strong"
    return None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


class _Skip(Exception):
    pass


def _number(value: str | None, *, comma_decimal: bool) -> float | None:
    text = (value or "").strip()
    if not text:
        return None
    if comma_decimal:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise _Skip(f"not a number: {text[:30]!r}") from None
    if not math.isfinite(number):
        raise _Skip(f"not a number: {text[:30]!r}")
    if number < 0:
        raise _Skip(f"negative value {text[:30]!r}")
    return number


def _whole(value: str | None, *, comma_decimal: bool, name: str) -> int | None:
    number = _number(value, comma_decimal=comma_decimal)
    if number is None:
        return None
    if number != int(number):
        raise _Skip(f"{name} is not a whole number: {value!r}")
    return int(number)


_STRONG_DATES = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p")
_HEVY_DATES = ("%d %b %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")


def _date(value: str | None, formats: tuple[str, ...]) -> datetime:
    # Newer exports put a narrow no-break space before AM/PM.
    text = re.sub(r"\s+", " ", (value or "").replace("\u202f", " ")).strip().upper()
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.strptime(text, "%Y-%m-%d")
    raise _Skip(f"unreadable date {str(value)[:40]!r}")


def _duration(value: str | None) -> int | None:
    """Strong's "1h 5m" (or "45m", "30s") in seconds."""
    text = (value or "").strip().lower()
    if not text:
        return None
    parts = dict((unit, int(n)) for n, unit in re.findall(r"(\d+)\s*([hms])", text))
    if not parts:
        return int(text) if text.isdigit() else None
    return parts.get("h", 0) * 3600 + parts.get("m", 0) * 60 + parts.get("s", 0) or None


def _text(value: str | None, limit: int) -> str | None:
    text = (value or "").strip()
    return text[:limit] or None


def _unit(value: str | None) -> str | None:
    text = (value or "").strip().lower()
    return {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb", "km": "km", "mi": "mi", "m": "m"}.get(
        text
    )


def _strong_order(value: str | None) -> tuple[int, str]:
    text = (value or "").strip()
    lower = text.lower()
    if lower.startswith("rest"):
        raise _Skip("rest timer row, not a set")
    kinds = {"w": "warm_up", "d": "drop", "f": "failure"}
    if lower[:1] in kinds:
        rest = lower[1:]
        return (int(rest) if rest.isdigit() else 0), kinds[lower[:1]]
    if text.isdigit():
        return int(text), "working"
    raise _Skip(f"unreadable set order {text[:20]!r}")


_HEVY_TYPES = {"normal": "working", "warmup": "warm_up", "dropset": "drop", "failure": "failure"}


def _rpe(value: str | None, *, comma_decimal: bool) -> float | None:
    """RPE kept when it is one (1-10, to the half); anything else is left out."""
    try:
        number = _number(value, comma_decimal=comma_decimal)
    except _Skip:
        return None
    if number is None or not 1 <= number <= 10:
        return None
    return round(number * 2) / 2


def _check(row: Row) -> Row:
    if not row.exercise:
        raise _Skip("no exercise name")
    if row.weight is not None and row.weight > MAX_LOAD:
        raise _Skip(f"implausible weight {row.weight:g}")
    if row.reps is not None and row.reps > MAX_REPS:
        raise _Skip(f"implausible reps {row.reps}")
    if not (row.reps or row.seconds or row.distance):
        raise _Skip("no reps, time or distance: not a set")
    return row


def parse(text: str, fmt: Literal["auto", "strong", "hevy"] = "auto") -> Parsed:
    text = text.lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = _delimiter(first)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header:
        raise UnreadableFile("the file is empty")
    found = detect(header)
    if found is None or (fmt != "auto" and fmt != found):
        wanted = "a Strong or Hevy" if fmt == "auto" else f"a {fmt.capitalize()}"
        raise UnreadableFile(
            f"this is not {wanted} workout export: its first line should name the columns "
            "(Strong: Date, Workout Name, Exercise Name, Set Order, ...; Hevy: title, "
            "start_time, exercise_title, set_index, ...)"
        )
    columns = {_key(h): i for i, h in enumerate(header)}
    comma_decimal = delimiter == ";"
    parsed = Parsed(format=found)
    read = _strong_row if found == "strong" else _hevy_row
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(parsed.rows) + len(parsed.skipped) >= MAX_ROWS:
            raise UnreadableFile(f"the file has more than {MAX_ROWS} rows; split it")

        def get(*names: str, values: list[str] = values) -> str | None:
            for name in names:
                i = columns.get(name)
                if i is not None and i < len(values):
                    return values[i]
            return None

        try:
            parsed.rows.append(_check(read(number, get, columns, comma_decimal)))
        except _Skip as why:
            parsed.skipped.append((number, str(why)))
    return parsed


def _strong_row(line: int, g: Getter, columns: dict[str, int], comma_decimal: bool) -> Row:
    order, set_type = _strong_order(g("setorder"))
    return Row(
        line=line,
        started_at=_date(g("date"), _STRONG_DATES),
        workout_name=_text(g("workoutname"), 120) or "Workout",
        duration_seconds=_duration(g("duration", "workoutduration")),
        exercise=_text(g("exercisename"), 200) or "",
        order=order,
        set_type=set_type,
        weight=_number(g("weight"), comma_decimal=comma_decimal) or None,
        weight_unit=_unit(g("weightunit")),
        reps=_whole(g("reps"), comma_decimal=comma_decimal, name="reps") or None,
        rpe=_rpe(g("rpe"), comma_decimal=comma_decimal),
        distance=_number(g("distance"), comma_decimal=comma_decimal) or None,
        distance_unit=_unit(g("distanceunit")),
        seconds=_whole(g("seconds"), comma_decimal=comma_decimal, name="seconds") or None,
        notes=_text(g("notes"), 500),
        exercise_notes=None,
        workout_notes=_text(g("workoutnotes"), 2000),
    )


def _hevy_row(line: int, g: Getter, columns: dict[str, int], comma_decimal: bool) -> Row:
    started = _date(g("starttime"), _HEVY_DATES)
    ended_text = g("endtime")
    duration = None
    if ended_text and ended_text.strip():
        try:
            ended = _date(ended_text, _HEVY_DATES)
            duration = int((ended - started).total_seconds()) or None
        except _Skip:
            duration = None
    kind = (g("settype") or "normal").strip().lower()
    if kind not in _HEVY_TYPES:
        raise _Skip(f"unknown set type {kind[:20]!r}")
    index = _whole(g("setindex"), comma_decimal=comma_decimal, name="set_index")
    pounds = "weightlbs" in columns
    miles = "distancemiles" in columns
    return Row(
        line=line,
        started_at=started,
        workout_name=_text(g("title"), 120) or "Workout",
        duration_seconds=duration if duration and duration > 0 else None,
        exercise=_text(g("exercisetitle"), 200) or "",
        order=(index or 0) + 1,
        set_type=_HEVY_TYPES[kind],
        weight=_number(g("weightlbs", "weightkg"), comma_decimal=comma_decimal) or None,
        weight_unit="lb" if pounds else "kg",
        reps=_whole(g("reps"), comma_decimal=comma_decimal, name="reps") or None,
        rpe=_rpe(g("rpe"), comma_decimal=comma_decimal),
        distance=_number(g("distancemiles", "distancekm"), comma_decimal=comma_decimal) or None,
        distance_unit="mi" if miles else "km",
        seconds=_whole(g("durationseconds"), comma_decimal=comma_decimal, name="duration_seconds")
        or None,
        notes=None,
        exercise_notes=_text(g("exercisenotes"), 2000),
        workout_notes=_text(g("description"), 2000),
    )
