"""MySQL/MariaDB reflection against a real server: the kitchen sink reflects exactly like its
models, each normalization holds on real catalog output, catalog queries do not grow with tables,
and a snapshot file round-trips."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import URL, Engine

from fixtures import kitchen_sink
from fixtures.kitchen_sink import mysql as mysql_sink
from schemadiff.backends.mysql import queries as mysql_queries
from schemadiff.backends.mysql.queries import fetch_catalog, server_info
from schemadiff.diff.engine import compute_diff
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.model import (
    CheckConstraint,
    Computed,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Snapshot,
    Table,
    UniqueConstraint,
)
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata

pytestmark = pytest.mark.db


@pytest.fixture
def my(backend_url: Callable[[str], str]) -> Iterator[Engine]:
    engine = sa.create_engine(backend_url("mysql"))
    yield engine
    engine.dispose()


@pytest.fixture
def other_db(my: Engine) -> Iterator[str]:
    """A second database on the same server (MySQL's "schema"), dropped afterwards."""
    name = f"{my.url.database}_x"[:64]
    with my.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    yield name
    with my.connect() as conn:
        conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=0"))  # tables here may point into it
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))


def _models(metadata: sa.MetaData, engine: Engine) -> Snapshot:
    with engine.connect():  # the dialect learns it is MariaDB/MySQL on first connect
        pass
    return inspect_metadata(metadata, engine.dialect, engine.url.database)


def _create(engine: Engine, *ddl: str) -> Snapshot:
    with engine.begin() as conn:
        for statement in ddl:
            conn.execute(sa.text(statement))
    return inspect_database(engine)


def _table(snapshot: Snapshot, name: str, schema: str | None = None) -> Table:
    return snapshot.table_map()[(schema, name)]


def _compared(value: Any, model: Any = None) -> Any:
    """The compared content of a snapshot value: ``compare=False`` fields, type hints
    (``python``/``imports``) and names the model side leaves unnamed are dropped."""
    if is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in fields(value):
            if not f.compare or f.name in ("python", "imports"):
                continue
            if f.name == "name" and model is not None and getattr(model, "name", 1) is None:
                continue
            sub_model = getattr(model, f.name, None) if model is not None else None
            out[f.name] = _compared(getattr(value, f.name), sub_model)
        return out
    if isinstance(value, tuple):
        models = model if isinstance(model, tuple) and len(model) == len(value) else ()
        return tuple(_compared(v, models[i] if models else None) for i, v in enumerate(value))
    return value


# --- (a) the kitchen sink ------------------------------------------------------------------


@pytest.fixture
def sink(my: Engine, other_db: str) -> tuple[Snapshot, Snapshot]:
    metadata = mysql_sink.build(other_schema=other_db)
    kitchen_sink.create(metadata, my)
    return inspect_database(my, [other_db]), _models(metadata, my)


def test_kitchen_sink_reflects_like_its_models(sink: tuple[Snapshot, Snapshot]) -> None:
    db, models = sink
    assert set(db.table_map()) == set(models.table_map())
    assert db.schemas == models.schemas
    for key, model in models.table_map().items():
        assert _compared(db.table_map()[key], model) == _compared(model, model), key


def test_kitchen_sink_has_no_differences(sink: tuple[Snapshot, Snapshot]) -> None:
    db, models = sink
    result = compute_diff(db, models)
    assert result.ops == ()


def test_generic_kitchen_sink_entry_point(my: Engine) -> None:
    """``kitchen_sink.build("mysql")`` (what the CLI tests use) has no second database."""
    metadata = kitchen_sink.build("mysql")
    kitchen_sink.create(metadata, my)
    assert compute_diff(inspect_database(my), _models(metadata, my)).ops == ()


def test_snapshot_metadata(sink: tuple[Snapshot, Snapshot], my: Engine, other_db: str) -> None:
    db, _ = sink
    assert db.dialect == "mysql"
    assert db.default_schema == my.url.database
    assert db.schemas == (other_db,)
    assert db.server_version and db.server_version[0].isdigit()
    links = _table(db, "archive_links")
    assert links.schema is None
    assert {fk.referred_schema for fk in links.foreign_keys} == {None, other_db}
    assert _table(db, "archive_notes", other_db).foreign_keys[0].referred_schema == other_db


