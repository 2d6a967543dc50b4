"""Progression, as pure functions (no database, no clock).

**Design: computed, never mutated.** A prescription stores its week-1 values (the *base*)
and a rule. What the client does in week ``n`` of a phase is ``applied(base, rule, n)``,
computed on every read. Nothing is written back when a week advances: a program only moves
its ``(current_phase, current_week)`` pointer. So any week of any program can be
reproduced exactly, at any time, from the snapshot plan the program copied at assignment
(``GET /programs/{id}/workouts?phase=&week=`` shows it).

Weeks are counted within a phase (each phase starts again from its own base), which is
how periodized programs are written: a new phase has new prescriptions.

Rules (``Prescription.progression``):

* ``{"kind": "linear_load", "increment_kg": 2.5}``: add the increment every week
  (needs a kg load);
* ``{"kind": "double_progression", "increment_kg": 2.5}``: reps climb by one a week from
  the bottom of the range to its top; the week after the top, the load goes up by the
  increment and reps reset to the bottom (needs a rep range and a kg load);
* ``{"kind": "percentage_steps", "steps": [70, 75, 80]}``: %1RM per week; weeks beyond the
  list keep the last step (needs a %1RM load).

The advance of a program is pure too (``after_week``, ``before_week``, ``week_done``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any

RULE_KINDS = ("linear_load", "double_progression", "percentage_steps")


@dataclass(frozen=True)
class Values:
    """The parts of a prescription that progression changes."""

    sets: int
    reps_min: int | None = None
    reps_max: int | None = None
    load_kg: float | None = None
    percent_1rm: float | None = None

    @classmethod
    def of(cls, prescription: Any) -> Values:
        """The values of anything shaped like a prescription (a row, a schema)."""
        return cls(
            sets=prescription.sets,
            reps_min=prescription.reps_min,
            reps_max=prescription.reps_max,
            load_kg=prescription.load_kg,
            percent_1rm=prescription.percent_1rm,
        )


def rule_problem(rule: dict[str, Any] | None, base: Values) -> str | None:
    """Why ``rule`` cannot apply to ``base`` (a message for the caller), or None."""
    if rule is None:
        return None
    kind = rule.get("kind")
    if kind == "linear_load":
        if base.load_kg is None:
            return "linear load progression needs a load in kg (load_kg)"
    elif kind == "double_progression":
        if base.reps_min is None or base.reps_max is None or base.reps_min >= base.reps_max:
            return "double progression needs a rep range (reps_min below reps_max)"
        if base.load_kg is None:
            return "double progression needs a load in kg (load_kg)"
    elif kind == "percentage_steps":
        if base.percent_1rm is None:
            return "percentage steps need a %1RM load (percent_1rm)"
    else:
        return f"unknown progression kind {kind!r}; use one of {', '.join(RULE_KINDS)}"
    return None


def _kg(value: float) -> float:
    return round(value, 2)


def applied(base: Values, rule: dict[str, Any] | None, week: int) -> Values:
    """The values for ``week`` (1-based, within the phase). Week 1 is the base, except
    that double progression targets the bottom of the range and percentage steps their
    first step."""
    if week < 1:
        raise ValueError("weeks start at 1")
    if rule is None:
        return base
    done = week - 1  # advances since the base
    kind = rule["kind"]
    if kind == "linear_load" and base.load_kg is not None:
        return replace(base, load_kg=_kg(base.load_kg + done * float(rule["increment_kg"])))
    if kind == "double_progression" and base.reps_min is not None and base.reps_max is not None:
        span = base.reps_max - base.reps_min + 1
        cycles, offset = divmod(done, span)
        reps = base.reps_min + offset
        load = None
        if base.load_kg is not None:
            load = _kg(base.load_kg + cycles * float(rule["increment_kg"]))
        return replace(base, reps_min=reps, reps_max=reps, load_kg=load)
    if kind == "percentage_steps":
        steps: Sequence[float] = rule["steps"]
        return replace(base, percent_1rm=float(steps[min(done, len(steps) - 1)]))
    return base


# --- moving a program through its weeks ----------------------------------------------------


@dataclass(frozen=True)
class Position:
    phase: int  # 1-based
    week: int  # 1-based, within the phase
    completed: bool = False


def after_week(position: Position, phase_weeks: Sequence[int]) -> Position:
    """Where a program goes when its current week is done: the next week; after the
    phase's last week, the next phase's week 1; after the last phase, completed (the
    position stays on the last week)."""
    if position.completed:
        return position
    if position.week < phase_weeks[position.phase - 1]:
        return Position(position.phase, position.week + 1)
    if position.phase < len(phase_weeks):
        return Position(position.phase + 1, 1)
    return Position(position.phase, position.week, completed=True)


def before_week(position: Position, phase_weeks: Sequence[int]) -> Position | None:
    """The week before ``position`` (the previous phase's last week after a phase's first
    week), or None at the program's very first week. The inverse of ``after_week``."""
    if position.week > 1:
        return Position(position.phase, position.week - 1)
    if position.phase > 1:
        return Position(position.phase - 1, phase_weeks[position.phase - 2])
    return None


def week_done(phase_workouts: Collection[Any], completed: Collection[Any]) -> bool:
    """A week is done when every workout of the phase was completed in it."""
    return bool(phase_workouts) and set(phase_workouts) <= set(completed)


def valid_position(phase: int, week: int, phase_weeks: Sequence[int]) -> str | None:
    if not 1 <= phase <= len(phase_weeks):
        return f"phase {phase} does not exist: the program has {len(phase_weeks)} phase(s)"
    if not 1 <= week <= phase_weeks[phase - 1]:
        return f"week {week} is beyond phase {phase}, which has {phase_weeks[phase - 1]} week(s)"
    return None
