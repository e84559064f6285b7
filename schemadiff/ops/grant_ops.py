"""Ops on table privileges: ``GRANT`` and ``REVOKE`` on a table or view, or on some of its
columns, with or without grant option.

Revokes run early (``REVOKE_PRIVILEGES``, just after the renames: before any table, view or
column they name is dropped); grants run late (``GRANT_PRIVILEGES``, after every table, view and
column is made, views included). A privilege on a relation dropped in the same migration goes
with it (``with_table``: nothing to run, the reverse grants it again once it is back).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified


@dataclass(frozen=True)
class _Privileges(Op):
    """Privileges of ``role`` on a table or view, or on some of its ``columns``."""

    schema_name: str | None
    table_name: str
    role: str
    privileges: tuple[str, ...]
    columns: tuple[str, ...] = ()
    grant_option: bool = False
    option_only: bool = False
    with_table: bool = False

    @property
    def name(self) -> str:
        return self.role

    def _on(self) -> str:
        """What the privileges are on, as described: the table or its columns."""
        table = qualified(self.schema_name, self.table_name)
        return f"{table}({', '.join(self.columns)})" if self.columns else table


@dataclass(frozen=True)
class GrantPrivileges(_Privileges):
    """``GRANT privileges [(columns)] ON TABLE t TO role [WITH GRANT OPTION]`` (each privilege
    on each of ``columns`` when there are any, else on the table).

    ``option_only``: the role holds the privileges already, only the grant option is added
    (the reverse takes back just the option). ``with_table``: the relation is created in the
    same migration. ``regrant``: the privileges are unchanged, granted again because a revoke
    of the table-level privilege of the same name takes the column's with it (the reverse is
    the same grant: the downgrade's revoke does the same). ``renamed``: the relation is renamed
    (or has columns renamed) in the same migration and the privileges were there before it:
    the grant runs just after the renames and revokes, under the new names (a downgrade
    undoes the renames late, after ``GRANT_PRIVILEGES``)."""

    kind = "grant_privileges"
    phase = Phase.GRANT_PRIVILEGES
    regrant: bool = False
    renamed: bool = False

    @property
    def run_phase(self) -> Phase:
        return Phase.ALTER_ROLE if self.renamed else self.phase

    def reverse(self) -> Op:
        if self.regrant:
            return self
        return RevokePrivileges(
            self.schema_name,
            self.table_name,
            self.role,
            self.privileges,
            self.columns,
            self.grant_option,
            self.option_only,
            self.with_table,
            self.renamed,
        )

    def describe(self) -> str:
        what = ", ".join(self.privileges)
        on = self._on()
        if self.option_only:
            return f"grant {what} on {on} to {self.role}: with grant option"
        option = " with grant option" if self.grant_option else ""
        again = " again" if self.regrant else ""
        return f"grant {what} on {on} to {self.role}{option}{again}"


@dataclass(frozen=True)
class RevokePrivileges(_Privileges):
    """``REVOKE [GRANT OPTION FOR] privileges [(columns)] ON TABLE t FROM role``.

    ``grant_option``: the role held them with grant option (the reverse grants it back).
    ``option_only``: only the grant option is taken. ``with_table``: the relation is dropped
    in the same migration and takes the privileges with it (nothing to run). ``renamed``: the
    relation is renamed in the same migration (its reverse grant runs early, see
    :class:`GrantPrivileges`)."""

    kind = "revoke_privileges"
    phase = Phase.REVOKE_PRIVILEGES
    renamed: bool = False

    def reverse(self) -> Op:
        return GrantPrivileges(
            self.schema_name,
            self.table_name,
            self.role,
            self.privileges,
            self.columns,
            self.grant_option or self.option_only,
            self.option_only,
            self.with_table,
            renamed=self.renamed,
        )

    def describe(self) -> str:
        what = ", ".join(self.privileges)
        on = self._on()
        if self.option_only:
            return f"revoke grant option for {what} on {on} from {self.role}"
        gone = f" (with {qualified(self.schema_name, self.table_name)})" if self.with_table else ""
        return f"revoke {what} on {on} from {self.role}{gone}"
