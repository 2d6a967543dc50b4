"""Account pages: register, log in (with the two-factor step), log out, forgotten and reset
passwords, email verification, account security and the organization switcher."""

from __future__ import annotations

import json
import time
from typing import Annotated, Any

from cryptography.exceptions import InvalidTag
from fastapi import Request
from fastapi.responses import Response
from pydantic import Field

from spotter.core.db import DbSession
from spotter.core.permissions import STAFF_ROLES
from spotter.core.routing import Router
from spotter.core.schemas import Schema
from spotter.core.security import decrypt, encrypt
from spotter.identity import service
from spotter.identity.dependencies import SESSION_COOKIE
from spotter.identity.errors import OtpRequired, SessionExpired
from spotter.identity.router import FORGOT_ANSWER
from spotter.identity.schemas import (
    ForgotPasswordIn,
    LoginIn,
    Password,
    RegisterIn,
    ResetPasswordIn,
    TotpConfirmIn,
    TotpDisableIn,
    VerifyEmailIn,
)
from spotter.orgs import service as orgs
from spotter.web import (
    FORM_ERRORS,
    MaybePageUser,
    PageUser,
    clear_session_cookie,
    client_ip,
    no_store,
    read_form,
    redirect,
    render,
    render_form,
    safe_next,
    set_session_cookie,
)

router = Router()
# The second login step carries the checked credentials sealed (AES-GCM), for a few minutes.
PENDING_LOGIN_SECONDS = 300


class ChangePasswordForm(Schema):
    current_password: Annotated[str, Field(min_length=1, max_length=256)]
    new_password: Password


def _seal_login(email: str, password: str, next_url: str) -> str:
    return encrypt(json.dumps({"e": email, "p": password, "n": next_url, "t": int(time.time())}))


def _open_login(sealed: str) -> dict[str, Any]:
    try:
        data = json.loads(decrypt(sealed))
    except (InvalidTag, ValueError, TypeError) as exc:
        raise SessionExpired("Your login attempt expired; enter your password again.") from exc
    if time.time() - int(data.get("t", 0)) > PENDING_LOGIN_SECONDS:
        raise SessionExpired("Your login attempt expired; enter your password again.")
    return data


async def _logged_in(
    request: Request,
    session: DbSession,
    *,
    user: Any,
    organization_id: Any,
    next_url: str,
    message: str | None = None,
) -> Response:
    """Open a web session, set its cookie and go on."""
    _, secret = await service.start_session(
        session,
        user=user,
        kind="web",
        organization_id=organization_id,
        user_agent=request.headers.get("user-agent"),
    )
    return set_session_cookie(redirect(request, next_url, message), secret)


# --- register --------------------------------------------------------------------------------


@router.get("/register")
async def register_page(request: Request, principal: MaybePageUser) -> Response:
    if principal is not None:
        return redirect(request, "/home")
    return render(
        request,
        "auth/register.html",
        {"form": {"timezone": "UTC", "currency": "USD", "unit_system": "metric"}},
    )


@router.post("/register")
async def register(request: Request, session: DbSession) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = RegisterIn.model_validate(form)
            user, org = await orgs.register_owner(session, data=data)
    except FORM_ERRORS as exc:
        return render_form(
            request, "auth/register.html", exc, form=form, rename={"name": "organization_name"}
        )
    return await _logged_in(
        request,
        session,
        user=user,
        organization_id=org.id,
        next_url="/home",
        message=f"Welcome to Spotter! {org.name} is ready. We sent you an "
        "email to confirm your address.",
    )


# --- log in, log out -------------------------------------------------------------------------


@router.get("/login")
async def login_page(request: Request, principal: MaybePageUser, next: str = "") -> Response:
    if principal is not None:
        return redirect(request, safe_next(next))
    return render(request, "auth/login.html", {"form": {"next": safe_next(next, "")}})


@router.post("/login")
async def login(request: Request, session: DbSession) -> Response:
    form = await read_form(request)
    step = "otp" if form.get("pending") else "password"
    try:
        async with session.begin_nested():
            if step == "otp":
                pending = _open_login(str(form["pending"]))
                form = {**form, "email": pending["e"], "next": pending["n"]}
                data = LoginIn(
                    email=pending["e"],
                    password=pending["p"],
                    otp=str(form.get("otp", "")).replace(" ", "") or None,
                )
            else:
                data = LoginIn.model_validate(
                    {"email": form.get("email", ""), "password": form.get("password", "")}
                )
            user = await service.authenticate(
                session,
                email_address=data.email,
                password=data.password,
                otp=data.otp,
                ip=client_ip(request),
            )
    except OtpRequired:
        sealed = _seal_login(
            str(form.get("email", "")),
            str(form.get("password", "")),
            safe_next(str(form.get("next", "")), ""),
        )
        return no_store(
            render(request, "auth/login.html", {"step": "otp", "pending": sealed, "form": form})
        )
    except SessionExpired as exc:
        return render_form(request, "auth/login.html", exc, form=form)
    except FORM_ERRORS as exc:
        context = {"step": step, "pending": form.get("pending")}
        if step == "otp":
            return no_store(
                render_form(
                    request, "auth/login.html", exc, form=form, context=context, default_field="otp"
                )
            )
        return render_form(request, "auth/login.html", exc, form=form, context=context)
    acting = await orgs.resolve_membership(session, user_id=user.id, organization=None)
    return await _logged_in(
        request,
        session,
        user=user,
        organization_id=acting.organization.id if acting else None,
        next_url=safe_next(str(form.get("next", ""))),
    )


@router.post("/logout")
async def logout(request: Request, session: DbSession) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    live = await service.live_session(session, cookie=cookie) if cookie else None
    if live is not None:
        await service.end_session(session, session_id=live[0].id)
    return clear_session_cookie(redirect(request, "/login", "You are logged out."))


