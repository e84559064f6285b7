"""Ops: reverse() round trips, descriptions, destructive flags."""

from __future__ import annotations

import json

import pytest

from schemadiff import ops as O
from schemadiff.snapshot.grants import RoleState
from schemadiff.snapshot.model import (
    CheckConstraint,
    Computed,
    Domain,
    DomainCheck,
    Enum,
    Extension,
    ForeignKey,
    PrimaryKey,
    Sequence,
    UniqueConstraint,
    View,
)
from schemadiff.snapshot.partitions import Partition
from schemadiff.snapshot.policies import Policy, RowSecurity
from schemadiff.snapshot.routines import Function, Trigger
from schemadiff.snapshot.table_partitioning import TablePartition, TablePartitioning
from tests.kit.builders import col, index, table

T = table("t", col("id"), col("name", "varchar(50)"))
MOOD = Enum("mood", ("a", "b", "c"))
MOOD_NO_B = Enum("mood", ("a", "c"))
SEQ = Sequence("order_seq", "s", start=10, increment=5, data_type="bigint")
FUNCTION = Function("f", "a integer", "SELECT a", returns="integer", raw_args="a integer")
EXTENSION = Extension("hstore", None, "1.7")
DOMAIN = Domain(
    "positive", "integer", checks=(DomainCheck("CHECK ((VALUE > 0))", "positive_check"),)
)
ROLE = RoleState("app", login=True)
POLICY = Policy("p", "t", using="a = 1", raw_using="a = 1")
PARTITION = Partition(
    "t_1", "t", bounds="for values in(1)", raw_bounds="FOR VALUES IN (1)", raw_partition_by=None
)
TRIGGER = Trigger("tr", "t", "AFTER INSERT FOR EACH STATEMENT EXECUTE FUNCTION f()", raw="...")
VIEW = View("v", "SELECT 1", raw="SELECT 1", reads=((None, "t"),))
P2020 = TablePartition("p2020", "less:2021", "VALUES LESS THAN (2021)")
PMAX = TablePartition("pmax", "less:maxvalue", "VALUES LESS THAN MAXVALUE")
RANGED = TablePartitioning("t", None, "RANGE", "year", (P2020,), raw_expression="year")
HASHED = TablePartitioning("t", "s", "HASH", "id", (TablePartition("p0"),), raw_expression="id")
FK = ForeignKey(("pid",), None, "p", ("id",), "fk", ondelete="CASCADE", deferrable=True)

