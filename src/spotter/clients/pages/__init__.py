"""Client pages: the list (live search, status filter, "Load more"), a new-client form and
the client page with its tabs (overview, profile, health, goals, assessments, programs,
notes). Every form follows ``web``'s pattern: the service call inside a savepoint, then a
redirect with a flash message, or the same tab again with the messages next to the fields.

``listing`` comes first so that ``/clients/rows`` and ``/clients/new`` are matched before
``/clients/{client_id}``."""

# Route order is import order: fixed paths before /{id} ones, so keep this order.
# isort: off
from spotter.clients.pages import listing  # noqa: F401
from spotter.clients.pages import record  # noqa: F401
from spotter.clients.pages import details  # noqa: F401
from spotter.clients.pages import goals  # noqa: F401
from spotter.clients.pages import programs  # noqa: F401

# isort: on
from spotter.clients.pages.common import router
from spotter.clients.pages.listing import client_list

__all__ = ["client_list", "router"]
