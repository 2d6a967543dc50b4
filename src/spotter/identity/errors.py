from spotter.core.errors import AppError, Unauthorized


class InvalidCredentials(Unauthorized):
    code, title = "invalid_credentials", "Email or password is incorrect"


class OtpRequired(Unauthorized):
    code, title = "otp_required", "Enter the 6-digit code from your authenticator app"


class InvalidOtp(Unauthorized):
    code, title = "invalid_otp", "That code is not valid; check your authenticator app's clock"


class InvalidToken(AppError):
    status, code, title = 400, "invalid_token", "This link is invalid or has expired"


class EmailTaken(AppError):
    status, code, title = 409, "email_taken", "An account with this email already exists"


class SessionExpired(Unauthorized):
    code, title = "session_expired", "Your session has ended; please log in again"
