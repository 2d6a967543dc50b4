"""Exercise library pages (staff): search with filters, one exercise with its
substitutions, the organization's own exercises and its versions of shared ones.

``library`` and ``edit``'s fixed paths (``/exercises/rows``, ``/exercises/pick``,
``/exercises/new``) are included before ``/exercises/{exercise_id}``."""

# Route order is import order: fixed paths before /{id} ones, so keep this order.
# isort: off
from spotter.exercises.pages import library  # noqa: F401
from spotter.exercises.pages import edit  # noqa: F401
from spotter.exercises.pages import detail  # noqa: F401

# isort: on
from spotter.exercises.pages.common import router

__all__ = ["router"]