EVERY_OP: list[O.Op] = [
    O.CreateSchema("s"),
    O.DropSchema("s"),
    O.CreateEnum(MOOD),
    O.DropEnum(MOOD),
    O.AddEnumValue(MOOD_NO_B, MOOD, "b", "c"),
    O.AddEnumValue(Enum("mood", ("a", "b")), MOOD, "c"),
    O.ReplaceEnum(MOOD, Enum("mood", ("c", "b", "a"))),
    O.ReplaceEnum(MOOD, MOOD_NO_B, ((None, "t", "m", "'a'"),)),
    O.CreateTable(T),
    O.DropTable(T),
    O.RenameTable("s", "old", "new"),
    O.AlterTableComment(None, "t", None, "hello"),
    O.AlterTableOptions(None, "t", (), (("sqlite_autoincrement", "True"),)),
    O.AddColumn(None, "t", col("c", nullable=False)),
    O.DropColumn(None, "t", col("c")),
    O.AlterColumn(None, "t", col("c", "varchar(50)"), col("c", "varchar(10)", nullable=False)),
    O.RenameColumn(None, "t", "a", "b", col("a")),
    O.AddPrimaryKey(None, "t", PrimaryKey(("id",), "pk")),
    O.AddAutoincrement(None, "t", col("id", "integer", nullable=False, autoincrement=True)),
    O.DropAutoincrement("s", "t", col("id", "bigint", nullable=False, autoincrement=True)),
    O.DropPrimaryKey(None, "t", PrimaryKey(("id",))),
    O.AddUniqueConstraint(None, "t", UniqueConstraint(("name",), "uq")),
    O.DropUniqueConstraint(None, "t", UniqueConstraint(("name",))),
    O.AddForeignKey(None, "t", FK),
    O.DropForeignKey(None, "t", FK),
    O.AddCheckConstraint(None, "t", CheckConstraint("id > 0", "ck")),
    O.DropCheckConstraint(None, "t", CheckConstraint("id > 0")),
    O.CreateIndex(None, "t", index("ix", "name", "=lower(name)", unique=True, where="id > 0")),
    O.DropIndex(None, "t", index("ix", "name")),
    O.ExecuteSQL("GRANT x", "REVOKE x", "grant"),
    O.CreateSequence(SEQ),
    O.DropSequence(SEQ),
    O.AlterSequence(SEQ, Sequence("order_seq", "s", start=20, cycle=True, owned_by="t.id")),
    O.CreateFunction(FUNCTION),
    O.DropFunction(FUNCTION),
    O.ReplaceFunction(FUNCTION, Function("f", "a integer", "SELECT a + 1", returns="integer")),
    O.CreateTrigger(TRIGGER),
    O.DropTrigger(TRIGGER, with_table=True),
    O.CreateView(VIEW),
    O.DropView(VIEW, 1, recreated=True),
    O.ReplaceView(VIEW, View("v", "SELECT 2", raw="SELECT 2")),
    O.DropView(View("m", "SELECT 1", raw="SELECT 1", materialized=True)),
    O.CreatePolicy(POLICY, with_table=True),
    O.DropPolicy(POLICY, after_renames=True),
    O.CreatePartition(PARTITION, 1, with_table=True),
    O.DropPartition(PARTITION),
    O.DetachPartition(PARTITION),
    O.AttachPartition(PARTITION),
    O.ChangePartitioning(None, "t", "LIST (a)", None, "it has triggers"),
    O.RepartitionTable(T, T, None, "HASH (id)", (), (PARTITION,)),
    O.AlterRowSecurity(RowSecurity("t", None, False, False), RowSecurity("t", None, True, True)),
    O.CreateExtension(EXTENSION),
    O.DropExtension(EXTENSION),
    O.AlterExtension(EXTENSION, Extension("hstore", "ext", "1.8")),
    O.CreateDomain(DOMAIN),
    O.DropDomain(DOMAIN),
    O.AlterDomain(DOMAIN, Domain("positive", "integer", not_null=True, default="1")),
    O.PartitionTable(RANGED),
    O.PartitionTable(RANGED, HASHED, with_table=True),
    O.RemovePartitioning(HASHED, with_table=True),
    O.AddPartitions(RANGED, (PMAX,)),
    O.DropPartitions(RANGED, (P2020,)),
    O.AddPartitions(RANGED, (P2020,), PMAX),
    O.ReorganizePartitions(RANGED, (P2020,), (P2020, PMAX)),
    O.GrantPrivileges(None, "t", "app", ("SELECT", "INSERT"), grant_option=True),
    O.GrantPrivileges("s", "t", "app", ("UPDATE",), ("a", "b"), True, option_only=True),
    O.RevokePrivileges(None, "t", "app", ("DELETE",), with_table=True),
    O.RevokePrivileges(None, "t", "app", ("UPDATE",), renamed=True),
    O.RevokePrivileges(None, "t", "public", ("SELECT",), ("name",), True, option_only=True),
    O.CreateRole(ROLE),
    O.DropRole(ROLE),
    O.AlterRole(ROLE, RoleState("app", login=False, in_roles=("reader",))),
]


def test_every_op_kind_is_covered() -> None:
    classes = {getattr(O, n) for n in O.__all__} - {O.Op, O.Phase, O.qualified, O.to_jsonable}
    assert {type(op) for op in EVERY_OP} == classes
    assert len({cls.kind for cls in classes}) == len(classes)


@pytest.mark.parametrize("op", EVERY_OP, ids=lambda op: op.kind)
def test_reverse_twice_is_the_original(op: O.Op) -> None:
    back = op.reverse()
    assert back != op or isinstance(op, O.ReplaceEnum)
    assert back.reverse() == op


@pytest.mark.parametrize("op", EVERY_OP, ids=lambda op: op.kind)
def test_describe_and_detail(op: O.Op) -> None:
    assert op.describe().strip()
    assert op.reverse().describe().strip()
    json.dumps(op.detail())
    assert isinstance(op.sort_key(), tuple)


def test_table_options_describe_what_changes() -> None:
    on = O.AlterTableOptions(None, "t", (), (("sqlite_autoincrement", "True"),))
    assert on.describe() == "alter table t options: sqlite_autoincrement=True"
    assert on.reverse().describe() == "alter table t options: drop sqlite_autoincrement"
    assert on.reverse().table_kwargs() == {"sqlite_autoincrement": "None"}


