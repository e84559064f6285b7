"""Table privileges and roles (PostgreSQL).

Grants are opt-in: models that declare none leave every privilege alone (listed as not
compared). Declaring one makes each role named in a declared grant hold, on the tables and
views the models compare, exactly its declared privileges (table- and column-level, grant
option included): missing ones granted, others revoked. Privileges of roles no grant names, and
the owner's (it holds every privilege on what it owns), are never touched.

Roles belong to the server, not to the database: a declared role is created when missing and
its attributes and memberships brought to the declaration; a role the models do not declare is
neither dropped nor listed (the server's other databases and projects have theirs). The role a
migration runs as is never altered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace as dataclass_replace

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AlterRole,
    CreateRole,
    CreateView,
    DropView,
    GrantPrivileges,
    Op,
    ReplaceView,
    RevokePrivileges,
)
from schemadiff.snapshot.grants import (
    ALL_TABLE_PRIVILEGES,
    Privilege,
    PrivilegeKey,
    RoleState,
    expand_all,
)
from schemadiff.snapshot.model import DbObject, Snapshot, TableKey

_RANK = {p: i for i, p in enumerate(ALL_TABLE_PRIVILEGES)}


def _ordered(names: set[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: (_RANK.get(n, len(_RANK)), n)))


def _label(schema: str | None, table: str) -> str:
    return f"{schema}.{table}" if schema else table


def compare_grants(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("grants"):
        if ctx.models.privileges:
            yield ctx.not_supported("grants")
        return
    if not ctx.models.privileges:
        return  # see unmanaged_grants
    db, models = ctx.db, ctx.models
    model_tables = {t.key: t for t in models.tables}
    model_relations = set(model_tables) | {v.key for v in models.views}
    db_relations = {t.key for t in db.tables} | {v.key for v in db.views}
    dropped = {t.key for t in db.tables} - set(model_tables)
    if models.views:
        dropped |= {v.key for v in db.views} - {v.key for v in models.views}
    compared = model_relations | dropped
    owners = {o.key: o.owner for o in db.relation_owners}
    me = next((r.name for r in db.roles if r.current), None)
    known_roles = {r.name for r in db.roles} | {r.name for r in models.roles} | {"public"}

    wanted: dict[PrivilegeKey, Privilege] = {}
    for p in expand_all(models.privileges, db.server_version):
        relation = (p.schema, p.table)
        if relation not in model_relations:
            yield Notice(
                "not_compared",
                f"grant of {p.privilege} on {_label(*relation)} to {p.role}: the models "
                "declare no table or view of that name",
                p.schema,
                p.table,
            )
            continue
        owner = owners.get(relation, me if relation not in db_relations else None)
        if p.role == owner:
            yield Notice(
                "not_compared",
                f"privileges of {p.role} on {_label(*relation)}: it owns it, and an owner "
                "holds every privilege on what it owns",
                p.schema,
                p.table,
            )
            continue
        table = model_tables.get(relation)
        if p.column is not None and table is not None and table.column(p.column) is None:
            yield Notice(
                "not_compared",
                f"grant of {p.privilege} on {_label(*relation)}({p.column}) to {p.role}: "
                "the table has no such column",
                p.schema,
                p.table,
            )
            continue
        if p.role not in known_roles and not p.role.startswith("pg_"):
            yield Notice(
                "warning",
                f"grant to {p.role}: the server has no role {p.role} and the models do not "
                "declare it (Role): the migration will fail",
                p.schema,
                p.table,
            )
        wanted[p.key] = p
    managed = {p.role for p in models.privileges}
    current = {
        p.key: p for p in db.privileges if p.role in managed and (p.schema, p.table) in compared
    }
    # a relation renamed in this migration: the revokes' reverse grants run before the
    # downgrade undoes the renames (see GrantPrivileges.renamed)
    early = {
        (s, t, c)
        for s, t, c, _, _ in current
        if (s, t) in ctx.renamed
        and (c is None or (table := model_tables.get((s, t))) is None or table.column(c))
    }
    yield from _privilege_ops(wanted, current, db_relations, dropped, early)


#: what one GRANT / REVOKE statement shares: schema, table, role, option (grant: with grant
#: option; revoke: it was held with it), option only, renamed (see GrantPrivileges.renamed)
_Statement = tuple[str | None, str, str, bool, bool, bool]


def _statements(
    entries: Iterable[tuple[_Statement, str | None, str]],
) -> list[tuple[_Statement, tuple[str, ...], tuple[str, ...]]]:
    """(statement, privileges, columns) from (statement, column or None, privilege) entries:
    the table-level privileges of a statement in one, the columns that take the same
    privileges in one each."""
    per_column: dict[tuple[_Statement, str | None], set[str]] = defaultdict(set)
    for statement, column, privilege in entries:
        per_column[(statement, column)].add(privilege)
    out: list[tuple[_Statement, tuple[str, ...], tuple[str, ...]]] = []
    columns: dict[tuple[_Statement, tuple[str, ...]], list[str]] = defaultdict(list)
    for (statement, column), names in per_column.items():
        if column is None:
            out.append((statement, _ordered(names), ()))
        else:
            columns[(statement, _ordered(names))].append(column)
    out += [(s, names, tuple(sorted(cols))) for (s, names), cols in columns.items()]
    return sorted(out, key=lambda x: (x[0][0] or "", x[0][1], x[2], x[0][2], x[1], x[0][3:]))


def _privilege_ops(
    wanted: dict[PrivilegeKey, Privilege],
    current: dict[PrivilegeKey, Privilege],
    db_relations: set[TableKey],
    dropped: set[TableKey],
    early: set[tuple[str | None, str, str | None]],
) -> Iterator[Item]:
    grant: list[tuple[_Statement, str | None, str]] = []
    add_option: list[tuple[_Statement, str | None, str]] = []
    revoke: list[tuple[_Statement, str | None, str]] = []
    drop_option: list[tuple[_Statement, str | None, str]] = []
    for key in set(wanted) | set(current):
        want, have = wanted.get(key), current.get(key)
        p = want or have
        assert p is not None
        renamed = (p.schema, p.table, p.column) in early
        if have is None:
            assert want is not None
            grant.append(
                ((p.schema, p.table, p.role, want.grantable, False, False), p.column, p.privilege)
            )
        elif want is None:
            revoke.append(
                ((p.schema, p.table, p.role, have.grantable, False, renamed), p.column, p.privilege)
            )
        elif want.grantable and not have.grantable:
            add_option.append(
                ((p.schema, p.table, p.role, True, True, False), p.column, p.privilege)
            )
        elif have.grantable and not want.grantable:
            drop_option.append(
                ((p.schema, p.table, p.role, True, True, renamed), p.column, p.privilege)
            )

    # a table-level revoke takes the column-level privileges of the same name with it
    taken: set[tuple[str | None, str, str, str]] = set()
    for (s, t, r, had, option_only, renamed), names, columns in _statements(revoke + drop_option):
        gone = (s, t) in dropped
        yield RevokePrivileges(s, t, r, names, columns, had, option_only, gone, renamed)
        if not columns and not gone:
            taken |= {(s, t, r, n) for n in names}
    for (s, t, r, option, option_only, _), names, columns in _statements(grant + add_option):
        made = (s, t) not in db_relations
        yield GrantPrivileges(s, t, r, names, columns, option, option_only, made)
    again = [
        (
            (w.schema, w.table, w.role, w.grantable, False, (w.schema, w.table, w.column) in early),
            w.column,
            w.privilege,
        )
        for key, w in wanted.items()
        if w.column is not None
        and key in current
        and (w.schema, w.table, w.role, w.privilege) in taken
    ]
    for (s, t, r, option, _, renamed), names, columns in _statements(again):
        yield GrantPrivileges(s, t, r, names, columns, option, regrant=True, renamed=renamed)


def compare_roles(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("roles"):
        if ctx.models.roles:
            yield ctx.not_supported("roles")
        return
    existing = {r.name: r for r in ctx.db.roles}
    declared = {r.name for r in ctx.models.roles}
    for role in ctx.models.roles:
        old = existing.get(role.name)
        for member_of in role.in_roles:
            if member_of not in existing.keys() | declared and not member_of.startswith("pg_"):
                yield Notice(
                    "warning",
                    f"role {role.name} is to be a member of {member_of}: the server has no "
                    f"role {member_of} and the models do not declare it (Role): the migration "
                    "will fail",
                )
        if old is None:
            bare = RoleState(
                role.name, role.login, role.superuser, role.createdb, role.createrole, role.inherit
            )
            yield CreateRole(bare)
            if role.in_roles:
                yield AlterRole(bare, role)
            continue
        if old.current:
            if old != role:
                yield Notice(
                    "not_compared",
                    f"role {role.name}: the migrations run as this role, so it is never altered",
                )
            continue
        if old != role:
            yield AlterRole(old, role)


def unmanaged_grants(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's privileges (one entry per table and role) when the models declare no
    grant: listed as not compared."""
    if models.privileges:
        return ()
    seen = {(p.schema, p.table, p.role) for p in db.privileges}
    return tuple(
        DbObject("grant", f"on {table} to {role}", schema, table)
        for schema, table, role in sorted(seen, key=lambda k: (k[0] or "", k[1], k[2]))
    )


