"""The version table, kept exactly as Alembic keeps it (so ``alembic current`` agrees with us):
one ``version_num VARCHAR(32) NOT NULL`` column, primary key ``<table>_pkc``, one row per applied
branch head."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

DEFAULT_VERSION_TABLE = "alembic_version"


def version_table(name: str = DEFAULT_VERSION_TABLE, schema: str | None = None) -> sa.Table:
    """The table definition Alembic's ``MigrationContext`` uses."""
    table = sa.Table(
        name,
        sa.MetaData(),
        sa.Column("version_num", sa.String(32), nullable=False),
        schema=schema,
    )
    table.append_constraint(sa.PrimaryKeyConstraint("version_num", name=f"{name}_pkc"))
    return table


def has_version_table(conn: Connection, table: sa.Table) -> bool:
    return sa.inspect(conn).has_table(table.name, schema=table.schema)


def read_rows(conn: Connection, table: sa.Table) -> tuple[str, ...]:
    """The revisions stamped in the database (empty when the table does not exist yet)."""
    if not has_version_table(conn, table):
        return ()
    result = conn.execute(sa.select(table.c.version_num))
    return tuple(sorted(str(row[0]) for row in result))


def ensure_table(conn: Connection, table: sa.Table) -> None:
    """Create the version table if missing (in the caller's transaction)."""
    table.create(conn, checkfirst=True)


def row_changes(
    table: sa.Table, before: Sequence[str], after: Sequence[str]
) -> list[sa.Executable]:
    """DELETE / INSERT / UPDATE statements turning rows ``before`` into ``after``.

    Like Alembic's ``HeadMaintainer``: a linear step is one UPDATE, a new branch an INSERT, a
    merge DELETEs all but one parent row and UPDATEs the last, an unmerge the reverse. Values are
    literal (not bound) so the offline ``--sql`` output is runnable as printed.
    """
    removed = [r for r in before if r not in after]
    added = [r for r in after if r not in before]
    paired = min(len(removed), len(added))
    stale, moved = removed[: len(removed) - paired], removed[len(removed) - paired :]
    col = table.c.version_num
    out: list[sa.Executable] = [table.delete().where(col == _literal(rev)) for rev in stale]
    out += [table.insert().values(version_num=_literal(rev)) for rev in added[paired:]]
    out += [
        table.update().values(version_num=_literal(new)).where(col == _literal(old))
        for old, new in zip(moved, added[:paired], strict=True)
    ]
    return out


class VersionRowConflict(Exception):
    """A version-table write did not change exactly the row it expected: someone else moved the
    version table while this runner worked."""


def apply_changes(
    conn: Connection, table: sa.Table, before: Sequence[str], after: Sequence[str]
) -> None:
    """Run :func:`row_changes`, checking that each UPDATE / DELETE changed exactly one row (as
    Alembic does); raises :class:`VersionRowConflict` otherwise (an INSERT of a row already
    there fails on the primary key)."""
    for stmt in row_changes(table, before, after):
        result = conn.execute(stmt)
        if isinstance(stmt, (sa.Update, sa.Delete)) and result.rowcount != 1:
            raise VersionRowConflict(
                f"expected the version table to hold {', '.join(before) or 'no row'} and to "
                f"change one row, but {result.rowcount} rows matched"
            )


def lock_key(table: sa.Table) -> str:
    """The name of the migration lock for this version table (schema and name)."""
    return f"{table.schema or ''}.{table.name}"


def purge_rows(table: sa.Table) -> sa.Executable:
    return table.delete()


def _literal(rev: str) -> sa.ColumnElement[str]:
    escaped = rev.replace("'", "''")
    return sa.literal_column(f"'{escaped}'", sa.String(32))
