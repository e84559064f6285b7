"""SERIAL on an existing PostgreSQL column: what ``create_all`` would have made of it.

SERIAL is an owned sequence plus a ``nextval`` default. Taking it away drops both (the sequence
found through ``pg_get_serial_sequence``, whatever it is called after renames); giving it back
creates ``<table>_<column>_seq`` as SERIAL does, owned by the column, of the column's integer
type, set to continue after the largest value the column holds.
"""

from __future__ import annotations

from schemadiff.backends.postgresql.casts import quote_ident

_SEQUENCE_TYPES = {"smallint": "smallint", "integer": "integer", "bigint": "bigint"}


def drop_serial(schema: str | None, table: str, column: str) -> tuple[str, ...]:
    qtable = _qualified(schema, table)
    literal = _literal(qtable)
    body = (
        f"DECLARE seq text := pg_get_serial_sequence({literal}, {_literal(column)}); "
        f"BEGIN ALTER TABLE {qtable} ALTER COLUMN {quote_ident(column)} DROP DEFAULT; "
        "IF seq IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || seq; END IF; END"
    )
    return (f"DO $schemadiff$ {body} $schemadiff$",)


def add_serial(schema: str | None, table: str, column: str, type_sql: str) -> tuple[str, ...]:
    qtable = _qualified(schema, table)
    qcol = quote_ident(column)
    name = _truncate(f"{table}_{column}_seq")
    qseq = _qualified(schema, name)
    kind = _SEQUENCE_TYPES.get(type_sql, "bigint")
    return (
        f"CREATE SEQUENCE {qseq} AS {kind} OWNED BY {qtable}.{qcol}",
        f"SELECT setval({_literal(qseq)}, GREATEST(COALESCE(MAX({qcol}), 0), 0) + 1, false) "
        f"FROM {qtable}",
        f"ALTER TABLE {qtable} ALTER COLUMN {qcol} SET DEFAULT nextval({_literal(qseq)}::regclass)",
    )


def _qualified(schema: str | None, name: str) -> str:
    return (quote_ident(schema) + "." if schema else "") + quote_ident(name)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _truncate(name: str) -> str:
    """PostgreSQL cuts identifiers at 63 bytes."""
    data = name.encode()
    return name if len(data) <= 63 else data[:63].decode(errors="ignore")
