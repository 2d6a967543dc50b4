from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from spotter.exercises.schemas import Force, Level, Mechanic, Source
from spotter.identity.dependencies import Principal, require

ExercisesRead = Annotated[Principal, require("exercises:read")]
ExercisesWrite = Annotated[Principal, require("exercises:write")]

_VOCAB = " (repeat the parameter for several; any of them matches)"


@dataclass(frozen=True)
class SearchParams:
    """The filters of GET /exercises: each may be repeated (any value matches), different
    filters must all match."""

    q: str | None
    muscles: list[str]
    include_secondary: bool
    equipment: list[str]
    categories: list[str]
    levels: list[str]
    mechanics: list[str]
    forces: list[str]
    sources: list[str]
    include_archived: bool


async def search_params(
    q: Annotated[
        str | None,
        Query(max_length=100, description="Name: prefix or contains, typos tolerated"),
    ] = None,
    muscle: Annotated[list[str], Query(description="Muscle slug from GET /muscles" + _VOCAB)] = [],  # noqa: B006 (FastAPI copies query defaults)
    include_secondary: Annotated[
        bool, Query(description="Match muscle against secondary muscles too")
    ] = False,
    equipment: Annotated[
        list[str], Query(description="Equipment slug from GET /equipment" + _VOCAB)
    ] = [],  # noqa: B006
    category: Annotated[
        list[str],
        Query(description="Category slug; a parent includes its children" + _VOCAB),
    ] = [],  # noqa: B006
    level: Annotated[list[Level], Query()] = [],  # noqa: B006
    mechanic: Annotated[list[Mechanic], Query()] = [],  # noqa: B006
    force: Annotated[list[Force], Query()] = [],  # noqa: B006
    source: Annotated[list[Source], Query(description="shared or custom")] = [],  # noqa: B006
    include_archived: Annotated[
        bool, Query(description="Include archived custom exercises")
    ] = False,
) -> SearchParams:
    # A function, not a class: FastAPI runs a class (a sync callable) in a worker thread.
    return SearchParams(
        q=q,
        muscles=muscle,
        include_secondary=include_secondary,
        equipment=equipment,
        categories=category,
        levels=[str(v) for v in level],
        mechanics=[str(v) for v in mechanic],
        forces=[str(v) for v in force],
        sources=[str(v) for v in source],
        include_archived=include_archived,
    )


Search = Annotated[SearchParams, Depends(search_params)]
