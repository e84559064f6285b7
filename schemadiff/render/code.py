"""What every renderer shares: the render context, the ``Code`` it returns, and helpers that
spell Alembic ``op.*`` call arguments."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from schemadiff import ops as O
from schemadiff.backends.base import SqlText
from schemadiff.render.python_types import SA
from schemadiff.snapshot.model import (
    DbObject,
    Enum,
    Table,
    TableKey,
)

if TYPE_CHECKING:
    from schemadiff.render.entity_index import Entities

TEXT_IMPORT = SA

#: what ``sa.text()`` (which ``op.execute`` wraps a string in) would take for a bind parameter
BIND_COLON = re.compile(r"(?<![:\w\\]):(?=\w)")


def execute_call(sql: str) -> str:
    """``op.execute(<sql>)`` for a statement that may hold user text (a function body, a
    condition, a literal): ``op.execute`` runs a string as ``sa.text()``, which would take a
    ``:word`` for a bind parameter (online: an error; ``--sql``: rendered as ``NULL``), so its
    colons are escaped (``\\:``, which ``sa.text()`` turns back into ``:``)."""
    return f"op.execute({BIND_COLON.sub(lambda m: chr(92) + ':', sql)!r})"


@dataclass(frozen=True)
class RenderContext:
    """What renderers need besides the op: the backend, named enums and batch mode."""

    dialect: str
    enums: Mapping[TableKey, Enum] = field(default_factory=dict)
    batch: bool = False
    #: the tables as they are before the ops run: batch blocks then carry the table's definition
    #: (``copy_from``) instead of reflecting it, so scripts also work offline (``--sql``)
    tables: Mapping[TableKey, Table] | None = None
    #: the database's uncompared objects (views, triggers...) when the script is written
    objects: tuple[DbObject, ...] = ()
    #: the project's alembic_utils entities (None: it does not use alembic_utils): ops on those
    #: objects are written with alembic_utils' operations (:mod:`schemadiff.render.entities`)
    entities: Entities | None = None


@dataclass(frozen=True)
class Code:
    """Lines of Python (already indented relative to the function body), their imports, and
    module-level helper code they call (functions a script carries, as it imports nothing
    from schemadiff)."""

    lines: tuple[str, ...] = ()
    imports: frozenset[str] = frozenset()
    helpers: frozenset[str] = frozenset()

    def __add__(self, other: Code) -> Code:
        return Code(
            self.lines + other.lines, self.imports | other.imports, self.helpers | other.helpers
        )


def kw(name: str, value: object) -> str:
    return f"{name}={value!r}"


def _call(target: str, method: str, args: Sequence[str], batch: bool = False) -> str:
    return f"{target}.{method}({', '.join(args)})"


def table_args(op: O.Op, target: str) -> list[str]:
    """Leading ``table_name`` argument, omitted inside a batch block."""
    return [] if target == "batch_op" else [repr(op.table)]


def schema_kw(schema: str | None, target: str) -> list[str]:
    return [kw("schema", schema)] if schema and target != "batch_op" else []


def sql_text(text: str) -> str:
    """``sa.text(<text>)``, its ``:word`` colons escaped (see :func:`execute_call`)."""
    return f"sa.text({BIND_COLON.sub(lambda m: chr(92) + ':', text)!r})"


def dialect_kwargs(pairs: Sequence[tuple[str, object]]) -> list[str]:
    """``name=value`` arguments from a backend hook; SQL values as ``sa.text(...)``."""
    return [
        f"{name}={sql_text(value)}" if isinstance(value, SqlText) else kw(name, value)
        for name, value in pairs
    ]


def sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def constraint_name(name: str | None, what: str) -> str:
    if name is None:
        raise ValueError(
            f"cannot drop an unnamed {what}: give it a name in the models (a naming convention "
            "on MetaData names every constraint)"
        )
    return repr(name)
