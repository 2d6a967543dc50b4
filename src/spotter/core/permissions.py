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
    # Nutrition.
    "foods:read": "See the food database, the organization's foods and recipes",
    "foods:write": "Add, change and archive the organization's own foods and recipes",
    "nutrition:read": "See clients' nutrition targets, food diaries and foods (trainers: own)",
    "nutrition:write": "Set clients' targets, log their diaries, add foods and recipes for them",
    "nutrition:self": "Log one's own food diary, add one's own foods and recipes",
    "training:read": "See workout logs, records and progress (trainers: their clients')",
    "training:log": "Log and correct workouts and sets, import history (clients: their own)",
}

_STAFF_COMMON = {
    "org:read",
    "team:read",
    "clients:read",
    "exercises:read",
    "templates:read",
    "programs:read",
    "foods:read",
    "training:read",
}
_COACHING = {"templates:write", "programs:write", "programs:log", "training:log"}
_PROGRESS = {"progress:read", "progress:write", "progress:manage"}
_NUTRITION = {"foods:write", "nutrition:read", "nutrition:write"}
_SELF = {"clients:self", "progress:self", "nutrition:self"}

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.OWNER: frozenset(PERMISSIONS) - _SELF,
    Role.ADMIN: frozenset(PERMISSIONS) - {"apikeys:manage"} - _SELF,
    Role.TRAINER: frozenset(
        _STAFF_COMMON
        | {"clients:write", "clients:invite", "clients:notes", "exercises:write"}
        | {"health:read", "health:write"}
        | _COACHING
        | _PROGRESS
        | _NUTRITION
    ),
    Role.FRONT_DESK: frozenset(_STAFF_COMMON),
    # A client reaches only their own record (the row rule) and edits their health history.
    Role.CLIENT: frozenset(
        {"org:read", "exercises:read", "clients:self", "health:read", "health:write"}
        | {"programs:read", "programs:log", "progress:self"}
        | {"foods:read", "nutrition:self"}
        | {"training:read", "training:log"}
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
    "nutrition:self",
}
