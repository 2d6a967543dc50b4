"""The exercise library as an organization sees it: the shared library with its overrides
applied, plus its own (custom) exercises.

* ``library``: the shared library, indexed in process memory once (``index.Library``);
* ``own``: the organization's own entries, cached per process under a library version;
* ``reads``: search, one exercise, a batch by ids, substitutions, the vocabularies;
* ``writes``: custom exercises and overrides.

Other domains use ``get_exercise`` and ``exercises_by_ids`` (a batch: no N+1 when a
program shows its exercises).
"""

from spotter.exercises.service.library import forget_library, library
from spotter.exercises.service.reads import (
    categories,
    equipment,
    exercises_by_ids,
    get_exercise,
    muscles,
    search,
    substitutions,
)
from spotter.exercises.service.writes import (
    archive_custom,
    create_custom,
    delete_override,
    put_override,
    update_custom,
)

__all__ = [
    "archive_custom",
    "categories",
    "create_custom",
    "delete_override",
    "equipment",
    "exercises_by_ids",
    "forget_library",
    "get_exercise",
    "library",
    "muscles",
    "put_override",
    "search",
    "substitutions",
    "update_custom",
]
