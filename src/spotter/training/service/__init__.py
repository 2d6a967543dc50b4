"""The training log.

* ``workouts``: the row rule, starting from a program workout or free-style, the session's
  exercises (add, swap for a substitute, remove), notes, completion (which drives the
  program's advance), discarding, history;
* ``sets``: sets written by id (idempotent, safe to replay after being offline);
* ``derived``: per-exercise day rows and personal records, kept up to date on write;
* ``stats``: estimated 1RM per lift, weekly volume per muscle, adherence, streaks, plateaus,
  the dashboard, and the goal value source for strength goals;
* ``transfer``: CSV export, and import from Strong and Hevy exports.
"""

from spotter.training.service.derived import bests_for, rebuild_client
from spotter.training.service.sets import delete_set, put_set
from spotter.training.service.stats import (
    current_e1rms,
    dashboard,
    e1rm_history,
    lift,
    lift_sets,
    plateaus,
    records_page,
)
from spotter.training.service.transfer import export_csv, export_name, import_csv
from spotter.training.service.workouts import (
    add_exercise,
    client_for_log,
    complete_workout,
    detail,
    discard_workout,
    entry_detail,
    get_workout,
    history_counts,
    list_history,
    remove_exercise,
    start_workout,
    substitutes,
    swap_exercise,
    update_workout,
    visible_workouts,
)

__all__ = [
    "add_exercise",
    "bests_for",
    "client_for_log",
    "complete_workout",
    "current_e1rms",
    "dashboard",
    "delete_set",
    "detail",
    "discard_workout",
    "e1rm_history",
    "entry_detail",
    "export_csv",
    "export_name",
    "get_workout",
    "history_counts",
    "import_csv",
    "lift",
    "lift_sets",
    "list_history",
    "plateaus",
    "put_set",
    "rebuild_client",
    "records_page",
    "remove_exercise",
    "start_workout",
    "substitutes",
    "swap_exercise",
    "update_workout",
    "visible_workouts",
]
