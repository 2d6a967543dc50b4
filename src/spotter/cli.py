"""The ``spotter`` command."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from spotter.config import get_settings

app = typer.Typer(
    help="Spotter: coaching, training and gym management.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
users_app = typer.Typer(help="User accounts.", no_args_is_help=True)
orgs_app = typer.Typer(help="Organizations.", no_args_is_help=True)
keys_app = typer.Typer(help="Keys of sealed (health, TOTP) fields.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="orgs")
app.add_typer(keys_app, name="keys")
console = Console()
T = TypeVar("T")


def _run(coro: Awaitable[T]) -> T:
    async def wrapper() -> T:
        from spotter.core.db import db

        try:
            return await coro
        finally:
            await db.dispose()

    return asyncio.run(wrapper())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development)")] = False,
) -> None:
    """Serve the web app and the API."""
    import uvicorn

    settings = get_settings()
    if not settings.is_production:
        _print_logins_if_demo()
    console.print(f"[bold green]Spotter[/] on http://{host}:{port}  (API docs: /api/docs)")
    uvicorn.run(
        "spotter.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
        access_log=False,
        log_level=settings.log_level.lower(),
    )


def _print_logins_if_demo() -> None:
    from spotter.demo import DEMO_LOGINS, demo_exists

    async def check() -> bool:
        from spotter.core.db import db

        async with db.session(platform=True) as session:
            return await demo_exists(session)

    try:
        present = _run(check())
    except Exception:  # no schema yet: nothing to print
        return
    if present:
        _print_logins(DEMO_LOGINS)


def _print_logins(logins: list[Any]) -> None:
    table = Table(title="Demo logins (organization: Northside Strength)")
    for col in ("role", "email", "password"):
        table.add_column(col)
    for login in logins:
        table.add_row(login.role, login.email, login.password)
    console.print(table)


@app.command()
def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing if demo data exists")
    ] = False,
) -> None:
    """Load the demo organization (owner-trainer, second trainer, 12 clients)."""
    from spotter.core.db import db
    from spotter.demo import demo_exists, load_demo

    async def go() -> list[Any] | None:
        async with db.session(platform=True) as session:
            if await demo_exists(session):
                return None
            return await load_demo(session)

    logins = _run(go())
    if logins is None:
        if not if_empty:
            console.print("Demo data is already loaded.")
        return
    console.print("[green]Demo data loaded.[/]")
    if not if_empty:  # `make run` passes --if-empty and `serve` prints the logins next
        _print_logins(logins)


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Apply migrations (creates the embedded SQLite database under ./var if needed)."""
    from spotter.core import migrate

    migrate.upgrade(revision)
    console.print(f"Database at revision {revision}.")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument()] = "-1") -> None:
    """Revert migrations (default: the last one)."""
    from spotter.core import migrate

    migrate.downgrade(revision)
    console.print(f"Database downgraded to {revision}.")


@db_app.command("revision")
def db_revision(message: Annotated[str, typer.Option("-m", "--message")]) -> None:
    """Autogenerate a migration from the models (developers)."""
    from spotter.core import migrate

    migrate.revision(message)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(prompt=True)],
    full_name: Annotated[str, typer.Option(prompt=True)],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    superadmin: Annotated[bool, typer.Option(help="Platform operator")] = False,
) -> None:
    """Create a user account (a verified email)."""
    from spotter.core.db import db
    from spotter.core.security import MIN_PASSWORD_LENGTH
    from spotter.identity import service as identity

    if len(password) < MIN_PASSWORD_LENGTH:
        raise typer.BadParameter(
            f"use at least {MIN_PASSWORD_LENGTH} characters", param_hint="password"
        )

    async def go() -> None:
        async with db.session(platform=True) as session:
            await identity.create_user(
                session,
                email_address=email,
                full_name=full_name,
                password=password,
                verified=True,
                is_superadmin=superadmin,
            )

    _run(go())
    console.print(f"User {email} created.")


@orgs_app.command("create")
def orgs_create(
    name: Annotated[str, typer.Option(prompt=True)],
    owner_email: Annotated[str, typer.Option(prompt=True, help="An existing user")],
    timezone: str = "UTC",
    currency: str = "USD",
    unit_system: str = "metric",
) -> None:
    """Create an organization owned by an existing user."""
    from pydantic import ValidationError

    from spotter.core.db import db
    from spotter.identity import service as identity
    from spotter.orgs import service as orgs
    from spotter.orgs.schemas import OrganizationCreate

    try:
        data = OrganizationCreate(
            name=name, timezone=timezone, currency=currency, unit_system=unit_system
        )
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc

    async def go() -> str:
        async with db.session(platform=True) as session:
            owner = await identity.get_user_by_email(session, email_address=owner_email)
            if owner is None:
                raise typer.BadParameter(f"no user {owner_email}; run `spotter users create`")
            org = await orgs.create_organization(session, owner=owner, **data.model_dump())
            return org.slug

    console.print(f"Organization created: {_run(go())}")


@app.command()
def worker() -> None:
    """Run background jobs out of process (Celery). Not configured: jobs run embedded."""
    console.print(
        "Jobs run inside the server process (embedded runner); a separate worker is "
        "not configured yet. Celery arrives with notifications."
    )


@app.command()
def beat() -> None:
    """Run the periodic-job scheduler out of process. Not configured: it runs embedded."""
    console.print(
        "Periodic jobs are scheduled inside the server process; a separate beat is "
        "not configured yet. Celery arrives with notifications."
    )


def sealed_columns() -> list[Any]:
    """Every column holding AES-GCM sealed values (``security.encrypt``)."""
    from spotter.clients.models import Client, HealthHistory
    from spotter.identity.models import User

    return [User.totp_secret, Client.limitations_sealed, HealthHistory.sealed]


async def rotate_keys(session: Any) -> dict[str, int]:
    """Re-encrypt every sealed value to the current key (``session``: a platform session).
    Values already sealed with it are left alone, so a rerun is cheap and safe."""
    import sqlalchemy as sa

    from spotter.core.security import reencrypt

    counts: dict[str, int] = {}
    for column in sealed_columns():
        model = column.class_
        (pk,) = sa.inspect(model).primary_key
        name = f"{model.__tablename__}.{column.key}"
        counts[name] = 0
        rows = await session.execute(sa.select(pk, column).where(column.is_not(None)))
        for row_id, value in rows.all():
            fresh = reencrypt(value)
            if fresh is not None:
                await session.execute(sa.update(model).where(pk == row_id).values({column: fresh}))
                counts[name] += 1
    return counts


@keys_app.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt sealed fields to the current secret key.

    Set the new SPOTTER_SECRET_KEY and list the previous ones in SPOTTER_OLD_SECRET_KEYS
    (comma-separated) so they still decrypt; run this; then drop the old keys."""
    from spotter.core.db import db

    async def go() -> dict[str, int]:
        async with db.session(platform=True) as session:
            return await rotate_keys(session)

    for name, count in _run(go()).items():
        console.print(f"{name}: {count} re-encrypted")


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
