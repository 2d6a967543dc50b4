"""Migrations: the models and the migrated schema agree, every migration goes up and down
on SQLite and PostgreSQL, and migration files are named date-time-slug.

Alembic's ``env.py`` runs its own event loop (``asyncio.run``), so the upgrade/downgrade
commands run in a worker thread.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from spotter.core import migrate
from spotter.core.db import db, make_engine
from spotter.registry import Base

VERSIONS = migrate.MIGRATIONS / "versions"
FILE_NAME = re.compile(r"^\d{8}-\d{4}-[a-z0-9][a-z0-9_]*\.py$")


def drift(connection: sa.Connection) -> list[Any]:
    # The options spotter/migrations/env.py gives autogenerate, so "no drift" here means
    # `spotter db revision --autogenerate` would write an empty migration.
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))


def _revisions_base_to_head() -> list[str]:
    return [rev.revision for rev in reversed(list(_script().walk_revisions()))]


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _drift(url: str) -> list[Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(drift)
    finally:
        await engine.dispose()


async def _round_trip(url: str) -> None:
    """Up one revision at a time, down to base one at a time, then up to head again."""
    expected = set(Base.metadata.tables)
    revisions = _revisions_base_to_head()
    assert revisions, "no migrations found"
    for revision in revisions:
        await asyncio.to_thread(migrate.upgrade, revision, url)
    assert expected <= await _tables(url)
    assert await _drift(url) == []
    for _ in revisions:
        await asyncio.to_thread(migrate.downgrade, "-1", url)
    assert await _tables(url) - {"alembic_version"} == set(), "downgrade to base left tables"
    await asyncio.to_thread(migrate.upgrade, "head", url)
    assert expected <= await _tables(url)
    assert await _drift(url) == [], "schema differs from the models after down and up again"


# --- drift ---------------------------------------------------------------------------------


async def test_no_drift_between_models_and_migrated_test_database():
    # On the test transaction's own connection (SQLite lets one writer in at a time).
    async with db.session(platform=True) as session:
        conn = await session.connection()
        differences = await conn.run_sync(drift)
    assert differences == [], (
        "models and migrations disagree; run `spotter db revision -m ...` (autogenerate) "
        f"and review it:\n{differences}"
    )


def test_drift_check_notices_a_missing_column():
    # The check above is only as good as its comparison: prove it sees a difference.
    from sqlalchemy.pool import StaticPool

    sync_engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    with sync_engine.begin() as conn:
        Base.metadata.create_all(conn)
        assert drift(conn) == []
        conn.exec_driver_sql("ALTER TABLE clients DROP COLUMN email")
        differences = drift(conn)
    assert any(d[0] == "add_column" and d[3].name == "email" for d in differences)


# --- up and down ---------------------------------------------------------------------------


async def test_upgrade_downgrade_upgrade_on_fresh_sqlite(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
    await _round_trip(url)


@contextmanager
def _throwaway_pg_database() -> Iterator[str]:
    import asyncpg

    base = sa.engine.make_url(os.environ["SPOTTER_TEST_DATABASE_URL"])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    name = f"spotter_migrations_{worker}_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(
            host=base.host,
            port=base.port or 5432,
            user=base.username,
            password=base.password,
            database=base.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def run(sql: str) -> None:
        # A fresh loop in a fresh thread: the test's own loop is busy running the test.
        import threading

        errors: list[BaseException] = []

        def target() -> None:
            try:
                asyncio.run(admin(sql))
            except BaseException as exc:
                errors.append(exc)

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if errors:
            raise errors[0]

    run(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(
    not os.environ.get("SPOTTER_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="PostgreSQL part: set SPOTTER_TEST_DATABASE_URL",
)
async def test_upgrade_downgrade_upgrade_on_fresh_postgresql():
    with _throwaway_pg_database() as url:
        await _round_trip(url)


# --- files ---------------------------------------------------------------------------------


def test_migration_files_are_named_date_time_slug():
    files = [p for p in VERSIONS.iterdir() if p.suffix == ".py" and p.name != "__init__.py"]
    assert files
    bad = [p.name for p in files if not FILE_NAME.match(p.name)]
    assert not bad, f"migration files must be named YYYYMMDD-HHMM-slug.py: {bad}"
    # The configured template produces such names, so `spotter db revision` keeps it so.
    template = migrate.alembic_config().get_main_option("file_template")
    assert template is not None and template.startswith("%(year)d%(month).2d%(day).2d-")


def test_migration_history_is_one_line():
    script = _script()
    assert len(script.get_heads()) == 1, f"several heads: {script.get_heads()}"
    assert len(script.get_bases()) == 1, f"several bases: {script.get_bases()}"
    files = {p.name for p in VERSIONS.glob("*.py") if p.name != "__init__.py"}
    assert len(_revisions_base_to_head()) == len(files)


def test_every_migration_can_be_downgraded():
    for path in sorted(Path(VERSIONS).glob("*.py")):
        if path.name == "__init__.py":
            continue
        text = path.read_text()
        assert "def downgrade()" in text, f"{path.name}: no downgrade()"