# --- (d) snapshot files ----------------------------------------------------------------------


def test_snapshot_file_round_trip(sink: tuple[Snapshot, Snapshot], tmp_path: Any) -> None:
    db, _ = sink
    path = tmp_path / "db.json"
    snapshot_io.save(db, path)
    loaded = snapshot_io.load(path)
    assert loaded == db
    assert snapshot_io.dumps(loaded) == snapshot_io.dumps(db)  # hint fields survive too


# --- (b) normalizations, one by one ---------------------------------------------------------


def test_types(my: Engine) -> None:
    db = _create(
        my,
        """CREATE TABLE t (
            a int(11), b tinyint(1), c int(10) unsigned zerofill, d bigint(20) unsigned,
            e decimal, f numeric(8,3), g float(53), h real, i char, j year(4), k datetime(6),
            l timestamp NULL, m enum('a','b''c','D'), n set('x','y'), o json, p mediumtext,
            q varbinary(16), r bit, s text(100)
        )""",
    )
    types = {c.name: c.type.sql for c in _table(db, "t").columns}
    assert types == {
        "a": "integer", "b": "boolean", "c": "integer unsigned zerofill", "d": "bigint unsigned",
        "e": "numeric(10,0)", "f": "numeric(8,3)", "g": "double", "h": "double", "i": "char(1)",
        "j": "year", "k": "datetime(6)", "l": "timestamp", "m": "enum('a','b''c','D')",
        "n": "set('x','y')", "o": "json", "p": "mediumtext", "q": "varbinary(16)", "r": "bit(1)",
        "s": "text",
    }  # fmt: skip


def test_model_types_compile_to_the_same(my: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("a", sa.Integer), sa.Column("b", sa.Boolean),
        sa.Column("c", mysql.INTEGER(display_width=10, zerofill=True)),
        sa.Column("d", sa.BigInteger().with_variant(mysql.BIGINT(unsigned=True), "mysql")),
        sa.Column("e", sa.Numeric), sa.Column("f", sa.Numeric(8, 3)), sa.Column("g", sa.Float(53)),
        sa.Column("h", sa.Double), sa.Column("i", sa.CHAR), sa.Column("j", mysql.YEAR(4)),
        sa.Column("k", mysql.DATETIME(fsp=6)), sa.Column("l", mysql.TIMESTAMP),
        sa.Column("m", sa.Enum("a", "b'c", "D", name="m")), sa.Column("n", mysql.SET("x", "y")),
        sa.Column("o", sa.JSON), sa.Column("p", mysql.MEDIUMTEXT),
        sa.Column("q", sa.VARBINARY(16)), sa.Column("r", mysql.BIT), sa.Column("s", sa.Text(100)),
    )  # fmt: skip
    metadata.create_all(my)
    db_types = [c.type.sql for c in _table(inspect_database(my), "t").columns]
    model_types = [c.type.sql for c in _table(_models(metadata, my), "t").columns]
    assert db_types == model_types


def test_json_check_is_absorbed_but_real_checks_stay(my: Engine) -> None:
    db = _create(
        my,
        "CREATE TABLE t (id int, doc json, n int CHECK (n <> 0), CHECK (id > 0), "
        "CONSTRAINT named CHECK (n < 10))",
    )
    t = _table(db, "t")
    doc = t.column("doc")
    assert doc is not None and doc.type.sql == "json" and doc.collation is None
    checks = {c.sqltext for c in t.check_constraints}
    assert checks == {"n <> 0", "id > 0", "n < 10"}
    assert all("JSON_VALID" not in c.sqltext for c in t.check_constraints)
    names = {c.name for c in t.check_constraints}
    assert "named" in names and None not in names  # server-generated names are kept


