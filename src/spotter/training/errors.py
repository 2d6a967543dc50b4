from spotter.core.errors import Conflict, NotFound


class LoggedWorkoutNotFound(NotFound):
    code, title = "logged_workout_not_found", "No such workout in the training log"


class LoggedExerciseNotFound(NotFound):
    code, title = "logged_exercise_not_found", "No such exercise in this workout"


class SetNotFound(NotFound):
    code, title = "set_not_found", "No such set in this workout"


class WorkoutDiscarded(Conflict):
    code, title = "workout_discarded", "This workout was discarded; start a new one"


class IdTaken(Conflict):
    code, title = "id_taken", "This id is already used by something else; generate a new one"


class SetChanged(Conflict):
    code, title = "set_changed", "This set was changed since you last saw it"


class ExerciseHasSets(Conflict):
    code, title = "exercise_has_sets", "Sets are already logged for this exercise"