def grants_around_recreated_views(
    ops: Sequence[Op], db: Snapshot, models: Snapshot
) -> tuple[list[Op], list[Notice]]:
    """``ops`` with the privileges of each view the migration drops and creates again (a
    changed query, a change to what it reads) granted again after it: the drop takes them,
    every role's. The privileges it ends with are the declared ones for the roles grants name
    (when the models declare grants), the database's for every other role. Grants and revokes
    of the comparator on such a view become ``with_table`` (the revoke has nothing left to
    take; the downgrade, which drops and creates the view again too, grants what it had).

    Column privileges of roles no grant names are not granted again (the view made again may
    not have the column): a warning names them."""
    dropped = {op.view.key for op in ops if isinstance(op, DropView)}
    created = {op.view.key for op in ops if isinstance(op, CreateView)}
    again = (dropped & created) | {op.new.key for op in ops if isinstance(op, ReplaceView)}
    if not again:
        return list(ops), []
    out: list[Op] = []
    notices: list[Notice] = []
    granted: set[tuple[object, ...]] = set()
    for op in ops:
        if isinstance(op, (GrantPrivileges, RevokePrivileges)) and (
            (op.schema_name, op.table_name) in again
        ):
            op = dataclass_replace(op, with_table=True)
            if isinstance(op, GrantPrivileges):
                granted |= {
                    (op.schema_name, op.table_name, c, op.role, p)
                    for p in op.privileges
                    for c in op.columns or (None,)
                }
        out.append(op)
    managed = {p.role for p in models.privileges}
    final = [p for p in db.privileges if (p.schema, p.table) in again and p.role not in managed]
    for p in final:
        if p.column is not None:
            notices.append(
                Notice(
                    "warning",
                    f"view {_label(p.schema, p.table)} is made again: {p.describe()} is lost "
                    "with it (a column privilege of a role no grant names is not granted "
                    "again; declare it with Grant to keep it)",
                    p.schema,
                    p.table,
                )
            )
    final = [p for p in final if p.column is None]
    owners = {o.key: o.owner for o in db.relation_owners}
    final += [
        p
        for p in expand_all(models.privileges, db.server_version)
        if (p.schema, p.table) in again and p.role != owners.get((p.schema, p.table))
    ]
    regrants = [
        ((p.schema, p.table, p.role, p.grantable, False, False), p.column, p.privilege)
        for p in final
        if p.key not in granted
    ]
    for (s, t, r, option, _, _), names, columns in _statements(regrants):
        out.append(GrantPrivileges(s, t, r, names, columns, option, with_table=True, regrant=True))
    return out, notices