def test_execute_sql_without_reverse_cannot_be_reversed() -> None:
    with pytest.raises(NotImplementedError, match="no reverse SQL"):
        O.ExecuteSQL("VACUUM").reverse()


def test_destructive_flags() -> None:
    destructive = {op.kind for op in EVERY_OP if op.destructive}
    assert {
        "drop_table",
        "drop_column",
        "drop_schema",
        "replace_enum",
        "alter_column",
        "drop_sequence",  # its current value is lost
        "drop_partition",  # its rows are lost
        "drop_partitions",  # (MySQL) their rows are lost
    } <= destructive
    assert not {"partition_table", "remove_partitioning", "reorganize_partition"} & destructive
    assert not O.AlterSequence(SEQ, SEQ).destructive
    assert not O.CreateTable(T).destructive
    assert not O.AddColumn(None, "t", col("c")).destructive
    widen = O.AlterColumn(None, "t", col("c", "varchar(10)"), col("c", "varchar(50)"))
    assert not widen.destructive
    assert widen.reverse().destructive
    assert O.AlterColumn(None, "t", col("c", "bigint"), col("c", "integer")).destructive
    assert O.AlterColumn(None, "t", col("c"), col("c", computed=Computed("1"))).destructive
    # a view holds no rows; a materialized view does
    matview = View("m", "SELECT 1", raw="SELECT 1", materialized=True)
    assert not O.DropView(VIEW).destructive and O.DropView(matview).destructive
    assert O.ReplaceView(matview, VIEW).destructive and not O.ReplaceView(VIEW, matview).destructive


def test_enum_value_removal_is_destructive_and_reverses_to_an_add() -> None:
    remove = O.ReplaceEnum(MOOD, MOOD_NO_B)
    assert remove.destructive and remove.removed == ("b",)
    add = remove.reverse()
    assert add == O.AddEnumValue(MOOD_NO_B, MOOD, "b", "c")
    assert not add.destructive
    assert add.reverse() == remove
    reorder = O.ReplaceEnum(MOOD, Enum("mood", ("c", "b", "a")))
    assert reorder.destructive and "reorder" in reorder.describe()
    assert not O.ReplaceEnum(MOOD_NO_B, MOOD).destructive  # pure insertion


def test_add_column_needs_backfill() -> None:
    assert O.AddColumn(None, "t", col("c", nullable=False)).needs_backfill
    assert not O.AddColumn(None, "t", col("c", nullable=False, server_default="0")).needs_backfill
    assert not O.AddColumn(None, "t", col("c")).needs_backfill


def test_alter_column_describe_names_the_changes() -> None:
    op = O.AlterColumn(None, "t", col("c", "varchar(50)"), col("c", "varchar(10)", nullable=False))
    assert op.changes == ("type", "nullable")
    assert (
        op.describe() == "alter column t.c: type varchar(50) -> varchar(10), nullable -> NOT NULL"
    )


def test_alter_sequence_describes_the_changes() -> None:
    new = Sequence("order_seq", "s", start=20, cycle=True, owned_by="t.id", data_type="bigint")
    assert O.AlterSequence(SEQ, new).describe() == (
        "alter sequence s.order_seq: start 10 -> 20, increment 5 -> 1, cycle false -> true, "
        "owned by none -> t.id (current value kept)"
    )


def test_sequences_run_around_the_tables() -> None:
    """Created before the tables whose defaults call them, dropped after, altered between the
    columns added (an OWNED BY column must exist) and the columns dropped (dropping the owner
    would drop the sequence)."""
    P = O.Phase
    assert P.CREATE_SEQUENCE < P.CREATE_TABLE < P.ADD_COLUMN < P.ALTER_SEQUENCE < P.DROP_COLUMN
    assert P.DROP_TABLE < P.DROP_SEQUENCE < P.DROP_SCHEMA
    assert P.CREATE_SCHEMA < P.CREATE_SEQUENCE


def test_rename_reverse_marks_undo() -> None:
    op = O.RenameColumn(None, "t", "a", "b")
    assert op.run_phase == O.Phase.RENAME_COLUMN
    assert op.reverse().run_phase == O.Phase.UNDO_RENAME_COLUMN
    assert O.RenameTable(None, "a", "b").reverse().run_phase == O.Phase.UNDO_RENAME_TABLE
