"""Revision scripts from ops: complete imports, constraints dropped by name, black-formatted."""

from __future__ import annotations

import ast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from fixtures.cases.custom_type.types import EmailAddress
from schemadiff import ops as O
from schemadiff.diff.result import DiffResult
from schemadiff.render.bodies import render_bodies
from schemadiff.render.script import RevisionHeader, render_script
from schemadiff.snapshot.model import Column, ColumnType, Snapshot, Table, UniqueConstraint
from schemadiff.sources.metadata import inspect_metadata


def _script(ops: list[O.Op], db: Snapshot, models: Snapshot, dialect: str) -> str:
    bodies = render_bodies(DiffResult(dialect, tuple(ops)), db, models)
    return render_script(
        RevisionHeader("m", "r1", None, "2026-01-01"), bodies.upgrade, bodies.downgrade
    )


def test_user_types_and_dialect_types_are_imported() -> None:
    meta = sa.MetaData()
    sa.Table(
        "t",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", EmailAddress()),
        sa.Column("doc", postgresql.JSONB),
    )
    models = inspect_metadata(meta, postgresql.dialect(), "public")
    db = Snapshot("postgresql", "public")
    text = _script([O.CreateTable(models.tables[0])], db, models, "postgresql")
    ast.parse(text)
    assert "from fixtures.cases.custom_type.types import EmailAddress" in text
    assert "from sqlalchemy.dialects import postgresql" in text
    assert "postgresql.JSONB(astext_type=sa.Text())" in text


def test_unnamed_constraints_get_names_so_the_downgrade_can_drop_them() -> None:
    op = O.AddUniqueConstraint(None, "users", UniqueConstraint(("email",)))
    db = Snapshot("postgresql", "public")
    text = _script([op], db, db, "postgresql")
    assert 'op.create_unique_constraint("users_email_key", "users", ["email"])' in text
    assert 'op.drop_constraint("users_email_key", "users", type_="unique")' in text
    assert "drop_constraint(None" not in text


def test_scripts_are_black_formatted_and_stable() -> None:
    op = O.AddUniqueConstraint(None, "users", UniqueConstraint(("email",)))
    db = Snapshot("sqlite")
    first = _script([op], db, db, "sqlite")
    assert first == _script([op], db, db, "sqlite")
    import black

    assert black.format_str(first, mode=black.Mode()) == first


def test_index_elements_render_in_create_index_grammar() -> None:
    """Expressions in parentheses (PostgreSQL and MySQL refuse ``(y, ff + 3)``; SQLite keeps
    the text as written), then the operator class, then the order: nothing is lost when an
    index is recreated. NULLS NOT DISTINCT goes along."""
    meta = sa.MetaData()
    t = sa.Table(
        "t",
        meta,
        sa.Column("y", sa.String(10)),
        sa.Column("ff", sa.Float),
        sa.Column("jb", postgresql.JSONB),
        sa.Column("x", sa.String(10)),
        sa.UniqueConstraint("y", name="uq_y", postgresql_nulls_not_distinct=True),
    )
    sa.Index("ix_ff", t.c.y, t.c.ff + 3)
    sa.Index("ix_jb", sa.text("(jb->'x')jsonb_path_ops"), postgresql_using="gin", _table=t)
    sa.Index("ix_x", sa.text("x text_pattern_ops DESC"), _table=t)
    sa.Index("ix_u", t.c.x, unique=True, postgresql_nulls_not_distinct=True)
    models = inspect_metadata(meta, postgresql.dialect(), "public")
    db = Snapshot("postgresql", "public")
    ops = [O.CreateIndex(None, "t", ix) for ix in models.tables[0].indexes]
    text = _script(
        [*ops, O.AddUniqueConstraint(None, "t", models.tables[0].unique_constraints[0])],
        db,
        models,
        "postgresql",
    )
    assert """["y", sa.text("(ff + 3)")]""" in text
    assert """[sa.text("(jb->'x') jsonb_path_ops")]""" in text
    assert """[sa.text("x text_pattern_ops DESC")]""" in text
    assert """"ix_u", "t", ["x"], unique=True, postgresql_nulls_not_distinct=True""" in text
    assert """["y"], postgresql_nulls_not_distinct=True""" in text


def test_index_expression_parentheses() -> None:
    from schemadiff.backends.registry import rules_for

    pg, sqlite = rules_for("postgresql"), rules_for("sqlite")
    assert pg.index_expression_sql("ff + 3") == "(ff + 3)"
    assert pg.index_expression_sql("(x::text)") == "(x::text)"
    assert pg.index_expression_sql("(a) + (b)") == "((a) + (b))"
    assert pg.index_expression_sql("(a = ')(')") == "(a = ')(')"
    assert rules_for("mysql").index_expression_sql("lower(`x`)") == "(lower(`x`))"
    assert sqlite.index_expression_sql("lower(x)") == "lower(x)"


def test_alter_forced_by_a_hook_renders_the_attribute() -> None:
    """An attribute a compare hook declared different is rendered although its values are
    equal (``server_default=`` both ways)."""
    db_col = Column("c", ColumnType("varchar(30)"), server_default="'original'")
    t = Table("t", columns=(db_col,))
    snap = Snapshot("postgresql", "public", tables=(t,))
    alter = O.AlterColumn(None, "t", db_col, db_col, forced=("server_default",))
    text = _script([alter], snap, snap, "postgresql")
    upgrade, downgrade = text.split("def downgrade")
    for body in (upgrade, downgrade):
        assert "server_default=sa.text(\"'original'\")" in body, body


MULTIDB_TEMPLATE = '''<%!
import re
%>"""${message}"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
# ${owner}
<%
    db_names = config.get_main_option("databases")
%>
% for db_name in re.split(r',\\s*', db_names):

def upgrade_${db_name}():
    ${context.get("%s_upgrades" % db_name, "pass")}


def downgrade_${db_name}():
    ${context.get("%s_downgrades" % db_name, "pass")}

% endfor
'''


def test_multidb_sections_template_args_and_union_of_imports() -> None:
    """Alembic's multidb layout: each database's bodies under its token, ``config`` and env.py's
    ``template_args`` as variables, one import list for all, an empty body as ``pass``."""
    from alembic.config import Config

    from schemadiff.render.code import Code

    config = Config()
    config.set_main_option("databases", "one, two, three")
    sections = {
        "one_upgrades": Code(("op.execute('a')",), frozenset({"import decimal"})),
        "one_downgrades": Code(),
        "two_upgrades": Code(("op.execute('b')",), frozenset({"import uuid"})),
        "two_downgrades": Code(("op.execute('c')",)),
    }
    text = render_script(
        RevisionHeader("m", "r1", None, "2026-01-01"),
        Code(),
        Code(),
        MULTIDB_TEMPLATE,
        template_args={"config": config, "owner": "team-a", "message": "not this"},
        sections=sections,
    )
    ast.parse(text)
    assert '"""m"""' in text and "# team-a" in text
    assert "import decimal\nimport uuid\n" in text
    assert 'def upgrade_one():\n    op.execute("a")\n' in text
    assert "def downgrade_one():\n    pass\n" in text
    assert 'def downgrade_two():\n    op.execute("c")\n' in text
    assert "def upgrade_three():\n    pass\n" in text  # no section: the template's default
