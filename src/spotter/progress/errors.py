from spotter.core.errors import Conflict, NotFound


class MetricNotFound(NotFound):
    code, title = "metric_not_found", "No such custom metric"


class MeasurementNotFound(NotFound):
    code, title = "measurement_not_found", "No such measurement"


class PhotoNotFound(NotFound):
    code, title = "photo_not_found", "No such progress photo"


class CheckInNotFound(NotFound):
    code, title = "check_in_not_found", "No such check-in"


class MetricNameTaken(Conflict):
    code, title = "metric_name_taken", "A metric with this name already exists"


class AlreadyCheckedIn(Conflict):
    code, title = "already_checked_in", "This week's check-in is already in"
