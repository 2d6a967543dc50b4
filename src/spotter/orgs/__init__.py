"""Organizations (the tenants), memberships and roles, invitations, API keys."""
