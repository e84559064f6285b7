"""SQL for a dialect, without a connection: the rendered script body run in Alembic's offline
(``as_sql``) mode, so the SQL shown is exactly what the script would execute."""

from __future__ import annotations

import io
import types

from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext

from schemadiff.backends.base import OfflineTarget
from schemadiff.backends.offline_output import DelimitedOutput
from schemadiff.backends.registry import rules_for
from schemadiff.render import batch_order
from schemadiff.render.code import Code
from schemadiff.render.script import RevisionHeader, render_script


def render_sql(body: Code, dialect: str, target: OfflineTarget | None = None) -> str:
    """The SQL statements of one script body (``upgrade`` direction) for ``dialect``, compiled
    for ``target``'s SQLAlchemy dialect when it names one, its header comment first."""
    batch_order.install()
    header = RevisionHeader("offline", "offline", None, "")
    source = render_script(header, body, Code(("pass",)))
    module = types.ModuleType("schemadiff_offline")
    exec(compile(source, "<schemadiff offline script>", "exec"), module.__dict__)  # noqa: S102
    buffer = io.StringIO()
    if target is not None and target.header:
        buffer.write(target.header + "\n\n")
    output = DelimitedOutput(buffer, dialect)
    opts = {"as_sql": True, "output_buffer": output, "literal_binds": True}
    if target is not None and target.dialect is not None:
        ctx = MigrationContext.configure(dialect=target.dialect, opts=opts)
    else:
        # as Alembic's offline env.py does: with the driver's "pyformat" paramstyle a literal
        # "%" in op.execute() text would print doubled ("LIKE 'a%%'")
        ctx = MigrationContext.configure(
            dialect_name=_alembic_dialect(dialect),
            opts=opts,
            dialect_opts={"paramstyle": "named"},
        )
    with Operations.context(ctx):
        module.upgrade()
    return buffer.getvalue()


def _alembic_dialect(dialect: str) -> str:
    return rules_for(dialect).alembic_dialect
