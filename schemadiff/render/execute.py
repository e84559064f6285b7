"""Raw SQL ops (plugins' ``ExecuteSQL``), and ``op.execute`` of a statement whose body holds
``;`` (a MySQL trigger or routine: ``BEGIN ...; ...; END``), which offline SQL must put between
``DELIMITER`` lines for the ``mysql`` client: the script carries a small helper doing that under
plain ``alembic upgrade --sql`` too."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.registry import renders

#: the helper a script carries when it executes a compound statement (module level, black's form)
COMPOUND_HELPER = r'''def _execute_compound(sql: str) -> None:
    """op.execute; offline (--sql) between DELIMITER lines: the mysql client would cut the
    statement at the first ";" of its body."""
    context = op.get_context()
    if not context.as_sql:
        op.execute(sql)
        return
    text = sql.replace("\\:", ":")  # op.execute reads "\:" as ":"
    mark = next(m for m in ("//", "$$", "@@@@") if m not in text)
    context.impl.static_output(f"DELIMITER {mark}\n{text}{mark}\nDELIMITER ;")'''


def execute_line(sql: str, dialect: str) -> str:
    """The line that executes ``sql``: ``op.execute``, or the helper for a compound statement
    (add the helper with :func:`with_compound_helper`)."""
    text = sql.rstrip().rstrip(";") + ";\n\n"
    call = execute_call(sql)
    if rules_for(dialect).offline_statement(text) != text:
        return "_execute_compound(" + call.removeprefix("op.execute(")
    return call


def with_compound_helper(code: Code) -> Code:
    """``code`` with the compound-statement helper when a line calls it."""
    if any(line.startswith("_execute_compound(") for line in code.lines):
        return Code(code.lines, code.imports, code.helpers | {COMPOUND_HELPER})
    return code


@renders(O.ExecuteSQL)
def _execute_sql(op: O.ExecuteSQL, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute({op.sql!r})",))
