"""The conventions in docs/DESIGN.md §3, checked mechanically so they hold as the code grows.

* every table is tenant-scoped (``TenantMixin``) or listed in ``registry.GLOBAL_TABLES``;
* every domain's models module is imported by ``registry`` (or tables escape these checks);
* services never commit; routers and pages never query (``select(``) or commit;
* relationships are ``lazy="raise"``; tenant tables index ``organization_id``;
* primary keys are UUIDs; datetimes are timezone-aware and named ``*_at``, dates ``*_on``.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from pathlib import Path
from typing import Annotated

import pytest
import sqlalchemy as sa
from fastapi import Depends, FastAPI
from sqlalchemy.types import TypeDecorator

from spotter import registry
from spotter.core.tenancy import TenantMixin

SRC = Path(registry.__file__).resolve().parent
TABLES = registry.Base.metadata.tables


def _rel(path: Path) -> str:
    return str(path.relative_to(SRC.parent)) if path.is_relative_to(SRC.parent) else str(path)


def _tenant_tables() -> set[str]:
    return {
        m.local_table.name
        for m in registry.Base.registry.mappers
        if issubclass(m.class_, TenantMixin)
    }


def _modules(name: str) -> list[Path]:
    """``<domain>/<name>.py`` and ``<domain>/<name>/*.py`` (a file grown into a package)."""
    found = list(SRC.glob(f"*/{name}.py")) + list(SRC.glob(f"*/{name}/*.py"))
    return sorted(p for p in found if "migrations" not in p.parts)


def _calls(path: Path, names: set[str]) -> list[str]:
    """``name(`` call sites in code (strings and comments do not count)."""
    hits = []
    tokens = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
    for tok, nxt in itertools.pairwise(tokens):
        if tok.type == tokenize.NAME and tok.string in names and nxt.string == "(":
            hits.append(f"{_rel(path)}:{tok.start[0]}: {tok.string}(")
    return hits


# --- tables --------------------------------------------------------------------------------


def _declared_tables(path: Path) -> set[str]:
    """``__tablename__`` values in a models file, read without importing it (importing an
    unregistered module would add its tables to the metadata and hide the problem)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            if any(isinstance(t, ast.Name) and t.id == "__tablename__" for t in node.targets):
                names.add(node.value.value)
    return names


def test_every_models_module_is_registered():
    paths = _modules("models")
    assert any(p.parent.name == "clients" for p in paths)
    for path in paths:
        missing = sorted(_declared_tables(path) - set(TABLES))
        assert not missing, f"{_rel(path)} is not imported by spotter/registry.py: {missing}"


def test_every_table_is_tenant_scoped_or_declared_global():
    tenant = _tenant_tables()
    unclassified = sorted(set(TABLES) - tenant - registry.GLOBAL_TABLES)
    assert not unclassified, (
        f"tables neither TenantMixin nor in registry.GLOBAL_TABLES: {unclassified}"
    )
    assert not (tenant & registry.GLOBAL_TABLES), "a tenant table is also listed as global"
    unknown = sorted(registry.GLOBAL_TABLES - set(TABLES))
    assert not unknown, f"registry.GLOBAL_TABLES lists tables that do not exist: {unknown}"


@pytest.mark.parametrize("table", sorted(_tenant_tables()))
def test_tenant_table_organization_column(table):
    column = TABLES[table].c.organization_id
    assert not column.nullable
    assert [fk.column.table.name for fk in column.foreign_keys] == ["organizations"]
    assert all(fk.ondelete == "CASCADE" for fk in column.foreign_keys)
    leading = [
        ix for ix in TABLES[table].indexes if next(iter(ix.columns)).name == "organization_id"
    ]
    leading += [
        uc
        for uc in TABLES[table].constraints
        if isinstance(uc, sa.UniqueConstraint | sa.PrimaryKeyConstraint)
        and uc.columns
        and next(iter(uc.columns)).name == "organization_id"
    ]
    assert leading, f"{table}: no index leads with organization_id"


@pytest.mark.parametrize("table", sorted(TABLES))
def test_primary_key_is_one_uuid(table):
    pk = list(TABLES[table].primary_key.columns)
    assert len(pk) == 1, f"{table}: primary key {[c.name for c in pk]} is not a single id"
    assert isinstance(pk[0].type, sa.Uuid), f"{table}.{pk[0].name} is {pk[0].type!r}"


def _impl(column_type: sa.types.TypeEngine) -> sa.types.TypeEngine:
    return column_type.impl if isinstance(column_type, TypeDecorator) else column_type


@pytest.mark.parametrize("table", sorted(TABLES))
def test_timestamps_are_aware_and_named(table):
    for column in TABLES[table].columns:
        kind = _impl(column.type)
        if isinstance(kind, sa.DateTime):
            assert kind.timezone, f"{table}.{column.name} is a naive DateTime"
            assert column.name.endswith("_at"), f"{table}.{column.name}: timestamps are *_at"
        elif isinstance(kind, sa.Date):
            assert column.name.endswith("_on"), f"{table}.{column.name}: dates are *_on"
        if column.name.endswith("_at"):
            assert isinstance(kind, sa.DateTime), f"{table}.{column.name} is not a timestamp"


def test_money_is_never_a_float_or_decimal():
    words = ("price", "amount", "cost", "fee", "total", "balance", "cents")
    floats = [
        f"{table.name}.{column.name}"
        for table in TABLES.values()
        for column in table.columns
        if isinstance(_impl(column.type), sa.Numeric) and any(w in column.name for w in words)
    ]
    assert not floats, f"money is integer minor units plus a currency: {floats}"


def test_relationships_raise_on_lazy_load():
    lazy = [
        f"{mapper.class_.__name__}.{rel.key} (lazy={rel.lazy!r})"
        for mapper in registry.Base.registry.mappers
        for rel in mapper.relationships
        if rel.lazy not in ("raise", "raise_on_sql")
    ]
    assert not lazy, f"relationships must be lazy='raise': {lazy}"


# --- code ----------------------------------------------------------------------------------


def test_services_never_commit():
    paths = _modules("service")
    assert any(p.parent.name == "identity" for p in paths)  # the scan finds real files
    hits = [h for p in paths for h in _calls(p, {"commit"})]
    assert not hits, "services may flush, never commit (the framework owns it):\n" + "\n".join(hits)


def test_routers_and_pages_never_query_or_commit():
    paths = _modules("router") + _modules("pages") + [SRC / "pages.py", SRC / "api.py"]
    assert any(p.name == "router.py" for p in paths)
    hits = [h for p in paths if p.exists() for h in _calls(p, {"select", "commit"})]
    assert not hits, "routers and pages are thin; queries live in services:\n" + "\n".join(hits)


def test_call_scanner_sees_through_strings_and_comments(tmp_path):
    sample = tmp_path / "router.py"
    sample.write_text('x = "select(" # commit(\nsession.commit()\nsa.select (1)\nselected(2)\n')
    assert [h.rsplit(": ", 1)[1] for h in _calls(sample, {"select", "commit"})] == [
        "commit(",
        "select(",
    ]


def _sync_callables(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Endpoints and dependencies FastAPI would run in a worker thread (sync callables)."""
    import inspect

    from fastapi.routing import APIRoute

    found: set[str] = set()

    def visit(dependant, where: str) -> None:  # type: ignore[no-untyped-def]
        call = dependant.call
        if call is not None and not (
            inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
        ):
            name = getattr(call, "__qualname__", repr(call))
            found.add(f"{where}: {getattr(call, '__module__', '?')}.{name}")
        for sub in dependant.dependencies:
            visit(sub, where)

    from fastapi.routing import iter_route_contexts

    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            where = f"{sorted(context.methods or ['?'])[0]} {context.path}"
            visit(context.dependant, where)
    return sorted(found)


def test_endpoints_and_dependencies_are_async(app):
    """A sync endpoint or dependency (a plain ``def``, or a class used as ``Depends()``) runs
    in Starlette's thread pool: a thread hop on every request, and a queue when the pool is
    busy. Write them ``async def`` (a class dependency gets an async factory function)."""
    assert _sync_callables(app) == []


class _ProbeParams:
    def __init__(self, limit: int = 1) -> None:
        self.limit = limit


def test_sync_scanner_finds_class_dependencies_and_plain_defs():
    probe = FastAPI()

    @probe.get("/a")
    async def a(params: Annotated[_ProbeParams, Depends()]) -> dict[str, int]:
        return {"limit": params.limit}

    @probe.get("/b")
    def b() -> dict[str, int]:
        return {}

    found = _sync_callables(probe)
    assert any("_ProbeParams" in f for f in found) and any(f.startswith("GET /b") for f in found)


# Alpine.js evaluates these attributes as JavaScript. HTML escaping does not protect a value
# interpolated there (the browser unescapes the attribute before Alpine runs it), so a value
# must go through `tojson` (or a data-* attribute the expression reads).
_JS_ATTRIBUTE = re.compile(
    r"""\s(x-data|x-init|x-effect|x-show|x-if|x-on:[\w.:-]+|@[\w.:-]+|:[\w.-]+)\s*=\s*("[^"]*"|'[^']*')""",
)


def _js_interpolations(text: str) -> list[str]:
    found = []
    for match in _JS_ATTRIBUTE.finditer(text):
        value = match.group(2)
        for expr in re.findall(r"{{(.*?)}}", value):
            if "tojson" not in expr:
                found.append(f"{match.group(1)}={value}")
    return found


def test_templates_never_interpolate_into_javascript_attributes():
    templates = Path(__file__).resolve().parents[1] / "src" / "spotter" / "templates"
    offenders = [
        f"{path.relative_to(templates)}: {hit}"
        for path in sorted(templates.rglob("*.html"))
        for hit in _js_interpolations(path.read_text())
    ]
    assert offenders == []


def test_js_attribute_scanner_sees_quoted_interpolations():
    assert _js_interpolations("""<form x-data="{ role: '{{ role }}' }">""")
    assert _js_interpolations("""<a @click="go('{{ name | e }}')">""")
    assert not _js_interpolations("""<form x-data='{{ {"role": role} | tojson }}'>""")
    assert not _js_interpolations("""<form data-name="{{ name }}" x-data @submit="go()">""")
