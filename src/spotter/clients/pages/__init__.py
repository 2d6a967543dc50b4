"""Client pages: the list (live search, status filter, "Load more"), a new-client form and
the client page with its tabs (overview, profile, health, goals, assessments, programs,
notes). Every form follows ``web``'s pattern: the service call inside a savepoint, then a
redirect with a flash message, or the same tab again with the messages next to the fields.

``listing`` comes first so that ``/clients/rows`` and ``/clients/new`` are matched before
``/clients/{client_id}``."""

from fastapi import APIRouter

from spotter.clients.pages import details, goals, listing, programs, record
from spotter.clients.pages.listing import client_list

router = APIRouter()
for part in (listing, record, details, goals, programs):
    router.include_router(part.router)

__all__ = ["client_list", "router"]
