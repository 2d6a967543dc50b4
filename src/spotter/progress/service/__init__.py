"""Progress: measurements and custom metrics (``measurements``), progress photos
(``photos``), weekly check-ins (``checkins``), goal values and forecasts (``goals``) and
body chart data (``charts``).

Functions about one client take the ``Client`` already loaded through the clients row
rule (the routers get it from ``dependencies``), so a trainer reaches only their own
clients and a client only themself."""

from spotter.progress.service import goals as _goals  # noqa: F401  (registers a value source)
from spotter.progress.service.charts import body_chart
from spotter.progress.service.checkins import (
    current_check_in,
    due,
    effective_form,
    get_check_in,
    inbox,
    list_check_ins,
    list_messages,
    organization_form,
    post_message,
    put_client_form,
    put_organization_form,
    reset_client_form,
    submit,
)
from spotter.progress.service.common import client_today, unit_system
from spotter.progress.service.goals import goal_forecast
from spotter.progress.service.measurements import (
    catalogue,
    create_custom_metric,
    delete_measurement,
    export_csv,
    get_custom_metric,
    get_measurement,
    latest,
    list_measurements,
    record,
    series,
    update_custom_metric,
)
from spotter.progress.service.photos import (
    compare_photos,
    delete_photo,
    get_photo,
    list_photos,
    photo_file,
    photo_out,
    upload_photo,
)

__all__ = [
    "body_chart",
    "catalogue",
    "client_today",
    "compare_photos",
    "create_custom_metric",
    "current_check_in",
    "delete_measurement",
    "delete_photo",
    "due",
    "effective_form",
    "export_csv",
    "get_check_in",
    "get_custom_metric",
    "get_measurement",
    "get_photo",
    "goal_forecast",
    "inbox",
    "latest",
    "list_check_ins",
    "list_measurements",
    "list_messages",
    "list_photos",
    "organization_form",
    "photo_file",
    "photo_out",
    "post_message",
    "put_client_form",
    "put_organization_form",
    "record",
    "reset_client_form",
    "series",
    "submit",
    "unit_system",
    "update_custom_metric",
    "upload_photo",
]
