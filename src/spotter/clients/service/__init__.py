"""Clients: records and their row rule (``records``), profile and health data
(``health``), goals (``goals``) and assessments (``assessments``).

Every function that works on one client takes the ``Client`` already loaded through the
row rule (``records.get_client``; the routers get it from ``dependencies``)."""

from spotter.clients.service.assessments import (
    compare,
    create_assessment,
    delete_assessment,
    get_assessment,
    list_assessments,
    update_assessment,
)
from spotter.clients.service.goals import (
    create_goal,
    delete_goal,
    get_goal,
    latest_value,
    latest_values,
    list_goals,
    update_goal,
    value_source,
)
from spotter.clients.service.health import get_health, profile_out, put_health, put_profile
from spotter.clients.service.records import (
    archive_client,
    assignment_history,
    check_transition,
    counts_by_status,
    create_client,
    ensure_client_for_invitation,
    get_client,
    get_client_unchecked,
    get_client_with_tags,
    link_user,
    list_clients,
    list_clients_with_tags,
    organization_tags,
    own_client,
    tags_of,
    update_client,
    visible_client_ids,
    visible_clients,
)

__all__ = [
    "archive_client",
    "assignment_history",
    "check_transition",
    "compare",
    "counts_by_status",
    "create_assessment",
    "create_client",
    "create_goal",
    "delete_assessment",
    "delete_goal",
    "ensure_client_for_invitation",
    "get_assessment",
    "get_client",
    "get_client_unchecked",
    "get_client_with_tags",
    "get_goal",
    "get_health",
    "latest_value",
    "latest_values",
    "link_user",
    "list_assessments",
    "list_clients",
    "list_clients_with_tags",
    "list_goals",
    "organization_tags",
    "own_client",
    "profile_out",
    "put_health",
    "put_profile",
    "tags_of",
    "update_assessment",
    "update_client",
    "update_goal",
    "value_source",
    "visible_client_ids",
    "visible_clients",
]
