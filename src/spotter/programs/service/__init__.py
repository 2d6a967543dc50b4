"""Programs: templates (phases, workouts, prescriptions), assignment to clients as programs
with a deep copy, progression and scheduling.

* ``templates``: the template row rule, CRUD of the whole tree, copy, reorder;
* ``programs``: assignment, progress, the week's workouts, ``record_workout_completed``
  (what the training log calls);
* ``schedule``: laying workouts onto calendar dates and moving them.
"""

from spotter.programs.service.programs import (
    assign,
    client_program,
    complete_workout,
    get_program,
    list_client_programs,
    program_week,
    record_workout_completed,
    step_program,
    update_program,
    visible_programs,
)
from spotter.programs.service.schedule import (
    client_calendar,
    client_schedule,
    client_today,
    move,
    schedule,
    week_of,
)
from spotter.programs.service.templates import (
    add_phase,
    add_prescription,
    add_workout,
    archive_template,
    copy_template,
    create_template,
    delete_phase,
    delete_prescription,
    delete_workout,
    duplicate_workout,
    editable_workout,
    list_templates,
    read_template,
    reorder_phases,
    reorder_prescriptions,
    reorder_workouts,
    template_rule,
    update_phase,
    update_prescription,
    update_template,
    update_workout,
)

__all__ = [
    "add_phase",
    "add_prescription",
    "add_workout",
    "archive_template",
    "assign",
    "client_calendar",
    "client_program",
    "client_schedule",
    "client_today",
    "complete_workout",
    "copy_template",
    "create_template",
    "delete_phase",
    "delete_prescription",
    "delete_workout",
    "duplicate_workout",
    "editable_workout",
    "get_program",
    "list_client_programs",
    "list_templates",
    "move",
    "program_week",
    "read_template",
    "record_workout_completed",
    "reorder_phases",
    "reorder_prescriptions",
    "reorder_workouts",
    "schedule",
    "step_program",
    "template_rule",
    "update_phase",
    "update_prescription",
    "update_program",
    "update_template",
    "update_workout",
    "visible_programs",
    "week_of",
]
