from spotter.core.errors import Conflict, NotFound


class ExerciseNotFound(NotFound):
    code, title = "exercise_not_found", "No such exercise"


class SharedExerciseReadOnly(Conflict):
    code, title = (
        "shared_exercise_read_only",
        "Shared library exercises cannot be changed; use PUT /exercises/{id}/override "
        "to give your organization its own version",
    )


class NotASharedExercise(Conflict):
    code, title = (
        "not_a_shared_exercise",
        "Only shared library exercises have overrides; edit your own exercise directly "
        "with PUT /exercises/{id}",
    )
