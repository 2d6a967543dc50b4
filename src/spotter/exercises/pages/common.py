"""What the exercise pages share: who may open them and the vocabularies as form choices
and display names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.errors import Forbidden
from spotter.core.routing import Router
from spotter.exercises import service as exercises
from spotter.exercises.schemas import Force, Level, Mechanic
from spotter.identity.dependencies import Principal
from spotter.web import page_require

# The package's one router: its modules add their routes to it in import order.
router = Router()

REGIONS = ("chest", "back", "shoulders", "arms", "core", "legs", "neck")
LEVELS = [(v.value, v.value.capitalize()) for v in Level]
MECHANICS = [(v.value, v.value.capitalize()) for v in Mechanic]
FORCES = [(v.value, v.value.capitalize()) for v in Force]
SOURCES = [("shared", "Library"), ("custom", "Your own")]
CHILD_OF = " \u203a "  # a single right-pointing angle quotation mark: "Strength > Powerlifting"


def lines(value: str | None) -> list[str]:
    """A textarea's non-empty lines (coaching cues, one per line)."""
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def staff_page(permission: str) -> Any:
    """The library pages are a staff tool (clients see exercises inside their workouts)."""

    member = page_require(permission)

    async def check(principal: Principal = member) -> Principal:
        if not principal.is_staff:
            raise Forbidden("The exercise library is for staff.")
        return principal

    return Depends(check)


ExercisesRead = Annotated[Principal, staff_page("exercises:read")]
ExercisesWrite = Annotated[Principal, staff_page("exercises:write")]


@dataclass(frozen=True)
class Vocabulary:
    """Choices for the filters and forms, and slug -> name for display."""

    muscle_groups: list[tuple[str, list[tuple[str, str]]]]
    equipment: list[tuple[str, str]]
    categories: list[tuple[str, str]]
    names: dict[str, dict[str, str]]

    def as_context(self) -> dict[str, Any]:
        return {
            "muscle_groups": self.muscle_groups,
            "equipment_choices": self.equipment,
            "category_choices": self.categories,
            "names": self.names,
            "levels": LEVELS,
            "mechanics": MECHANICS,
            "forces": FORCES,
            "sources": SOURCES,
        }


async def vocabulary(session: AsyncSession) -> Vocabulary:
    muscles = await exercises.muscles(session)
    categories = await exercises.categories(session)
    equipment = await exercises.equipment(session)
    groups = [
        (region.capitalize(), [(m.slug, m.name) for m in muscles if m.region == region])
        for region in REGIONS
    ]
    by_slug = {c.slug: c for c in categories}
    full = {
        c.slug: f"{by_slug[c.parent].name}{CHILD_OF}{c.name}" if c.parent else c.name
        for c in categories
    }
    # Parents come before their children (dataset order); a parent includes its children.
    category_choices = [
        (c.slug, f"{c.name} (all)" if c.children else full[c.slug]) for c in categories
    ]
    names = {
        "muscle": {m.slug: m.name for m in muscles},
        "equipment": {e.slug: e.name for e in equipment},
        "category": full,
    }
    return Vocabulary(
        muscle_groups=[g for g in groups if g[1]],
        equipment=[(e.slug, e.name) for e in equipment],
        categories=category_choices,
        names=names,
    )
