"""Ops: one frozen object per schema change. See :mod:`schemadiff.ops.base` for the protocol."""

from schemadiff.ops.autoincrement_ops import AddAutoincrement, DropAutoincrement
from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.ops.column_ops import AddColumn, AlterColumn, DropColumn, RenameColumn
from schemadiff.ops.constraint_ops import (
    AddCheckConstraint,
    AddForeignKey,
    AddPrimaryKey,
    AddUniqueConstraint,
    DropCheckConstraint,
    DropForeignKey,
    DropPrimaryKey,
    DropUniqueConstraint,
)
from schemadiff.ops.domain_ops import AlterDomain, CreateDomain, DropDomain
from schemadiff.ops.enum_ops import AddEnumValue, CreateEnum, DropEnum, ReplaceEnum
from schemadiff.ops.extension_ops import AlterExtension, CreateExtension, DropExtension
from schemadiff.ops.grant_ops import GrantPrivileges, RevokePrivileges
from schemadiff.ops.index_ops import CreateIndex, DropIndex
from schemadiff.ops.partition_ops import (
    AttachPartition,
    ChangePartitioning,
    CreatePartition,
    DetachPartition,
    DropPartition,
    RepartitionTable,
)
from schemadiff.ops.policy_ops import AlterRowSecurity, CreatePolicy, DropPolicy
from schemadiff.ops.role_ops import AlterRole, CreateRole, DropRole
from schemadiff.ops.routine_ops import (
    CreateFunction,
    CreateTrigger,
    DropFunction,
    DropTrigger,
    ReplaceFunction,
)
from schemadiff.ops.schema_ops import CreateSchema, DropSchema
from schemadiff.ops.sequences import AlterSequence, CreateSequence, DropSequence
from schemadiff.ops.sql_ops import ExecuteSQL
from schemadiff.ops.table_ops import (
    AlterTableComment,
    AlterTableOptions,
    CreateTable,
    DropTable,
    RenameTable,
)
from schemadiff.ops.table_partitioning_ops import (
    AddPartitions,
    DropPartitions,
    PartitionTable,
    RemovePartitioning,
    ReorganizePartitions,
)
from schemadiff.ops.view_ops import CreateView, DropView, ReplaceView
from schemadiff.snapshot.jsonable import to_jsonable

__all__ = [
    "AddPartitions",
    "DropPartitions",
    "PartitionTable",
    "RemovePartitioning",
    "ReorganizePartitions",
    "AttachPartition",
    "ChangePartitioning",
    "RepartitionTable",
    "CreatePartition",
    "DetachPartition",
    "DropPartition",
    "AlterRowSecurity",
    "CreatePolicy",
    "DropPolicy",
    "AddAutoincrement",
    "AddCheckConstraint",
    "AddColumn",
    "AddEnumValue",
    "AddForeignKey",
    "AddPrimaryKey",
    "AddUniqueConstraint",
    "AlterColumn",
    "AlterDomain",
    "AlterExtension",
    "AlterRole",
    "AlterSequence",
    "AlterTableComment",
    "AlterTableOptions",
    "CreateDomain",
    "CreateEnum",
    "CreateExtension",
    "CreateFunction",
    "CreateIndex",
    "CreateRole",
    "CreateSchema",
    "CreateSequence",
    "CreateTable",
    "CreateTrigger",
    "CreateView",
    "DropAutoincrement",
    "DropCheckConstraint",
    "DropColumn",
    "DropDomain",
    "DropEnum",
    "DropExtension",
    "DropForeignKey",
    "DropFunction",
    "DropIndex",
    "DropRole",
    "DropPrimaryKey",
    "DropSchema",
    "DropSequence",
    "DropTable",
    "DropTrigger",
    "DropUniqueConstraint",
    "DropView",
    "ExecuteSQL",
    "GrantPrivileges",
    "Op",
    "Phase",
    "RenameColumn",
    "RenameTable",
    "ReplaceEnum",
    "ReplaceFunction",
    "ReplaceView",
    "RevokePrivileges",
    "qualified",
    "to_jsonable",
]
