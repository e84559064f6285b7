"""Extensions and domains without a server: declarations, snapshot files, ops and DDL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from schemadiff import ops as O
from schemadiff.objects import Extension, declared_extensions
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.model import Extension as Ext
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources.extensions import metadata_extensions


def test_declarations_are_kept_on_the_metadata_plpgsql_never_compared() -> None:
    metadata = sa.MetaData()
    Extension(metadata, "plpgsql")
    Extension(metadata, "hstore", schema="public", version="1.8")
    Extension(metadata, "citext", schema="ext")
    assert [e.name for e in declared_extensions(metadata)] == ["plpgsql", "hstore", "citext"]
    assert metadata_extensions(metadata, "public") == (
        Ext("citext", "ext"),
        Ext("hstore", None, "1.8"),
    )
    with pytest.raises(ValueError, match="version"):
        Extension(metadata, "x", version="")


def test_snapshot_files_keep_extensions() -> None:
    snap = Snapshot("postgresql", "public", extensions=(Ext("hstore", None, "1.8"),))
    assert snapshot_io.loads(snapshot_io.dumps(snap)).extensions == snap.extensions


def test_ops_reverse_and_order() -> None:
    old, new = Ext("hstore", None, "1.7"), Ext("hstore", "ext", "1.8")
    alter = O.AlterExtension(old, new, "public")
    assert alter.describe() == "alter extension hstore (schema public -> ext, version 1.7 -> 1.8)"
    assert alter.reverse() == O.AlterExtension(new, old, "public")
    drop = O.DropExtension(old)
    assert drop.destructive and drop.reverse() == O.CreateExtension(old)
    assert O.Phase.CREATE_SCHEMA < O.CreateExtension.phase < O.Phase.CREATE_ENUM
    assert O.DropExtension.phase > O.Phase.DROP_SEQUENCE and O.DropExtension.phase > (
        O.Phase.DROP_TABLE
    )


def test_domain_ddl_names_checks_as_postgresql_does() -> None:
    from schemadiff.snapshot.domains import alter_domain_sql, create_domain_sql, name_checks
    from schemadiff.snapshot.model import Domain, DomainCheck

    def quote(name: str) -> str:
        return name

    old = Domain("d", "integer", checks=(DomainCheck("CHECK ((VALUE > 0))", "d_check"),))
    new = Domain(
        "d",
        "integer",
        not_null=True,
        default="1",
        checks=(DomainCheck("CHECK ((VALUE < 9))"), DomainCheck("CHECK ((VALUE > 0))")),
    )
    assert create_domain_sql(new, quote) == (
        "CREATE DOMAIN d AS integer DEFAULT 1 NOT NULL CONSTRAINT d_check CHECK ((VALUE < 9)) "
        "CONSTRAINT d_check1 CHECK ((VALUE > 0))"
    )
    named = name_checks(old, new)
    assert [c.name for c in named.checks] == ["d_check1", "d_check"]
    assert alter_domain_sql(old, named, quote) == [
        "ALTER DOMAIN d SET DEFAULT 1",
        "ALTER DOMAIN d SET NOT NULL",
        "ALTER DOMAIN d ADD CONSTRAINT d_check1 CHECK ((VALUE < 9))",
    ]
    assert alter_domain_sql(named, old, quote) == [
        "ALTER DOMAIN d DROP DEFAULT",
        "ALTER DOMAIN d DROP NOT NULL",
        "ALTER DOMAIN d DROP CONSTRAINT d_check1",
    ]


def test_a_domain_the_server_could_not_settle_is_not_compared() -> None:
    from schemadiff.diff.engine import compute_diff
    from schemadiff.snapshot.model import Domain, DomainCheck

    stored = Domain("d", "integer", checks=(DomainCheck("CHECK ((VALUE > 0))", "d_check"),))
    declared = Domain("d", "int", checks=(DomainCheck("CHECK (VALUE > 0)"),), settled=False)
    db = Snapshot("postgresql", "public", domains=(stored,))
    result = compute_diff(db, Snapshot("postgresql", "public", domains=(declared,)))
    assert result.ops == ()
    assert [n.level for n in result.notices] == ["not_compared"]
    assert "domain d" in result.notices[0].message
    # on a backend without domains a declaration is reported, never silently dropped
    sqlite = compute_diff(Snapshot("sqlite"), Snapshot("sqlite", domains=(declared,)))
    assert sqlite.ops == () and "domains" in sqlite.notices[0].message


def test_an_extension_schema_is_created_before_it_and_dropped_after() -> None:
    from schemadiff.diff.engine import compute_diff
    from schemadiff.diff.options import CompareOptions
    from schemadiff.pipeline import extension_only_schemas, wanted_schemas
    from schemadiff.settings.config import Settings

    options = CompareOptions(use_entry_points=False)
    db = Snapshot("postgresql", "public")
    models = Snapshot("postgresql", "public", extensions=(Ext("pg_trgm", "extensions"),))
    result = compute_diff(db, models, options)
    assert [op.describe() for op in result.ops] == [
        "create schema extensions",
        "create extension pg_trgm in schema extensions",
    ]
    assert [op.describe() for op in result.downgrade_ops()] == [
        "drop extension pg_trgm in schema extensions",
        "drop schema extensions",
    ]
    # installed there already (or the schema reflected): nothing to create
    there = Snapshot("postgresql", "public", extensions=models.extensions)
    assert compute_diff(there, models, options).ops == ()
    assert compute_diff(
        Snapshot("postgresql", "public", schemas=("extensions",)), models, options
    ).ops == (O.CreateExtension(Ext("pg_trgm", "extensions")),)
    # the schema is reflected, configured schemas or not
    metadata = sa.MetaData()
    Extension(metadata, "pg_trgm", schema="extensions")
    assert wanted_schemas(Settings(), metadata, "public") == ["extensions"]
    assert wanted_schemas(Settings(schemas=("app",)), metadata, "public") == ["app", "extensions"]
    # named by the extension alone: its name is kept, its other objects are not compared
    assert extension_only_schemas(Settings(), metadata, "public") == {"extensions"}
    assert extension_only_schemas(Settings(schemas=("extensions",)), metadata, "public") == set()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), schema="extensions")
    assert extension_only_schemas(Settings(), metadata, "public") == set()
