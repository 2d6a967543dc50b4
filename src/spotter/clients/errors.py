from __future__ import annotations

from spotter.core.errors import InvalidInput, NotFound


class ClientNotFound(NotFound):
    code, title = "not_found", "No such client"


class GoalNotFound(NotFound):
    code, title = "goal_not_found", "No such goal"


class AssessmentNotFound(NotFound):
    code, title = "assessment_not_found", "No such assessment"


class InvalidStatusTransition(InvalidInput):
    code, title = "invalid_status_transition", "This status change is not allowed"
