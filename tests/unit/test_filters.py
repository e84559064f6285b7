"""Filters: version table, exclude globs, include_name and include_object (Alembic signatures)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from schemadiff.snapshot.model import ForeignKey, Table, UniqueConstraint
from tests.kit.builders import col, diff, index, kinds, snap, table


def test_version_table_is_always_excluded() -> None:
    result = diff(
        snap(table("alembic_version"), table("my_version")), snap(), version_table="my_version"
    )
    assert kinds(result) == ["drop_table"]
    assert result.ops[0].name == "alembic_version"
    assert diff(snap(table("alembic_version")), snap()).ops == ()


def test_exclude_tables_globs_match_name_and_schema_qualified_name() -> None:
    db = snap(table("tmp_1"), table("keep"), table("log", schema="audit"), schemas=("audit",))
    models = snap(table("keep"), table("tmp_2"), schemas=("audit",))
    result = diff(db, models, exclude_tables=("tmp_*", "audit.*"))
    assert result.ops == ()


def test_include_name_filters_both_sides() -> None:
    calls: list[tuple[Any, str, dict[str, Any]]] = []

    def include_name(name: Any, type_: str, parents: dict[str, Any]) -> bool:
        calls.append((name, type_, dict(parents)))
        return not (isinstance(name, str) and name.startswith("skip"))

    db = snap(table("t", col("id"), col("skip_me")), table("skip_db"))
    models = snap(table("t", col("id"), col("skip_too")), table("skip_model"))
    result = diff(db, models, include_name=include_name)
    assert result.ops == ()
    assert (None, "schema", {}) in calls
    assert (
        "skip_db",
        "table",
        {"schema_name": None, "schema_qualified_table_name": "skip_db"},
    ) in calls
    parents = {"table_name": "t", "schema_name": None, "schema_qualified_table_name": "t"}
    assert ("skip_me", "column", parents) in calls


def test_include_name_on_schemas() -> None:
    db = snap(table("a", schema="private"), schemas=("private",))
    result = diff(db, snap(), include_name=lambda n, t, p: not (t == "schema" and n == "private"))
    assert result.ops == ()


def test_include_object_arguments_and_exclusion() -> None:
    calls: list[tuple[str, str, bool, Any]] = []

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        calls.append((name, type_, reflected, compare_to is not None))
        return name not in ("legacy", "ix_old", "secret")

    db = snap(
        table("t", col("id"), col("secret", "text"), indexes=(index("ix_old", "id"),)),
        table("legacy"),
    )
    models = snap(table("t", col("id"), col("secret", "integer")))
    result = diff(db, models, include_object=include_object)
    assert result.ops == ()
    assert ("legacy", "table", True, False) in calls
    assert ("t", "table", False, True) in calls
    assert ("secret", "column", False, True) in calls
    assert ("ix_old", "index", True, False) in calls


def test_include_object_gets_sqlalchemy_objects_from_metadata() -> None:
    md = sa.MetaData()
    sa_table = sa.Table(
        "t",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("p", sa.Integer, sa.ForeignKey("p.id", name="fk_p")),
        sa.UniqueConstraint("id", "p", name="uq_t"),
        sa.Index("ix_t", "p"),
    )
    sa.Table("p", md, sa.Column("id", sa.Integer, primary_key=True))
    seen: dict[str, Any] = {}

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        seen[f"{type_}:{name}"] = obj
        return True

    fk = ForeignKey(("p",), None, "p", ("id",), "fk_p")
    model_t = table(
        "t",
        col("id"),
        col("p"),
        foreign_keys=(fk,),
        unique_constraints=(UniqueConstraint(("id", "p"), "uq_t"),),
        indexes=(index("ix_t", "p"),),
    )
    db_t = table("t", col("id"), col("p"))
    diff(
        snap(db_t, table("p")),
        snap(model_t, table("p")),
        include_object=include_object,
        metadata=md,
    )
    assert seen["table:t"] is sa_table
    assert seen["column:p"] is sa_table.c.p
    assert seen["index:ix_t"] is next(iter(sa_table.indexes))
    assert isinstance(seen["unique_constraint:uq_t"], sa.UniqueConstraint)
    assert isinstance(seen["foreign_key_constraint:fk_p"], sa.ForeignKeyConstraint)


def test_reflected_objects_are_snapshot_objects() -> None:
    seen: list[Any] = []

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        if reflected:
            seen.append(obj)
        return False

    diff(snap(table("gone")), snap(), include_object=include_object)
    assert len(seen) == 1 and isinstance(seen[0], Table)


def test_excluding_a_constraint_removes_it_from_both_sides() -> None:
    uq = UniqueConstraint(("id",), "uq_x")
    db = snap(table("t", col("id")))
    models = snap(table("t", col("id"), unique_constraints=(uq,)))
    result = diff(db, models, include_name=lambda n, t, p: t != "unique_constraint")
    assert result.ops == ()


def test_include_object_is_asked_about_extensions_domains_policies_and_partitions() -> None:
    """Alembic never passes these kinds: a hook can still keep the database's own out of the
    comparison (never dropped), and is asked once per object with its own name."""
    from schemadiff.snapshot.model import Domain, Extension
    from schemadiff.snapshot.partitions import Partition, PartitionKey
    from schemadiff.snapshot.policies import Policy

    events = table("events", col("id"), col("at", "timestamp"))
    key = PartitionKey("events", None, "range(at)", raw="RANGE (at)")
    kept = Partition("events_a", "events", None, "default", raw_bounds="DEFAULT")
    theirs = Partition("events_b", "events", None, "for values from (1) to (2)")
    db = snap(
        events,
        dialect="postgresql",
        extensions=(Extension("hstore"), Extension("pg_trgm")),
        domains=(Domain("mine", "integer"), Domain("theirs", "text")),
        policies=(Policy("mine", "events"), Policy("theirs", "events")),
        partition_keys=(key,),
        partitions=(kept, theirs),
    )
    models = snap(
        events,
        dialect="postgresql",
        extensions=(Extension("pg_trgm"),),
        domains=(Domain("mine", "integer"),),
        policies=(Policy("mine", "events"),),
        partition_keys=(key,),
        partitions=(kept,),
    )
    assert sorted(op.describe() for op in diff(db, models).ops) == [
        "drop domain theirs",
        "drop extension hstore",
        "drop partition events_b of events",
        "drop policy theirs on events",
    ]
    asked: list[tuple[str, str]] = []

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        asked.append((name, type_))
        return name not in ("hstore", "theirs", "events_b")

    assert diff(db, models, include_object=include_object).ops == ()
    for pair in [
        ("hstore", "extension"),
        ("theirs", "domain"),
        ("theirs", "policy"),
        ("events_b", "partition"),
    ]:
        assert asked.count(pair) == 1, pair