# --- forgotten password, reset, email verification -------------------------------------------


@router.get("/forgot-password")
async def forgot_page(request: Request) -> Response:
    return render(request, "auth/forgot.html")


@router.post("/forgot-password")
async def forgot(request: Request, session: DbSession) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = ForgotPasswordIn.model_validate(form)
            await service.forgot_password(session, email_address=data.email, ip=client_ip(request))
    except FORM_ERRORS as exc:
        return render_form(request, "auth/forgot.html", exc, form=form)
    return render(request, "auth/forgot.html", {"sent": FORGOT_ANSWER, "form": form})


@router.get("/reset-password")
async def reset_page(request: Request, token: str = "") -> Response:
    return render(request, "auth/reset.html", {"form": {"token": token}})


@router.post("/reset-password")
async def reset(request: Request, session: DbSession) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = ResetPasswordIn.model_validate(form)
            await service.reset_password(session, token=data.token, password=data.password)
    except FORM_ERRORS as exc:
        return render_form(request, "auth/reset.html", exc, form=form)
    response = redirect(request, "/login", "Your password was changed. Log in with the new one.")
    # Every session of this account ended, this browser's too.
    return clear_session_cookie(response)


@router.get("/verify-email")
async def verify_page(request: Request, principal: MaybePageUser, token: str = "") -> Response:
    """The emailed link opens a page with a button: a mail scanner following the link does
    not use the one-time token up."""
    return render(request, "auth/verify.html", {"form": {"token": token}})


@router.post("/verify-email")
async def verify(request: Request, session: DbSession, principal: MaybePageUser) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = VerifyEmailIn.model_validate(form)
            await service.verify_email(session, token=data.token)
    except FORM_ERRORS as exc:
        return render_form(request, "auth/verify.html", exc, form=form)
    return render(request, "auth/verify.html", {"verified": True})


@router.post("/verify-email/resend")
async def resend_verification(
    request: Request, session: DbSession, principal: PageUser
) -> Response:
    user = principal.require_user()
    if user.email_verified_at is None:
        await service.send_verification(session, user=user)
    return redirect(
        request, "/account/security", f"We sent a new confirmation link to {user.email}."
    )


# --- account security ------------------------------------------------------------------------


def _security(request: Request, principal: Any, **extra: Any) -> dict[str, Any]:
    user = principal.require_user()
    return {
        "two_factor_on": user.totp_enabled_at is not None,
        "two_factor_offered": principal.role in STAFF_ROLES,
        "email_verified": user.email_verified_at is not None,
        **extra,
    }


@router.get("/account/security")
async def security_page(request: Request, principal: PageUser) -> Response:
    return render(request, "auth/security.html", _security(request, principal))


@router.post("/account/security/2fa/setup")
async def totp_setup(request: Request, principal: PageUser) -> Response:
    if principal.role not in STAFF_ROLES:
        return redirect(
            request,
            "/account/security",
            "Two-factor authentication is available to staff accounts.",
            "error",
        )
    secret, uri = service.totp_setup(user=principal.require_user())
    return no_store(
        render(
            request,
            "auth/security.html",
            _security(request, principal, setup={"secret": secret, "uri": uri}),
        )
    )


@router.post("/account/security/2fa/confirm")
async def totp_confirm(request: Request, session: DbSession, principal: PageUser) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = TotpConfirmIn(otp=str(form.get("otp", "")).replace(" ", ""))
            service.totp_confirm(user=principal.require_user(), otp=data.otp)
    except FORM_ERRORS as exc:
        # Show the same secret again (it is stored, sealed, until confirmed or replaced).
        setup = {"secret": form.get("secret", ""), "uri": form.get("uri", "")}
        return no_store(
            render_form(
                request,
                "auth/security.html",
                exc,
                form=form,
                context=_security(request, principal, setup=setup),
                default_field="otp",
            )
        )
    return redirect(request, "/account/security", "Two-factor authentication is on.")


@router.post("/account/security/2fa/disable")
async def totp_disable(request: Request, session: DbSession, principal: PageUser) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = TotpDisableIn.model_validate(form)
            await service.totp_disable(user=principal.require_user(), password=data.password)
    except FORM_ERRORS as exc:
        return render_form(
            request,
            "auth/security.html",
            exc,
            form=form,
            context=_security(request, principal, failed="disable"),
            default_field="password",
        )
    return redirect(request, "/account/security", "Two-factor authentication is off.")


@router.post("/account/password")
async def change_password(request: Request, session: DbSession, principal: PageUser) -> Response:
    form = await read_form(request)
    try:
        async with session.begin_nested():
            data = ChangePasswordForm.model_validate(form)
            await service.change_password(
                session,
                user=principal.require_user(),
                current=data.current_password,
                new=data.new_password,
                keep_session=principal.session_id,
            )
    except FORM_ERRORS as exc:
        return render_form(
            request,
            "auth/security.html",
            exc,
            form=form,
            context=_security(request, principal, failed="password"),
            default_field="current_password",
        )
    return redirect(
        request, "/account/security", "Your password was changed. Other devices were logged out."
    )


# --- organization switcher -------------------------------------------------------------------


@router.post("/switch-organization")
async def switch_organization(
    request: Request, session: DbSession, principal: PageUser
) -> Response:
    form = await read_form(request)
    assert principal.session_id is not None
    acting = await service.switch_organization(
        session,
        session_id=principal.session_id,
        user_id=principal.require_user().id,
        organization=str(form.get("organization", "")),
    )
    name = acting.organization.display_name or acting.organization.name
    return redirect(request, "/home", f"You are now working in {name}.")
