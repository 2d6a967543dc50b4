"""Program pages: the template library, the builder (structure and prescriptions) and
assigning a template to a client.

The builder edits one template in place. Structure changes (phases, workouts, duplicating)
are plain forms that redirect back to the builder, reordering is HTMX as well; everything on
a prescription is an HTMX post answered with the workout card re-rendered, or a redirect
without JavaScript. Routes are included in this order so that fixed paths
(``/programs/rows``, ``/programs/assign/...``) come before ``/programs/{template_id}``."""

# Route order is import order: fixed paths before /{id} ones, so keep this order.
# isort: off
from spotter.programs.pages import library  # noqa: F401
from spotter.programs.pages import assign  # noqa: F401
from spotter.programs.pages import builder  # noqa: F401
from spotter.programs.pages import prescriptions  # noqa: F401

# isort: on
from spotter.programs.pages.common import router

__all__ = ["router"]
