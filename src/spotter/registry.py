"""Imports every domain's models so metadata is complete (Alembic, mappers, tests)."""

from spotter.clients import models as clients_models
from spotter.core.db import Base
from spotter.exercises import models as exercises_models
from spotter.identity import models as identity_models
from spotter.nutrition import models as nutrition_models
from spotter.orgs import models as orgs_models
from spotter.programs import models as programs_models
from spotter.progress import models as progress_models
from spotter.training import models as training_models

__all__ = [
    "Base",
    "clients_models",
    "exercises_models",
    "identity_models",
    "nutrition_models",
    "orgs_models",
    "programs_models",
    "progress_models",
    "training_models",
]

# Tables that are deliberately not tenant-scoped (tests/test_conventions.py checks this list).
GLOBAL_TABLES = frozenset(
    {
        "organizations",
        "users",
        "auth_sessions",
        "refresh_tokens",
        "one_time_tokens",
        # The shared exercise library (read-only at run time, loaded by a data migration).
        "exercise_categories",
        "muscles",
        "equipment",
        "exercises",
        "exercise_muscles",
        # The shared USDA food database (read-only at run time, loaded by a data migration).
        "food_groups",
        "foods",
        "food_portions",
    }
)
