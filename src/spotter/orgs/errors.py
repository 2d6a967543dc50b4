from spotter.core.errors import AppError, Conflict, Forbidden, NotFound


class OrganizationNotFound(NotFound):
    code, title = "organization_not_found", "No such organization, or you are not a member"


class NoOrganization(Forbidden):
    code, title = "no_organization", "Your account is not a member of any organization"


class InvitationInvalid(AppError):
    status, code, title = 400, "invitation_invalid", "This invitation is invalid, used or expired"


class AlreadyMember(Conflict):
    code, title = "already_member", "This person is already a member of the organization"


class LastOwner(Conflict):
    code, title = "last_owner", "An organization needs at least one owner"


class RoleNotAllowed(Forbidden):
    code, title = "role_not_allowed", "Your role cannot grant that role"
