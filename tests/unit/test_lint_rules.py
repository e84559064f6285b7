"""Every lint rule fires on a small hand-written revision and stays quiet on its safe variant
(the same change made safe), for ``op.*`` calls, batch blocks and raw SQL in ``op.execute``."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadiff.chain.graph import load_graph
from schemadiff.lint import lint_revisions
from schemadiff.lint.locking import rewrites
from tests.kit.chain import write_rev
from tests.kit.lint import codes, lint_body

PRICE = "op.alter_column('posts', 'price', existing_type=sa.Numeric(10, 2), type_="
NEW_TABLE = "op.create_table('tmp', sa.Column('id', sa.Integer), sa.Column('a', sa.String(9)))\n"
AUTOCOMMIT = "with op.get_context().autocommit_block():\n    "

# (code, unsafe upgrade body, its safe variant, dialect)
CASES = [
    ("SD101", "op.drop_table('posts')", NEW_TABLE + "op.drop_table('tmp')", None),
    (
        "SD101",
        "op.execute('DROP TABLE posts')",
        "op.execute('CREATE TABLE tmp (id int)')\nop.execute('DROP TABLE tmp')",
        None,
    ),
    ("SD102", "op.drop_column('users', 'email')", NEW_TABLE + "op.drop_column('tmp', 'a')", None),
    (
        "SD102",
        "with op.batch_alter_table('users') as batch_op:\n    batch_op.drop_column('email')",
        "with op.batch_alter_table('users') as b:\n    b.add_column(sa.Column('x', sa.Integer))",
        "sqlite",
    ),
    ("SD102", "op.execute('ALTER TABLE users DROP COLUMN email')", "pass", None),
    (
        "SD106",
        "op.execute('DROP MATERIALIZED VIEW user_count')",
        "op.execute('DROP VIEW active_users')",
        "postgresql",
    ),
    (
        "SD107",
        "op.execute('DROP EXTENSION IF EXISTS \"hstore\"')",
        "op.execute('CREATE EXTENSION IF NOT EXISTS \"hstore\"')",
        "postgresql",
    ),
    (
        "SD103",
        "op.alter_column('users', 'email', type_=sa.String(20), existing_type=sa.String(50))",
        "op.alter_column('users', 'email', type_=sa.String(100), existing_type=sa.String(50))",
        "sqlite",
    ),
    (
        "SD103",
        PRICE + "sa.Numeric(8, 2))",
        PRICE + "sa.Numeric(14, 2))",
        "mysql",
    ),
    (
        "SD103",
        "op.alter_column('users', 'id', type_=sa.SmallInteger(), existing_type=sa.Integer())",
        "op.alter_column('users', 'id', type_=sa.BigInteger(), existing_type=sa.Integer())",
        "mysql",
    ),
    (
        "SD104",
        "op.alter_column('users', 'mood', type_=sa.Enum('happy', 'sad', name='mood'),\n"
        "    existing_type=sa.Enum('happy', 'sad', 'meh', name='mood'))",
        "op.alter_column('users', 'mood', type_=sa.Enum('happy', 'sad', 'meh', 'ok', name='mood'),"
        "\n    existing_type=sa.Enum('happy', 'sad', 'meh', name='mood'))",
        "mysql",
    ),
    (
        "SD104",  # our ReplaceEnum rendering, against the base revision's CREATE TYPE
        'op.execute(\'ALTER TYPE "color" RENAME TO "color_old"\')\n'
        "op.execute(\"CREATE TYPE \\\"color\\\" AS ENUM ('red', 'green')\")\n"
        "op.execute('DROP TYPE \"color_old\"')",
        'op.execute(\'ALTER TYPE "color" RENAME TO "color_old"\')\n'
        "op.execute(\"CREATE TYPE \\\"color\\\" AS ENUM ('blue', 'green', 'red')\")\n"
        "op.execute('DROP TYPE \"color_old\"')",
        "postgresql",
    ),
    (
        "SD104",  # the enum's values come from sa.Enum(..., name='mood') in the base's create_table
        "op.execute('ALTER TYPE mood RENAME TO mood_old')\n"
        "op.execute(\"CREATE TYPE mood AS ENUM ('happy', 'sad')\")",
        "op.execute(\"ALTER TYPE mood ADD VALUE 'ok'\")",
        "postgresql",
    ),
    (
        "SD105",  # what revision --autogenerate writes (PostgreSQL)
        "op.execute('DROP SEQUENCE \"order_seq\"')",
        "op.execute('ALTER SEQUENCE \"order_seq\" INCREMENT BY 5')",
        "postgresql",
    ),
    (
        "SD105",  # MariaDB
        "op.execute('DROP SEQUENCE `audit`.`order_seq`')",
        "op.execute('CREATE SEQUENCE `order_seq` INCREMENT BY 1')",
        "mysql",
    ),
    (
        "SD105",  # SQLAlchemy's construct
        "op.execute(sa.schema.DropSequence(sa.Sequence('order_seq', schema='audit')))",
        "op.execute(sa.schema.CreateSequence(sa.Sequence('order_seq', schema='audit')))",
        None,
    ),
    (
        "SD201",
        "op.add_column('users', sa.Column('n', sa.Integer(), nullable=False))",
        "op.add_column('users', sa.Column('n', sa.Integer(), nullable=False, server_default='0'))",
        None,
    ),
    (
        "SD201",
        "with op.batch_alter_table('users') as batch_op:\n"
        "    batch_op.add_column(sa.Column('n', sa.Integer(), nullable=False))",
        "with op.batch_alter_table('users') as batch_op:\n"
        "    batch_op.add_column(sa.Column('n', sa.Integer(), nullable=True))",
        "sqlite",
    ),
    (
        "SD201",
        "op.execute('ALTER TABLE users ADD COLUMN n int NOT NULL')",
        "op.execute('ALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT 0')",
        None,
    ),
    (
        "SD201",
        "op.add_column('users', sa.Column('n', sa.Integer(), primary_key=True))",
        "op.add_column('users', sa.Column('n', sa.Integer(), sa.Identity(), nullable=False))",
        None,
    ),
    (
        "SD202",
        "op.create_unique_constraint('uq_users_email', 'users', ['email'])",
        NEW_TABLE + "op.create_unique_constraint('uq_tmp_a', 'tmp', ['a'])",
        None,
    ),
    (
        "SD202",
        "op.create_index('ix_users_email', 'users', ['email'], unique=True)",
        NEW_TABLE + "op.create_index('ix_tmp_a', 'tmp', ['a'], unique=True)",
        None,
    ),
    (
        "SD202",
        "op.execute('CREATE UNIQUE INDEX ix_users_email ON users (email)')",
        "op.execute('CREATE INDEX ix_users_email ON users (email)')",
        "sqlite",
    ),
    (
        "SD301",
        "op.create_index('ix_posts_title', 'posts', ['title'])",
        AUTOCOMMIT
        + "op.create_index('ix_posts_title', 'posts', ['title'], postgresql_concurrently=True)",
        "postgresql",
    ),
    (
        "SD301",
        "op.create_index('ix_posts_title', 'posts', ['title'])",
        NEW_TABLE + "op.create_index('ix_tmp_a', 'tmp', ['a'])",
        "postgresql",
    ),
    (
        "SD301",
        "op.execute('CREATE INDEX ix_posts_title ON posts (title)')",
        AUTOCOMMIT + "op.execute('CREATE INDEX CONCURRENTLY ix_posts_title ON posts (title)')",
        "postgresql",
    ),
    (
        "SD302",
        "op.create_foreign_key('fk_posts_user', 'posts', 'users', ['user_id'], ['id'])",
        "op.create_foreign_key('fk_posts_user', 'posts', 'users', ['user_id'], ['id'],\n"
        "    postgresql_not_valid=True)",
        "postgresql",
    ),
    (
        "SD302",
        "op.execute('ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) "
        "REFERENCES users (id)')",
        "op.execute('ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) "
        "REFERENCES users (id) NOT VALID')\n"
        "op.execute('ALTER TABLE posts VALIDATE CONSTRAINT fk')",
        "postgresql",
    ),
    (
        "SD303",
        "op.alter_column('users', 'id', type_=sa.BigInteger(), existing_type=sa.Integer())",
        "op.alter_column('users', 'email', type_=sa.Text(), existing_type=sa.String(50))",
        "postgresql",
    ),
    (
        "SD303",
        PRICE + "sa.Numeric(12, 4))",
        PRICE + "sa.Numeric(12, 2))",
        "postgresql",
    ),
    (
        "SD303",
        "op.alter_column('posts', 'title', type_=sa.Unicode(50), existing_type=sa.Text())",
        "op.alter_column('posts', 'title', type_=sa.String(80), existing_type=sa.String(50))",
        "postgresql",
    ),
    (
        "SD401",
        "op.alter_column('users', 'email', new_column_name='mail')",
        NEW_TABLE + "op.alter_column('tmp', 'a', new_column_name='b')",
        None,
    ),
    (
        "SD401",
        "op.rename_table('posts', 'articles')",
        NEW_TABLE + "op.rename_table('tmp', 't')",
        None,
    ),
    (
        "SD401",
        "op.execute('ALTER TABLE users RENAME COLUMN email TO mail')",
        "op.execute('ALTER TABLE users ADD COLUMN mail varchar(50)')",
        None,
    ),
]


@pytest.mark.parametrize(
    ("code", "unsafe", "safe", "dialect"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fires_and_its_safe_variant_is_quiet(
    tmp_path: Path, code: str, unsafe: str, safe: str, dialect: str | None
) -> None:
    assert code in codes(tmp_path / "unsafe", unsafe, dialect)
    assert codes(tmp_path / "safe", safe, dialect) == []


@pytest.mark.parametrize(
    "body",
    [
        "op.create_index('ix_posts_title', 'posts', ['title'])",
        "op.create_foreign_key('fk', 'posts', 'users', ['user_id'], ['id'])",
        "op.alter_column('users', 'id', type_=sa.BigInteger(), existing_type=sa.Integer())",
    ],
)
@pytest.mark.parametrize("dialect", ["sqlite", "mysql", None])
def test_postgresql_rules_only_fire_for_postgresql(
    tmp_path: Path, body: str, dialect: str | None
) -> None:
    assert codes(tmp_path / "pg", body, "postgresql") != []
    assert codes(tmp_path / "other", body, dialect) == []


def test_messages_name_the_object_and_the_fix(tmp_path: Path) -> None:
    body = "op.alter_column('users', 'email', type_=sa.String(20), existing_type=sa.String(50))"
    [narrow, rewrite] = lint_body(tmp_path, body).findings
    assert (narrow.code, rewrite.code) == ("SD103", "SD303")
    assert "users.email from varchar(50) to varchar(20)" in narrow.message
    assert narrow.severity == "error" and rewrite.severity == "warning"
    assert narrow.line == 18 and narrow.revision == "b2"


def test_types_lint_cannot_evaluate_give_no_finding(tmp_path: Path) -> None:
    body = (
        "from myapp.types import Money\n"
        "op.alter_column('posts', 'price', type_=Money(), existing_type=sa.Numeric(10, 2))\n"
        "op.alter_column('posts', 'title', type_=sa.String(LENGTH), existing_type=sa.Text())\n"
        "op.alter_column('posts', 'title', type_=sa.String(20))"
    )
    assert codes(tmp_path, body) == []


def test_imported_type_names_are_resolved(tmp_path: Path) -> None:
    body = (
        "from sqlalchemy import String\n"
        "from sqlalchemy.dialects import postgresql as pg\n"
        "op.alter_column('users', 'email', type_=String(20), existing_type=pg.VARCHAR(50))"
    )
    assert codes(tmp_path, body, "sqlite") == ["SD103"]


def test_recreated_enum_with_unknown_values_is_reported(tmp_path: Path) -> None:
    body = (
        "op.execute('ALTER TYPE status RENAME TO status_old')\n"
        "op.execute(\"CREATE TYPE status AS ENUM ('new', 'done')\")"
    )
    [finding] = lint_body(tmp_path, body).findings
    assert finding.code == "SD104" and "not spelled out in the chain" in finding.message


def test_enum_values_added_in_earlier_revisions_are_tracked(tmp_path: Path) -> None:
    """a1 creates color (red, green, blue), b2 adds 'black', c3 recreates it without 'black'."""
    versions = tmp_path / "versions"
    lint_body(tmp_path, "op.execute(\"ALTER TYPE color ADD VALUE IF NOT EXISTS 'black'\")")
    write_rev(
        versions,
        "c3",
        "b2",
        upgrade="op.execute('ALTER TYPE color RENAME TO color_old')\n"
        "op.execute(\"CREATE TYPE color AS ENUM ('red', 'green', 'blue')\")",
    )
    [finding] = lint_revisions(load_graph(versions), {"c3"}, "postgresql").findings
    assert finding.code == "SD104" and "'black'" in finding.message


def test_several_statements_in_one_execute(tmp_path: Path) -> None:
    body = "op.execute(sa.text('DROP TABLE posts; ALTER TABLE users DROP COLUMN email'))"
    found = lint_body(tmp_path, body).findings
    assert [f.code for f in found] == ["SD101", "SD102"]
    assert {f.line for f in found} == {18}


def test_sql_that_does_not_parse_is_skipped(tmp_path: Path) -> None:
    assert codes(tmp_path, "op.execute('THIS IS NOT SQL (')") == []


def test_nested_helpers_and_downgrade_are_not_linted(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    write_rev(versions, "a1", upgrade="pass")
    write_rev(
        versions,
        "b2",
        "a1",
        upgrade="def later():\n    op.drop_table('posts')\n\nop.create_table('t')",
        downgrade="op.drop_table('t')",
    )
    assert lint_revisions(load_graph(versions), {"a1", "b2"}, "postgresql").findings == ()


@pytest.mark.parametrize(
    ("old", "new", "rewrite"),
    [
        ("varchar(50)", "varchar(100)", False),
        ("varchar(50)", "varchar", False),
        ("varchar(50)", "text", False),
        ("text", "varchar", False),
        ("varchar(100)", "varchar(50)", True),
        ("text", "varchar(50)", True),
        ("numeric(10,2)", "numeric(12,2)", False),
        ("numeric(10,2)", "numeric", False),
        ("numeric(10,2)", "numeric(12,3)", True),
        ("numeric", "numeric(10,2)", True),
        ("timestamp(3)", "timestamp(6)", False),
        ("timestamp", "timestamp(3)", True),
        ("timestamp", "timestamptz", True),
        ("integer", "bigint", True),
        ("cidr", "inet", False),
        ("integer", "integer", False),
    ],
)
def test_postgresql_rewrite_table(old: str, new: str, rewrite: bool) -> None:
    assert rewrites(old, new) is rewrite


ALEMBIC_STYLE = '''"""add things

