"""The library page: typo-tolerant search (live over HTMX), filters, "Load more"; and the
compact picker other pages use to choose an exercise (a strength goal's lift)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.ext.asyncio import AsyncSession

from spotter.core.db import DbSession
from spotter.core.errors import AppError, field_error
from spotter.core.pagination import PageParams
from spotter.exercises import service as exercises
from spotter.exercises.pages.common import LEVELS, SOURCES, ExercisesRead, router, vocabulary
from spotter.web import field_messages, render

PAGE_SIZE = 24
PICK_SIZE = 8
Text = Annotated[str, Query(max_length=100)]
Slug = Annotated[str, Query(max_length=60)]
FILTERS = ("q", "muscle", "equipment", "category", "level", "source")


def _one(name: str, value: str, allowed: list[tuple[str, str]]) -> list[str]:
    """A select's value as the service's list filter; a value not offered is a 422."""
    if not value:
        return []
    if value not in dict(allowed):
        raise field_error(name, "Choose one of the listed values.")
    return [value]


async def library_context(
    session: AsyncSession, filters: dict[str, str], cursor: str = ""
) -> tuple[dict[str, Any], int]:
    """One page of results for the filters, or the messages next to the refused ones."""
    context: dict[str, Any] = {"f": filters, "results": [], "next_cursor": None, "errors": {}}
    try:
        items, next_cursor = await exercises.search(
            session,
            params=PageParams(cursor=cursor or None, limit=PAGE_SIZE),
            q=filters["q"].strip() or None,
            muscles=[filters["muscle"]] if filters["muscle"] else [],
            equipment=[filters["equipment"]] if filters["equipment"] else [],
            categories=[filters["category"]] if filters["category"] else [],
            levels=_one("level", filters["level"], LEVELS),
            sources=_one("source", filters["source"], SOURCES),
        )
    except AppError as exc:
        if exc.status != 422:
            raise
        context["errors"], context["form_error"] = field_messages(exc)
        return context, 422
    context["results"], context["next_cursor"] = items, next_cursor
    filtered = {k: v for k, v in filters.items() if v}
    context["more_query"] = urlencode({**filtered, "cursor": next_cursor or ""})
    context["filtered"] = bool(filtered)
    return context, 200


@dataclass(frozen=True)
class LibraryQuery:
    """The library's query string: the filters (raw; ``library_context`` checks them) and
    the page cursor."""

    filters: dict[str, str]
    cursor: str


async def library_query(
    q: Text = "",
    muscle: Slug = "",
    equipment: Slug = "",
    category: Slug = "",
    level: Slug = "",
    source: Slug = "",
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> LibraryQuery:
    values = {
        "q": q,
        "muscle": muscle,
        "equipment": equipment,
        "category": category,
        "level": level,
        "source": source,
    }
    return LibraryQuery({name: values[name] for name in FILTERS}, cursor)


Library = Annotated[LibraryQuery, Depends(library_query)]


@router.get("/exercises")
async def library_page(
    request: Request, session: DbSession, principal: ExercisesRead, query: Library
) -> Response:
    context, status = await library_context(session, query.filters, query.cursor)
    vocab = (await vocabulary(session)).as_context()
    return render(request, "exercises/list.html", {**vocab, **context}, status_code=status)


@router.get("/exercises/rows")
async def library_rows(
    request: Request, session: DbSession, principal: ExercisesRead, query: Library
) -> Response:
    """HTML fragment: the results (and the next "Load more") for live search and paging;
    a new search also puts its filters in the address bar, so it can be shared."""
    context, status = await library_context(session, query.filters, query.cursor)
    vocab = (await vocabulary(session)).as_context()
    context = {**vocab, **context, "appending": bool(query.cursor)}
    response = render(request, "exercises/_rows.html", context, status_code=status)
    if not query.cursor:
        shown = urlencode({k: v for k, v in query.filters.items() if v})
        response.headers["HX-Replace-Url"] = "/exercises" + (f"?{shown}" if shown else "")
    return response


@router.get("/exercises/pick")
async def pick_exercise(
    request: Request, session: DbSession, principal: ExercisesRead, q: Text = ""
) -> Response:
    """HTML fragment for a picker: the best matches, each a button that chooses it."""
    items: list[Any] = []
    if q.strip():
        items, _ = await exercises.search(session, params=PageParams(limit=PICK_SIZE), q=q.strip())
    names = (await vocabulary(session)).names
    picks = [
        {
            "id": e.id,
            "name": e.name,
            "sub": " · ".join(
                [", ".join(names["muscle"].get(m, m) for m in e.primary_muscles)]
                + ([names["equipment"].get(e.equipment, e.equipment)] if e.equipment else [])
            ),
        }
        for e in items
    ]
    context = {"picks": picks, "q": q, "noun": "exercise"}
    return render(request, "clients/_pick_results.html", context)
