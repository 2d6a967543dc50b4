"""Program pages: the template library, the builder (structure and prescriptions) and
assigning a template to a client.

The builder edits one template in place. Structure changes (phases, workouts, duplicating)
are plain forms that redirect back to the builder, reordering is HTMX as well; everything on
a prescription is an HTMX post answered with the workout card re-rendered, or a redirect
without JavaScript. Routes are included in this order so that fixed paths
(``/programs/rows``, ``/programs/assign/...``) come before ``/programs/{template_id}``."""

from fastapi import APIRouter

from spotter.programs.pages import assign, builder, library, prescriptions

router = APIRouter()
for part in (library, assign, builder, prescriptions):
    router.include_router(part.router)

__all__ = ["router"]