Revision ID: 1975ea83b712
Revises:
Create Date: 2024-05-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "1975ea83b712"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", postgresql.ENUM("a", "b", name="kind"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_audit_kind"), "audit", ["kind"], unique=False)
    op.add_column("account", sa.Column("plan", sa.String(length=20), nullable=False))
    op.create_index(op.f("ix_account_plan"), "account", ["plan"], unique=True)
    op.alter_column(
        "account",
        "name",
        existing_type=sa.VARCHAR(length=100),
        type_=sa.String(length=40),
        existing_nullable=True,
    )
    op.drop_column("account", "legacy")
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("audit")
'''


def test_hand_written_alembic_script(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "1975ea83b712_add_things.py").write_text(ALEMBIC_STYLE)
    result = lint_revisions(load_graph(versions), {"1975ea83b712"}, "postgresql")
    found = [(f.line, f.code) for f in result.findings]
    assert found == [
        (27, "SD201"),
        (28, "SD202"),
        (28, "SD301"),
        (29, "SD103"),
        (29, "SD303"),
        (36, "SD102"),
    ]
    messages = [f.message for f in result.findings]
    assert messages[0].startswith("add NOT NULL column account.plan without a server default")
    assert messages[2].startswith("create index ix_account_plan on account without")
    assert "account.name from varchar(100) to varchar(40)" in messages[3]
    assert messages[5].startswith("drop column account.legacy:")
