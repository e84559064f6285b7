"""PostgreSQL normalization rules on their own (no server): types, defaults, identity, indexes,
and the metadata side's enums/arrays/collations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from schemadiff.backends.postgresql.rules import PostgresqlRules
from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import Enum, Identity
from schemadiff.sources.metadata import inspect_metadata

RULES = rules_for("postgresql")
DIALECT = postgresql.dialect()
assert isinstance(RULES, PostgresqlRules)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("character varying(50)", "varchar(50)"),
        ("VARCHAR(50)", "varchar(50)"),
        ("character varying", "varchar"),
        ("character(3)", "char(3)"),
        ("CHAR", "char(1)"),
        ("bpchar", "char(1)"),
        ("timestamp without time zone", "timestamp"),
        ("TIMESTAMP WITHOUT TIME ZONE", "timestamp"),
        ("timestamp(3) with time zone", "timestamptz(3)"),
        ("TIMESTAMP(3) WITH TIME ZONE", "timestamptz(3)"),
        ("timestamptz", "timestamptz"),
        ("time with time zone", "timetz"),
        ("time without time zone", "time"),
        ("double precision", "double"),
        ("FLOAT", "double"),
        ("FLOAT(53)", "double"),
        ("FLOAT(10)", "real"),
        ("float8", "double"),
        ("float4", "real"),
        ("int4", "integer"),
        ("int8", "bigint"),
        ("int2", "smallint"),
        ("NUMERIC", "numeric"),
        ("numeric(10, 2)", "numeric(10,2)"),
        ("NUMERIC(10)", "numeric(10,0)"),
        ("integer[]", "integer[]"),
        ("INTEGER[][]", "integer[]"),
        ("character varying(30)[]", "varchar(30)[]"),
        ("interval", "interval"),
        ("INTERVAL second (3)", "interval second(3)"),
        ("interval second(3)", "interval second(3)"),
        ("JSONB", "jsonb"),
        ("uuid", "uuid"),
        ("BYTEA", "bytea"),
        ("inet", "inet"),
        ("TSVECTOR", "tsvector"),
        ('VARCHAR(20) COLLATE "C"', "varchar(20)"),
    ],
)
def test_canonical_type(text: str, canonical: str) -> None:
    assert RULES.canonical_type(text).sql == canonical


@pytest.mark.parametrize(
    ("type_", "canonical"),
    [
        (sa.String(20, collation="C"), "varchar(20)"),
        (sa.Float(), "double"),
        (sa.Float(precision=10), "real"),
        (sa.REAL(), "real"),
        (sa.Double(), "double"),
        (sa.Numeric(), "numeric"),
        (sa.DateTime(timezone=True), "timestamptz"),
        (sa.Time(), "time"),
        (sa.Interval(), "interval"),
        (sa.Uuid(), "uuid"),
        (sa.LargeBinary(), "bytea"),
        (sa.JSON(), "json"),
        (sa.PickleType(), "bytea"),
        (sa.Enum("a", "b", name="mood"), "enum(mood)"),
        (postgresql.ENUM("a", name="level", schema="audit"), "enum(audit.level)"),
        (postgresql.ENUM("a", name="level", schema="public"), "enum(level)"),
        (sa.Enum("a", "b", native_enum=False), "varchar(1)"),
        (postgresql.ARRAY(sa.String(30)), "varchar(30)[]"),
        (postgresql.ARRAY(sa.Enum("x", name="e")), "enum(e)[]"),
        (sa.Integer().with_variant(sa.BigInteger(), "postgresql"), "bigint"),
    ],
)
def test_metadata_type(type_: sa.types.TypeEngine, canonical: str) -> None:
    assert RULES.metadata_type(type_, DIALECT).sql == canonical


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("'x'::character varying", "'x'"),
        ("'x'", "'x'"),
        ("'ok'::mood", "'ok'"),
        ("'info'::audit.level", "'info'"),
        ("'0'", "'0'"),  # its value is read with the column type: typed_default
        ("'-1'::integer", "-1"),  # a number cast to a number type is that number
        ("1.5", "1.5"),
        ("true", "TRUE"),
        ("now()", "CURRENT_TIMESTAMP"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("'{}'::jsonb", "'{}'"),
        ("NULL", None),
        (None, None),
    ],
)
def test_canonical_default(text: str | None, canonical: str | None) -> None:
    assert RULES.canonical_default(text) == canonical


def test_serial_sequence() -> None:
    serial = RULES.serial_sequence
    assert serial("nextval('users_id_seq'::regclass)", "users", "id")
    assert serial("nextval('audit.log_id_seq'::regclass)", "log", "id")
    assert serial("nextval('\"public\".users_id_seq'::regclass)", "users", "id")
    assert not serial("nextval('shared_seq'::regclass)", "users", "id")
    assert not serial("0", "users", "id")
    assert not serial(None, "users", "id")


def test_identity_defaults_are_stored_as_none() -> None:
    assert RULES.canonical_identity(False, 1, 1) == Identity(False, None, None)
    assert RULES.canonical_identity(True, 100, 5) == Identity(True, 100, 5)
    assert RULES.canonical_identity(False, -1, -1) == Identity(False, None, -1)
    assert RULES.canonical_identity(False, None, None) == Identity(False, None, None)


def test_identity_options_at_their_defaults_are_stored_as_none() -> None:
    """The catalog reports every option; PostgreSQL's defaults depend on the type and the
    direction (issue 13: minvalue/maxvalue/cycle are compared too)."""
    full = RULES.canonical_identity(True, 1, 1, 1, 2**31 - 1, False, "integer")
    assert full == Identity(True)
    assert RULES.canonical_identity(False, 1, 1, 1, 2**15 - 1, False, "smallint") == Identity()
    assert RULES.canonical_identity(False, -1, -1, -(2**63), -1, False, "bigint") == Identity(
        increment=-1
    )
    # start defaults to the minimum: a given minimum moves it
    assert RULES.canonical_identity(False, 0, 1, 0, 100, True, "integer") == Identity(
        minvalue=0, maxvalue=100, cycle=True
    )
    assert RULES.canonical_identity(False, 10, 3, 1, 9999, False, "bigint") == Identity(
        start=10, increment=3, maxvalue=9999
    )
    assert RULES.identity_options(Identity(increment=-2), "smallint") == {
        "always": False,
        "start": -1,
        "increment": -2,
        "minvalue": -(2**15),
        "maxvalue": -1,
        "cycle": False,
    }


def test_index_details() -> None:
    assert RULES.canonical_nulls(False, "last") is None
    assert RULES.canonical_nulls(True, "first") is None
    assert RULES.canonical_nulls(True, "last") == "last"
    assert RULES.canonical_using("btree") is None
    assert RULES.canonical_using("GIN") == "gin"
    el = RULES.index_element("lower((title)::text)", True, ("desc", "nulls_last"), None)
    assert (el.expr, el.descending, el.nulls) == ("LOWER(title)", True, "last")
    assert el.raw == "lower((title)::text)"
    assert RULES.canonical_fk_timing(None, "DEFERRED") == (True, "DEFERRED")
    assert RULES.canonical_fk_timing(True, "IMMEDIATE") == (True, None)
    assert RULES.canonical_fk_timing(False, None) == (None, None)


@pytest.mark.parametrize(
    ("model", "catalog"),
    [
        ("CAST(x AS TEXT)", "(x::text)"),
        ("CAST(ff AS NUMERIC(10, 2))", "(ff::numeric(10,2))"),
        ("CAST(CAST(z AS TEXT) AS INTEGER)", "((z)::text::integer)"),
        ("coalesce(z, -1)", "COALESCE(z, '-1'::integer)"),
        ("coalesce(q, '-1')", "COALESCE(q, '-1'::character varying)"),
        ("lower(x)", "lower((x)::text)"),
        ("jb['foo']", "(jb['foo'::text])"),
        ("(jb -> 'foo')", "(jb -> 'foo'::text)"),
    ],
)
def test_index_expressions_compare_as_postgresql_stores_them(model: str, catalog: str) -> None:
    assert RULES.canonical_index_expression(model) == RULES.canonical_index_expression(catalog)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("(x::text)", "x"),
        ("(z::text)", "(z::bigint)"),
        ("((z)::text::integer)", "(z::integer)"),
        ("(ff::numeric(10,2))", "(ff::numeric(12,2))"),
        ("COALESCE(z, '-1'::integer)", "COALESCE(z, '-2'::integer)"),
        ("COALESCE(z, '-1'::integer)", "COALESCE(z, 1)"),
    ],
)
def test_index_expressions_that_differ(one: str, other: str) -> None:
    assert RULES.canonical_index_expression(one) != RULES.canonical_index_expression(other)


@pytest.mark.parametrize(
    ("text", "split"),
    [
        ("aa array_ops", ("aa", "array_ops")),
        ("(jb->'x')jsonb_path_ops", ("(jb->'x')", "jsonb_path_ops")),
        ("lower(x) Text_Pattern_Ops", ("lower(x)", "text_pattern_ops")),
        ("a + b", ("a + b", None)),
        ("lower(x)", ("lower(x)", None)),
        ("x", ("x", None)),
        ('x COLLATE "C"', ('x COLLATE "C"', None)),
        ("x COLLATE C", ("x COLLATE C", None)),
    ],
)
def test_operator_class_written_after_an_index_expression(
    text: str, split: tuple[str, str | None]
) -> None:
    assert RULES.split_index_opclass(text) == split


def _metadata() -> sa.MetaData:
    md = sa.MetaData()
    mood = sa.Enum("sad", "ok", name="mood")
    sa.Table(
        "t",
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", mood),
        sa.Column("b", mood),
        sa.Column("c", postgresql.ARRAY(postgresql.ENUM("x", "y", name="xy", schema="other"))),
        sa.Column("d", sa.Enum("p", "q", native_enum=False)),
        sa.Column("e", sa.BigInteger, sa.Identity(start=1, increment=1)),
        sa.Column("f", sa.Integer, sa.Computed("id * 2")),
        sa.Column("ts", sa.DateTime),
        sa.Index("ix_t_ts", sa.column("ts").desc().nulls_first(), postgresql_using="btree"),
    )
    return md


def test_metadata_enums_dedup_and_schema() -> None:
    snap = inspect_metadata(_metadata(), DIALECT, "public")
    assert snap.enums == (Enum("mood", ("sad", "ok"), None), Enum("xy", ("x", "y"), "other"))


def test_metadata_table_mirrors_postgresql_implicit_behaviour() -> None:
    table = inspect_metadata(_metadata(), DIALECT, "public").tables[0]
    cols = {c.name: c for c in table.columns}
    assert cols["id"].autoincrement and cols["id"].server_default is None
    assert cols["e"].identity == Identity(False, None, None)
    assert cols["e"].nullable is False and not cols["e"].autoincrement
    assert cols["f"].computed is not None and cols["f"].computed.persisted is True
    (ix,) = table.indexes
    (el,) = ix.elements
    assert ix.using is None
    assert (el.expr, el.is_expression, el.descending, el.nulls) == ("ts", False, True, None)
