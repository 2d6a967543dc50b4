"""Who may do what: one table from role to permissions.

Row rules (a trainer sees only their own clients; a client sees only themself) live in one
function per domain, e.g. ``clients.service.visible_clients``.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"
    TRAINER = "trainer"
    FRONT_DESK = "front_desk"
    CLIENT = "client"


STAFF_ROLES = frozenset({Role.OWNER, Role.ADMIN, Role.TRAINER, Role.FRONT_DESK})

PERMISSIONS: dict[str, str] = {
    "org:read": "See the organization's name, branding and settings",
    "org:manage": "Change the organization's settings and branding",
    "team:read": "See staff members",
    "team:manage": "Invite, change and remove staff",
    "apikeys:manage": "Create, list and revoke API keys",
    "clients:read": "See clients (trainers: only their own)",
    "clients:write": "Change client records",
    "clients:invite": "Invite clients to the app",
    "clients:assign": "Assign clients to trainers",
    "clients:notes": "See and write private trainer notes on clients (never shown to clients)",
    "clients:self": "See one's own client profile, goals and assessments",
    "health:read": "See health history, injuries and limitations (trainers: own clients only)",
    "health:write": "Record health history, injuries and limitations",
    "exercises:read": "See the exercise library (shared, overridden and custom exercises)",
    "exercises:write": "Add, change and archive custom exercises; override shared ones",
    "templates:read": "See program templates (trainers: their own and the shared library)",
    "templates:write": "Build personal program templates",
    "templates:manage": "Maintain the shared template library and everyone's templates",
    "programs:read": "See clients' programs (trainers: their clients'; clients: their own)",
    "programs:write": "Assign programs to clients, move them, reschedule their workouts",
    "programs:log": "Mark a program workout as done",
    # Progress: body data and photos are personal, like health data (never for API keys).
    "progress:read": "See clients' measurements, photos and check-ins (trainers: their clients')",
    "progress:write": "Record clients' measurements and photos, reply to and set check-ins",
    "progress:manage": "Define the organization's custom metrics",
    "progress:self": "Record and see one's own measurements, photos and check-ins",
}

_STAFF_COMMON = {
    "org:read",
    "team:read",
    "clients:read",
    "exercises:read",
    "templates:read",
    "programs:read",
}
_COACHING = {"templates:write", "programs:write", "programs:log"}
_PROGRESS = {"progress:read", "progress:write", "progress:manage"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.OWNER: frozenset(PERMISSIONS) - {"clients:self", "progress:self"},
    Role.ADMIN: frozenset(PERMISSIONS) - {"apikeys:manage", "clients:self", "progress:self"},
    Role.TRAINER: frozenset(
        _STAFF_COMMON
        | {"clients:write", "clients:invite", "clients:notes", "exercises:write"}
        | {"health:read", "health:write"}
        | _COACHING
        | _PROGRESS
    ),
    Role.FRONT_DESK: frozenset(_STAFF_COMMON),
    # A client reaches only their own record (the row rule) and edits their health history.
    Role.CLIENT: frozenset(
        {"org:read", "exercises:read", "clients:self", "health:read", "health:write"}
        | {"programs:read", "programs:log", "progress:self"}
    ),
}

# Roles a member of each role may invite.
INVITABLE: dict[Role, frozenset[Role]] = {
    Role.OWNER: frozenset({Role.ADMIN, Role.TRAINER, Role.FRONT_DESK, Role.CLIENT}),
    Role.ADMIN: frozenset({Role.TRAINER, Role.FRONT_DESK, Role.CLIENT}),
    Role.TRAINER: frozenset({Role.CLIENT}),
    Role.FRONT_DESK: frozenset(),
    Role.CLIENT: frozenset(),
}

# API keys act for the organization with at most these permissions.
# Health data and private notes are for people, never for integrations.
API_KEY_SCOPES = frozenset(PERMISSIONS) - {
    "apikeys:manage",
    "clients:notes",
    "clients:self",
    "health:read",
    "health:write",
    "progress:read",
    "progress:write",
    "progress:manage",
    "progress:self",
}
