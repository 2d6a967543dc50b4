"""Exercise library pages (staff): search with filters, one exercise with its
substitutions, the organization's own exercises and its versions of shared ones.

``library`` and ``edit``'s fixed paths (``/exercises/rows``, ``/exercises/pick``,
``/exercises/new``) are included before ``/exercises/{exercise_id}``."""

from fastapi import APIRouter

from spotter.exercises.pages import detail, edit, library

router = APIRouter()
for part in (library, edit, detail):
    router.include_router(part.router)

__all__ = ["router"]