def test_defaults(my: Engine) -> None:
    db = _create(
        my,
        """CREATE TABLE t (
            id int NOT NULL AUTO_INCREMENT PRIMARY KEY,
            s varchar(10) DEFAULT 'new', q varchar(10) DEFAULT 'it''s', e varchar(10) DEFAULT '',
            z varchar(10) DEFAULT NULL, n int DEFAULT 0, d decimal(8,2) DEFAULT 1.50,
            qn int DEFAULT '7', b tinyint(1) NOT NULL DEFAULT true, bit1 bit(1) DEFAULT b'1',
            c datetime DEFAULT current_timestamp(), c6 datetime(6) DEFAULT current_timestamp(6),
            u timestamp NOT NULL DEFAULT current_timestamp ON UPDATE current_timestamp
        )""",
    )
    t = _table(db, "t")
    defaults = {c.name: c.server_default for c in t.columns}
    assert defaults == {
        "id": None, "s": "'new'", "q": "'it''s'", "e": "''", "z": None, "n": "0", "d": "1.5",
        "qn": "7", "b": "1", "bit1": "b'1'", "c": "CURRENT_TIMESTAMP",
        "c6": "CURRENT_TIMESTAMP(6)", "u": "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
    }  # fmt: skip
    auto = t.column("id")
    assert auto is not None and auto.autoincrement and auto.server_default is None


