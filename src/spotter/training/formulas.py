"""The training log's arithmetic, as pure functions (no database, no clock).

**Estimated 1RM.** Brzycki, ``w * 36 / (37 - r)``, for 1 to 10 reps and Epley,
``w * (1 + r / 30)``, for 11 and 12. Brzycki is the better of the two at low reps (a
single is exactly its own 1RM, where Epley adds 3 %); both give ``w * 4 / 3`` at 10 reps,
so the curve is continuous where they meet. Sets above 12 reps say little about a
one-rep max and are ignored. When the set records effort, ``r`` counts the reps left in
the tank too (RIR, or ``10 - RPE``): 5 reps at RPE 8 estimate like a 7-rep max.

**Records** (``Bests``): heaviest load; most reps at a load (a set is a rep record when
no earlier set was at least as heavy *and* at least as many reps, so 8 reps at 100 kg
counts only if 8+ reps were never done with 100 kg or more); best estimated 1RM; best set
volume (load x reps). Warm-up and skipped sets never count.

**Volume**: working sets (everything but warm-ups, completed) and tonnage (load x reps)
per exercise, credited in full to each of its primary muscles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

E1RM_MAX_REPS = 12
BRZYCKI_MAX_REPS = 10
_EPS = 1e-6  # loads are floats (lb converted to kg): equal within a microgram is equal

RECORD_KINDS = ("load", "reps", "e1rm", "volume")
RECORD_LABELS = {
    "load": "Heaviest load",
    "reps": "Most reps at this load",
    "e1rm": "Best estimated 1RM",
    "volume": "Best set volume",
}


def effective_reps(reps: int, *, rir: int | None = None, rpe: float | None = None) -> float:
    """Reps done plus reps in reserve (from RIR, or from RPE as 10 - RPE) when known."""
    if rir is not None:
        return reps + rir
    if rpe is not None:
        return reps + max(0.0, 10 - rpe)
    return float(reps)


def e1rm(
    load_kg: float | None, reps: int | None, *, rir: int | None = None, rpe: float | None = None
) -> float | None:
    """Estimated one-rep max in kg (see the module notes), or None when the set does not
    qualify (no load, no reps, more than 12 reps to failure)."""
    if not load_kg or load_kg <= 0 or not reps or reps < 1:
        return None
    r = effective_reps(reps, rir=rir, rpe=rpe)
    if r > E1RM_MAX_REPS:
        return None
    if r <= BRZYCKI_MAX_REPS:
        value = load_kg * 36 / (37 - r)
    else:
        value = load_kg * (1 + r / 30)
    return round(value, 2)


def set_volume(load_kg: float | None, reps: int | None) -> float | None:
    if not load_kg or load_kg <= 0 or not reps or reps < 1:
        return None
    return round(load_kg * reps, 2)


def counts(set_type: str, status: str) -> bool:
    """Whether a set counts for volume and records: completed, and not a warm-up."""
    return status == "completed" and set_type != "warm_up"


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lift:
    """A set as records see it."""

    load_kg: float | None
    reps: int | None
    e1rm_kg: float | None
    volume_kg: float | None

    @property
    def load(self) -> float:
        return self.load_kg or 0.0


@dataclass(frozen=True)
class Record:
    kind: str
    value: float
    previous: float | None  # None: the first time (a baseline)
    load_kg: float | None
    reps: int | None

    @property
    def celebrated(self) -> bool:
        return self.previous is not None


@dataclass
class Bests:
    """One client's current bests on one exercise, and the rep-record frontier: the
    (load, reps) pairs no other set beats on both."""

    load: float | None = None
    e1rm: float | None = None
    volume: float | None = None
    frontier: list[tuple[float, int]] = field(default_factory=list)

    def dominated(self, load: float, reps: int) -> bool:
        return any(kg >= load - _EPS and n >= reps for kg, n in self.frontier)

    def check(self, lift: Lift) -> list[Record]:
        """The records ``lift`` sets against these bests (without changing them)."""
        found: list[Record] = []
        heavier = False
        if lift.load_kg and lift.load_kg > 0 and lift.reps:
            if self.load is None or lift.load_kg > self.load + _EPS:
                heavier = True
                found.append(Record("load", lift.load_kg, self.load, lift.load_kg, lift.reps))
        if lift.reps and lift.reps > 0 and not heavier and not self.dominated(lift.load, lift.reps):
            previous = max((n for kg, n in self.frontier if kg >= lift.load - _EPS), default=None)
            found.append(Record("reps", lift.reps, previous, lift.load_kg, lift.reps))
        if lift.e1rm_kg is not None and (self.e1rm is None or lift.e1rm_kg > self.e1rm + _EPS):
            found.append(Record("e1rm", lift.e1rm_kg, self.e1rm, lift.load_kg, lift.reps))
        if lift.volume_kg is not None and (
            self.volume is None or lift.volume_kg > self.volume + _EPS
        ):
            found.append(Record("volume", lift.volume_kg, self.volume, lift.load_kg, lift.reps))
        return found

    def add(self, lift: Lift) -> None:
        """Take ``lift`` into account (whether or not it set a record)."""
        if lift.load_kg and lift.load_kg > 0 and lift.reps:
            self.load = max(self.load or 0.0, lift.load_kg)
        if lift.e1rm_kg is not None:
            self.e1rm = max(self.e1rm or 0.0, lift.e1rm_kg)
        if lift.volume_kg is not None:
            self.volume = max(self.volume or 0.0, lift.volume_kg)
        if lift.reps and lift.reps > 0 and not self.dominated(lift.load, lift.reps):
            pair = (lift.load, lift.reps)
            self.frontier = [
                (kg, n) for kg, n in self.frontier if not (kg <= pair[0] and n <= pair[1])
            ]
            self.frontier.append(pair)

    @classmethod
    def from_records(cls, rows: Iterable[tuple[str, float, float | None, int | None]]) -> Bests:
        """Current bests from stored records: (kind, value, load_kg, reps) rows. Every set
        on the frontier set a record when it was logged, so the records are enough."""
        bests = cls()
        for kind, value, load, reps in rows:
            if kind == "load":
                bests.load = max(bests.load or 0.0, value)
            elif kind == "e1rm":
                bests.e1rm = max(bests.e1rm or 0.0, value)
            elif kind == "volume":
                bests.volume = max(bests.volume or 0.0, value)
            if reps:
                bests.add(Lift(load, reps, None, None))
        return bests


def replay(lifts: Sequence[Lift]) -> list[list[Record]]:
    """The records each lift set, in order (rebuilding an exercise's record history)."""
    bests = Bests()
    out = []
    for lift in lifts:
        out.append(bests.check(lift))
        bests.add(lift)
    return out


# --- plateaus and streaks -------------------------------------------------------------------


@dataclass(frozen=True)
class Plateau:
    """A lift's estimated 1RM has stopped improving: its best was set more than ``weeks``
    weeks ago although it was trained at least ``min_sessions`` times since."""

    plateaued: bool
    weeks: int
    best_kg: float
    best_on: date
    recent_best_kg: float
    sessions: int


def plateau(
    *,
    best_kg: float,
    best_on: date,
    recent_best_kg: float | None,
    recent_sessions: int,
    today: date,
    weeks: int = 4,
    min_sessions: int = 3,
) -> Plateau | None:
    """From the all-time best (value, date) and the sessions of the last ``weeks`` weeks
    (how many, their best); None when those are too few to tell (a lift not trained is
    not on a plateau, it is on a break)."""
    if recent_best_kg is None or recent_sessions < min_sessions:
        return None
    return Plateau(
        plateaued=best_on < today - timedelta(weeks=weeks),
        weeks=weeks,
        best_kg=best_kg,
        best_on=best_on,
        recent_best_kg=recent_best_kg,
        sessions=recent_sessions,
    )


def week_streaks(weeks: Sequence[tuple[date, int, int]], *, current_week: date) -> tuple[int, int]:
    """(current, longest) runs of weeks meeting their target, from (monday, target, done)
    rows in order. A week meets it when done >= target > 0. The current week only counts
    once it is met; until then it does not break the run."""
    current = longest = run = 0
    for monday_on, target, done in weeks:
        met = target > 0 and done >= target
        if met:
            run += 1
            longest = max(longest, run)
        elif monday_on != current_week:
            run = 0
    current = run
    return current, longest
