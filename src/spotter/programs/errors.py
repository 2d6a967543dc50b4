from spotter.core.errors import Conflict, Forbidden, InvalidInput, NotFound


class TemplateNotFound(NotFound):
    code, title = "template_not_found", "No such template"


class PhaseNotFound(NotFound):
    code, title = "phase_not_found", "No such phase"


class WorkoutNotFound(NotFound):
    code, title = "workout_not_found", "No such workout"


class PrescriptionNotFound(NotFound):
    code, title = "prescription_not_found", "No such prescription"


class ProgramNotFound(NotFound):
    code, title = "program_not_found", "No such program"


class ScheduledWorkoutNotFound(NotFound):
    code, title = "scheduled_workout_not_found", "No such scheduled workout in this program"


class TemplateReadOnly(Forbidden):
    code, title = (
        "template_read_only",
        "Shared library templates are maintained by owners and admins; copy it to customise it",
    )


class TemplateArchived(Conflict):
    code, title = "template_archived", "This template is archived"


class ProgramNotActive(Conflict):
    code, title = "program_not_active", "This program is not active"


class BadOrder(InvalidInput):
    code, title = "invalid_order", "The order must list every item exactly once"


class UnknownExercise(InvalidInput):
    code, title = "unknown_exercise", "No such exercise in your library"