def test_model_defaults_match(my: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("s", sa.String(10), server_default="new"),
        sa.Column("n", sa.Integer, server_default="0"),
        sa.Column("d", sa.Numeric(8, 2), server_default=sa.text("1.5")),
        sa.Column("b", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("f", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("c", sa.DateTime, server_default=sa.func.now()),
        sa.Column("u", mysql.TIMESTAMP, nullable=False,
                  server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")),
    )  # fmt: skip
    metadata.create_all(my)
    db = {c.name: c.server_default for c in _table(inspect_database(my), "t").columns}
    models = {c.name: c.server_default for c in _table(_models(metadata, my), "t").columns}
    assert db == models
    assert models["b"] == "1" and models["f"] == "0"
    assert models["u"] == "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"


def test_on_update_change_is_caught(my: Engine) -> None:
    _create(my, "CREATE TABLE t (id int PRIMARY KEY, u timestamp NOT NULL DEFAULT now())")
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("u", mysql.TIMESTAMP, nullable=False,
                  server_default=sa.text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP")),
    )  # fmt: skip
    ops = compute_diff(inspect_database(my), _models(metadata, my)).ops
    assert [op.kind for op in ops] == ["alter_column"]


def test_generated_columns(my: Engine) -> None:
    db = _create(
        my,
        "CREATE TABLE t (a int, b int, s int AS (a + b) STORED, v int AS (a * b) VIRTUAL, "
        "w varchar(20) AS (concat(a, 'x')))",
    )
    t = _table(db, "t")
    computed = {c.name: c.computed for c in t.columns}
    assert computed["s"] == Computed("a + b", True)
    assert computed["v"] == Computed("a * b", None)  # VIRTUAL is MySQL's default
    assert computed["w"] is not None and computed["w"].persisted is None
    assert all(c.server_default is None for c in t.columns)


def test_collation_and_comments(my: Engine) -> None:
    db = _create(
        my,
        "CREATE TABLE t (a varchar(10), b varchar(10) COLLATE utf8mb4_bin, "
        "c varchar(10) COMMENT 'see', d varchar(10) COMMENT '') COMMENT ''",
        "CREATE TABLE u (a varchar(10)) COMMENT 'the u' COLLATE utf8mb4_bin",
    )
    t = _table(db, "t")
    assert [c.collation for c in t.columns] == [None, "utf8mb4_bin", None, None]
    assert [c.comment for c in t.columns] == [None, None, "see", None]
    assert t.comment is None
    u = _table(db, "u")
    assert u.comment == "the u" and u.columns[0].collation is None  # same as the table's


def test_keys_and_indexes(my: Engine) -> None:
    db = _create(
        my,
        """CREATE TABLE t (
            id int PRIMARY KEY, a varchar(100), b int, c int,
            UNIQUE KEY uq_b (b), UNIQUE KEY (c, b),
            KEY ix_prefix (a(10), b), KEY ix_desc (b DESC, c), UNIQUE KEY uq_prefix (a(5))
        )""",
    )
    t = _table(db, "t")
    assert t.primary_key == PrimaryKey(("id",), None)
    assert t.unique_constraints == (
        UniqueConstraint(("c", "b"), "c"),
        UniqueConstraint(("b",), "uq_b"),
    )
    by_name = {ix.name: ix for ix in t.indexes}
    assert by_name["ix_prefix"].elements == (IndexElement("a", length=10), IndexElement("b"))
    assert by_name["ix_desc"].elements == (IndexElement("b", descending=True), IndexElement("c"))
    assert by_name["uq_prefix"].unique and by_name["uq_prefix"].elements[0].length == 5


def test_model_unique_index_is_a_unique_constraint(my: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.String(100)), sa.Column("b", sa.Integer),
        sa.Index("uq_t_b", "b", unique=True),
        sa.Index("ix_t_a", "a", mysql_length=10),
        sa.Index("uq_t_a", "a", unique=True, mysql_length={"a": 5}),
    )  # fmt: skip
    models = _table(_models(metadata, my), "t")
    assert models.unique_constraints == (UniqueConstraint(("b",), "uq_t_b"),)
    assert [ix.name for ix in models.indexes] == ["ix_t_a", "uq_t_a"]
    metadata.create_all(my)
    assert compute_diff(inspect_database(my), _models(metadata, my)).ops == ()


def test_foreign_key_implied_indexes(my: Engine) -> None:
    """The index MySQL makes for an uncovered FK is hidden (recorded on the key); an explicit or
    covering index stays an index."""
    db = _create(
        my,
        "CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE KEY (k))",
        """CREATE TABLE c (
            id int PRIMARY KEY, a int, b int, d int, e int,
            CONSTRAINT fk_named FOREIGN KEY (a) REFERENCES p (id),
            FOREIGN KEY (b) REFERENCES p (id) ON DELETE CASCADE,
            KEY ix_d_e (d, e), CONSTRAINT fk_d FOREIGN KEY (d) REFERENCES p (id),
            FOREIGN KEY (id) REFERENCES p (k)
        )""",
    )
    c = _table(db, "c")
    implied = {fk.columns: fk.implied_index for fk in c.foreign_keys}
    assert implied == {("a",): "fk_named", ("b",): "b", ("d",): None, ("id",): None}
    assert [ix.name for ix in c.indexes] == ["ix_d_e"]

    metadata = sa.MetaData()
    sa.Table(
        "p",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("k", sa.Integer, unique=True),
    )
    sa.Table(
        "c", metadata,
        sa.Column("id", sa.Integer, sa.ForeignKey("p.k"), primary_key=True),
        sa.Column("a", sa.Integer, sa.ForeignKey("p.id", name="fk_named")),
        sa.Column("b", sa.Integer, sa.ForeignKey("p.id", ondelete="CASCADE")),
        sa.Column("d", sa.Integer, sa.ForeignKey("p.id", name="fk_d")),
        sa.Column("e", sa.Integer),
        sa.Index("ix_d_e", "d", "e"),
    )  # fmt: skip
    models = _table(_models(metadata, my), "c")
    assert {fk.columns: fk.implied_index for fk in models.foreign_keys} == implied
    assert compute_diff(db, _models(metadata, my)).ops == ()


def test_implied_index_disappears_when_a_covering_index_is_created(my: Engine) -> None:
    _create(
        my,
        "CREATE TABLE p (id int PRIMARY KEY)",
        "CREATE TABLE c (id int PRIMARY KEY, a int, "
        "CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES p (id))",
        "CREATE INDEX ix_c_a ON c (a)",
    )
    c = _table(inspect_database(my), "c")
    assert [ix.name for ix in c.indexes] == ["ix_c_a"]
    assert c.foreign_keys[0].implied_index is None


def test_fk_actions(my: Engine) -> None:
    db = _create(
        my,
        "CREATE TABLE p (id int PRIMARY KEY)",
        """CREATE TABLE c (
            id int PRIMARY KEY, a int, b int, d int,
            CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES p (id) ON DELETE RESTRICT,
            CONSTRAINT fk_b FOREIGN KEY (b) REFERENCES p (id) ON DELETE NO ACTION,
            CONSTRAINT fk_d FOREIGN KEY (d) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL
        )""",
    )
    fks = {fk.name: fk for fk in _table(db, "c").foreign_keys}
    assert (fks["fk_a"].ondelete, fks["fk_a"].onupdate) == (None, None)
    assert (fks["fk_b"].ondelete, fks["fk_b"].onupdate) == (None, None)
    assert (fks["fk_d"].ondelete, fks["fk_d"].onupdate) == ("CASCADE", "SET NULL")

    def model(action: str | None) -> Snapshot:
        metadata = sa.MetaData()
        sa.Table("p", metadata, sa.Column("id", sa.Integer, primary_key=True))
        sa.Table(
            "c", metadata,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("a", sa.Integer, sa.ForeignKey("p.id", name="fk_a", ondelete="RESTRICT")),
            sa.Column("b", sa.Integer, sa.ForeignKey("p.id", name="fk_b")),
            sa.Column("d", sa.Integer, sa.ForeignKey("p.id", name="fk_d", ondelete=action,
                                                     onupdate="SET NULL")),
        )  # fmt: skip
        return _models(metadata, my)

    assert compute_diff(db, model("CASCADE")).ops == ()
    changed = compute_diff(db, model("RESTRICT")).ops  # CASCADE -> RESTRICT is a real change
    assert changed and all("foreign_key" in op.kind for op in changed)


def test_views_are_not_tables(my: Engine) -> None:
    db = _create(my, "CREATE TABLE t (id int)", "CREATE VIEW v AS SELECT id FROM t")
    assert [t.name for t in db.tables] == ["t"]


# --- (c) catalog statements do not grow with tables -----------------------------------------


def _make_tables(engine: Engine, count: int) -> None:
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    for i in range(count):
        sa.Table(
            f"t{i:03d}", metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id")),
            sa.Column("code", sa.String(20), unique=True),
            sa.Column("qty", sa.Integer, sa.CheckConstraint("qty >= 0")),
            sa.Index(f"ix_t{i:03d}_qty", "qty"),
        )  # fmt: skip
    metadata.create_all(engine)


def _count_statements(engine: Engine) -> tuple[int, Snapshot]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with engine.connect() as conn:
        sa.event.listen(conn, "before_cursor_execute", count)
        snapshot = inspect_database(conn)
        sa.event.remove(conn, "before_cursor_execute", count)
    return len(statements), snapshot


def test_statement_count_does_not_grow_with_tables(my: Engine) -> None:
    _make_tables(my, 5)
    few, small = _count_statements(my)
    assert len(small.tables) == 6
    with my.begin() as conn:
        conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=0"))
        for t in small.tables:
            conn.execute(sa.text(f"DROP TABLE `{t.name}`"))
    _make_tables(my, 100)
    many, large = _count_statements(my)
    assert len(large.tables) == 101
    assert all(len(t.foreign_keys) == 1 and t.check_constraints for t in large.tables[1:])
    assert few == many
    # VERSION() + tables, columns, statistics, foreign keys (2), checks, and (issue 13) the
    # objects listed as not compared: views, triggers, routines, events in one statement; and
    # (issue 17) the views' queries
    assert few <= 9


def test_packed_catalog_rows_equal_plain_rows(
    sink: tuple[Snapshot, Snapshot], my: Engine, other_db: str
) -> None:
    """The JSON-packed statements return exactly the plain statements' rows, awkward text
    included (quotes, backslashes, newlines, non-ASCII, ``%``, JSON's own syntax)."""
    awkward = 'it\'s \\ "q" 100% [1,2] {a:b}\nline é 日本 \u2028'
    _create(
        my,
        f"CREATE TABLE awkward (id INT PRIMARY KEY, "
        f"note VARCHAR(200) DEFAULT {_sql_literal(awkward)} COMMENT {_sql_literal(awkward)}, "
        f"CONSTRAINT `odd-name` CHECK (note <> {_sql_literal(awkward)})) "
        f"COMMENT {_sql_literal(awkward)}",
    )
    with my.connect() as conn:
        server = server_info(conn)
        assert server.packs_rows  # MariaDB 10.2.3+ / MySQL 8.0.3+
        sent: list[str] = []
        sa.event.listen(conn, "before_cursor_execute", lambda *a: sent.append(a[2]))
        packed = fetch_catalog(conn, server, [server.database, other_db], packed=True)
        # tables, columns, statistics, foreign keys (2), checks, objects listed as not compared
        assert len(sent) == 7 and all("JSON_ARRAY" in sql for sql in sent)  # none read again
        plain = fetch_catalog(conn, server, [server.database, other_db], packed=False)
    for kind in ("tables", "columns", "statistics", "foreign_keys", "checks"):
        got = [tuple(row) for row in getattr(packed, kind)]
        want = [tuple(row) for row in getattr(plain, kind)]
        assert got == want, kind
        assert len(want) > 0, kind
    assert any(awkward in (row[-2] or "") for row in packed.columns)  # the comment survived


def test_truncated_packed_rows_are_read_again_plain(
    sink: tuple[Snapshot, Snapshot], my: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A packed value cut short by ``group_concat_max_len`` (here set too small on purpose) is
    noticed by its row count and the statement is run again row by row."""
    monkeypatch.setattr(mysql_queries, "_MAX_LEN", 300)
    with my.connect() as conn:
        server = server_info(conn)
        plain = fetch_catalog(conn, server, [server.database], packed=False)
        sent: list[str] = []
        sa.event.listen(conn, "before_cursor_execute", lambda *a: sent.append(a[2]))
        packed = fetch_catalog(conn, server, [server.database], packed=True)
    assert [tuple(r) for r in packed.columns] == [tuple(r) for r in plain.columns]
    assert len(sent) > 7  # some statements were read again


def _sql_literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def test_requires_a_database(my: Engine) -> None:
    u = my.url
    url = URL.create(u.drivername, u.username, u.password, u.host, u.port)  # no database
    engine = sa.create_engine(url)
    try:
        with pytest.raises(ValueError, match="no database selected"):
            inspect_database(engine)
    finally:
        engine.dispose()


def test_unnamed_model_constraints_match_server_names(my: Engine) -> None:
    """MariaDB names unnamed checks ``CONSTRAINT_1`` (or after the column); unique keys after
    their first column: the model's unnamed ones still match by structure."""
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer, sa.CheckConstraint("n <> 0")),
        sa.Column("code", sa.String(10), unique=True),
        sa.CheckConstraint("n < 100"),
    )  # fmt: skip
    metadata.create_all(my)
    db = inspect_database(my)
    names = {c.name for c in _table(db, "t").check_constraints}
    assert None not in names
    assert compute_diff(db, _models(metadata, my)).ops == ()


def test_metadata_side_shapes(my: Engine) -> None:
    """Primary-key names vanish, VIRTUAL is the default, quoted numbers are numbers."""
    metadata = sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"})
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, server_default="5"),
        sa.Column("v", sa.Integer, sa.Computed("a + 1", persisted=False)),
    )  # fmt: skip
    t = _table(_models(metadata, my), "t")
    assert t.primary_key == PrimaryKey(("id",), None)
    assert t.columns[1].server_default == "5"
    assert t.columns[2].computed == Computed("a + 1", None)
    assert replace(t.columns[0], raw_default=None).autoincrement


def test_check_expression_spellings(my: Engine) -> None:
    """MariaDB rewrites length() to octet_length(); both stay apart from char_length()."""
    db = _create(
        my,
        "CREATE TABLE t (a varchar(10), CONSTRAINT c1 CHECK (length(a) > 1), "
        "CONSTRAINT c2 CHECK (char_length(a) < 5), CONSTRAINT c3 CHECK (a IN ('x', 'y')))",
    )
    checks = {c.name: c for c in _table(db, "t").check_constraints}
    assert checks["c1"] == CheckConstraint("OCTET_LENGTH(a) > 1", "c1")
    assert checks["c2"] == CheckConstraint("CHAR_LENGTH(a) < 5", "c2")
    assert checks["c3"] == CheckConstraint("a IN ('x', 'y')", "c3")


def test_indexes_on_text_and_fulltext(my: Engine) -> None:
    db = _create(my, "CREATE TABLE t (id int PRIMARY KEY, body text, FULLTEXT KEY ft_body (body))")
    assert _table(db, "t").indexes == (Index("ft_body", (IndexElement("body"),), using="fulltext"),)


def test_foreign_key_shape(my: Engine) -> None:
    db = _create(
        my,
        "CREATE TABLE p (a int, b int, PRIMARY KEY (a, b))",
        "CREATE TABLE c (x int, y int, CONSTRAINT fk FOREIGN KEY (y, x) REFERENCES p (a, b))",
    )
    assert _table(db, "c").foreign_keys == (
        ForeignKey(("y", "x"), None, "p", ("a", "b"), "fk", implied_index="fk"),
    )
