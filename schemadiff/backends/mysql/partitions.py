"""MySQL / MariaDB partitioning: read from ``information_schema.PARTITIONS`` (one statement for
every partitioned table of the covered schemas, none when no table is partitioned) and from the
models' declarations, both into :class:`~schemadiff.snapshot.table_partitioning.TablePartitioning`.

The models declare it with SQLAlchemy's own table options, as ``create_all`` compiles them
(``PARTITION BY <mysql_partition_by> PARTITIONS <mysql_partitions> SUBPARTITION BY
<mysql_subpartition_by> SUBPARTITIONS <mysql_subpartitions>``): ``mysql_partition_by`` may hold
the whole clause, partition list included; or with :class:`schemadiff.objects.Partition`
objects, one per partition (not both at once).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.errors import MetadataError
from schemadiff.objects.partitions import Partition, declared_partitions
from schemadiff.snapshot.table_partitioning import (
    COUNTED,
    PartitioningKey,
    TablePartition,
    TablePartitioning,
    default_names,
    less_than,
    loose_sql,
    split_top,
    values_in,
)

_METHOD = re.compile(
    r"\s*(?P<method>(?:LINEAR\s+)?(?:HASH|KEY)(?:\s+ALGORITHM\s*=\s*\d+)?"
    r"|RANGE(?:\s+COLUMNS)?|LIST(?:\s+COLUMNS)?|SYSTEM_TIME)\s*",
    re.I,
)
_PARTITIONS = re.compile(r"\s*PARTITIONS\s+(?P<n>\d+)\s*", re.I)
_SUB_BY = re.compile(r"\s*SUBPARTITION\s+BY\s+", re.I)
_SUBPARTITIONS = re.compile(r"\s*SUBPARTITIONS\s+(?P<n>\d+)\s*", re.I)
_DEFINITION = re.compile(
    r"\s*PARTITION\s+(?P<name>`(?:[^`]|``)+`|[\w$]+)\s*(?P<rest>.*)$", re.I | re.S
)
_LESS = re.compile(r"VALUES\s+LESS\s+THAN\s*", re.I)
_IN = re.compile(r"VALUES\s+IN\s*", re.I)
_DEFAULT = re.compile(r"DEFAULT\b", re.I)
_ENGINE = re.compile(r"\s*(?:STORAGE\s+)?ENGINE\s*=?\s*\w+\s*", re.I)
_LITERAL = re.compile(r"-?\d+(?:\.\d+)?|'(?:[^']|'')*'|maxvalue|null")

#: the readable partitioning methods (MariaDB's SYSTEM_TIME stays "not compared")
READABLE = frozenset({"RANGE", "RANGE COLUMNS", "LIST", "LIST COLUMNS", *COUNTED})

PARTITION_FIELDS = (
    "table_schema", "table_name", "partition_name", "subpartition_name", "partition_method",
    "partition_expression", "partition_description", "subpartition_method",
    "subpartition_expression",
)  # fmt: skip

_QUERY = (
    "SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name,"
    " PARTITION_NAME AS partition_name, SUBPARTITION_NAME AS subpartition_name,"
    " PARTITION_METHOD AS partition_method, PARTITION_EXPRESSION AS partition_expression,"
    " PARTITION_DESCRIPTION AS partition_description,"
    " SUBPARTITION_METHOD AS subpartition_method,"
    " SUBPARTITION_EXPRESSION AS subpartition_expression"
    " FROM information_schema.PARTITIONS"
    " WHERE TABLE_SCHEMA IN :schemas AND TABLE_NAME IN :tables AND PARTITION_NAME IS NOT NULL"
    " ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION,"
    " SUBPARTITION_ORDINAL_POSITION"
)


# --- the database ---------------------------------------------------------------------------


def fetch_partitioning(
    conn: Connection, tables: Iterable[tuple[str, str]], database: str
) -> tuple[TablePartitioning, ...]:
    """The partitioning of ``tables`` ((schema, name) pairs the catalog lists as partitioned)
    in one statement, sorted by key, the default database keyed None. Tables partitioned in a
    way not read here (MariaDB's ``SYSTEM_TIME``) are left out (listed as not compared)."""
    wanted = sorted(set(tables))
    if not wanted:
        return ()
    statement = sa.text(_QUERY).bindparams(
        sa.bindparam("schemas", expanding=True), sa.bindparam("tables", expanding=True)
    )
    rows = conn.execute(
        statement,
        {"schemas": sorted({s for s, _ in wanted}), "tables": sorted({t for _, t in wanted})},
    ).all()
    keep = set(wanted)
    grouped: dict[tuple[str, str], list[Sequence[Any]]] = {}
    for row in rows:
        values = [_text(v) if v is not None else None for v in row]
        key = (str(values[0]), str(values[1]))
        if key in keep:
            grouped.setdefault(key, []).append(values)
    found = []
    for (schema, table), table_rows in grouped.items():
        partitioning = _from_rows(None if schema == database else schema, table, table_rows)
        if partitioning is not None:
            found.append(partitioning)
    return tuple(sorted(found, key=lambda p: (p.schema or "", p.table)))


def _from_rows(
    schema: str | None, table: str, rows: list[Sequence[Any]]
) -> TablePartitioning | None:
    first = rows[0]
    method = _method(first[4] or "")
    if method not in READABLE:
        return None
    partitions: list[TablePartition] = []
    subs: dict[str, int] = {}
    for row in rows:
        name = str(row[2])
        if name not in subs:
            subs[name] = 0
            partitions.append(_db_partition(name, method, row[6]))
        if row[3] is not None:
            subs[name] += 1
    sub_method = _method(first[7]) if first[7] else None
    return TablePartitioning(
        table=table,
        schema=schema,
        method=method,
        expression=loose_sql(first[5] or ""),
        partitions=tuple(partitions),
        sub_method=sub_method,
        sub_expression=loose_sql(first[8] or "") if sub_method else None,
        sub_count=max(subs.values(), default=0) if sub_method else 0,
        raw_expression=first[5] or "",
        raw_sub_expression=first[8] if sub_method else None,
    )


def _db_partition(name: str, method: str, description: str | None) -> TablePartition:
    text = description or ""
    if method.startswith("RANGE"):
        raw = (
            "VALUES LESS THAN MAXVALUE"
            if method == "RANGE" and text.upper() == "MAXVALUE"
            else f"VALUES LESS THAN ({text})"
        )
        return TablePartition(name, less_than(text), raw)
    if method.startswith("LIST"):
        return TablePartition(name, values_in(text), f"VALUES IN ({text})")
    return TablePartition(name)


def _method(text: str) -> str:
    """``LINEAR  key algorithm=2`` -> ``LINEAR KEY``."""
    words = re.sub(r"\s+ALGORITHM\s*=\s*\d+", "", text, flags=re.I).split()
    return " ".join(words).upper()


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def settle_bounds(
    conn: Connection, wanted: Sequence[TablePartitioning]
) -> tuple[TablePartitioning, ...]:
    """``wanted`` with the bounds the catalog keeps evaluated (``LESS THAN (TO_DAYS(...))``,
    not ``COLUMNS``: those are literals) replaced by the server's value of them, all asked in
    one ``SELECT`` that changes nothing; when the server refuses it they stay unsure."""
    values: list[str] = []
    for p in wanted:
        for part in p.partitions:
            if not part.comparable:
                values.extend(_values(part.raw))
    if not values:
        return tuple(wanted)
    statement = "SELECT " + ", ".join(f"({v})" for v in values)
    try:
        row = conn.exec_driver_sql(statement.replace("%", "%%")).one()
    except sa.exc.DBAPIError:
        return tuple(wanted)
    answers = iter("MAXVALUE" if v is None else _text(v) for v in row)
    return tuple(_settled(p, answers) for p in wanted)


def _values(raw: str) -> list[str]:
    """The values of ``VALUES LESS THAN (...)`` / ``VALUES IN (...)`` (MAXVALUE asked as NULL)."""
    text = _IN.sub("", _LESS.sub("", raw, count=1), count=1).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return ["NULL" if v.upper() == "MAXVALUE" else v for v in split_top(text)]


def _settled(p: TablePartitioning, answers: Iterator[str]) -> TablePartitioning:
    if all(part.comparable for part in p.partitions):
        return p
    parts = []
    for part in p.partitions:
        if part.comparable:
            parts.append(part)
            continue
        found = ",".join(next(answers) for _ in _values(part.raw))
        bound = values_in(found) if part.bound.startswith("in:") else less_than(found)
        parts.append(replace(part, bound=bound, comparable=True))
    return replace(p, partitions=tuple(parts))


# --- the models -----------------------------------------------------------------------------


def metadata_partitioning(
    metadata: sa.MetaData,
    tables: Sequence[sa.Table],
    schema_of: Callable[[str | None], str | None],
) -> tuple[TablePartitioning, ...]:
    """The partitioning the models declare, sorted by key; ``schema_of`` keys a schema name as
    the snapshot does (the default schema is None)."""
    declared: dict[PartitioningKey, list[Partition]] = {}
    for partition in declared_partitions(metadata):
        declared.setdefault((schema_of(partition.schema), partition.table), []).append(partition)
    found = []
    for table in tables:
        key = (schema_of(table.schema), table.name)
        partitioning = table_partitioning(table, key, declared.pop(key, []))
        if partitioning is not None:
            found.append(partitioning)
    for (schema, name), partitions in sorted(
        declared.items(), key=lambda i: (i[0][0] or "", i[0][1])
    ):
        raise MetadataError(
            f"Partition {partitions[0].name!r} is declared for table "
            f"{_qualified(schema, name)!r}, which the models do not have"
        )
    return tuple(sorted(found, key=lambda p: (p.schema or "", p.table)))


def table_partitioning(
    table: sa.Table, key: PartitioningKey, objects: Sequence[Partition] = ()
) -> TablePartitioning | None:
    """The declared partitioning of ``table`` (its ``mysql_*`` options and ``objects``)."""
    opts = table.dialect_options.get("mysql")
    by = opts.get("partition_by") if opts is not None else None
    name = _qualified(*key)
    if not by:
        if objects:
            raise MetadataError(
                f"table {name!r} has Partition objects but no mysql_partition_by: declare its "
                'partitioning key with mysql_partition_by="RANGE (...)"'
            )
        return None
    assert opts is not None
    clause = _Clause(str(by), name)
    clause.read_options(
        opts.get("partitions"), opts.get("subpartition_by"), opts.get("subpartitions")
    )
    for p in objects:
        if p.partition_by:
            raise MetadataError(
                f"Partition {p.name!r} of {name!r} has partition_by, which is PostgreSQL's: on "
                "MySQL/MariaDB declare subpartitions with mysql_subpartition_by on the table"
            )
    if objects:
        if clause.definitions is not None or clause.count is not None:
            raise MetadataError(
                f"table {name!r} declares its partitions twice: in mysql_partition_by / "
                "mysql_partitions and as Partition objects; keep one of the two"
            )
        clause.definitions = [(p.name, p.bounds) for p in objects]
    return clause.partitioning(key)


class _Clause:
    """A ``PARTITION BY`` clause (without those words) taken apart."""

    def __init__(self, text: str, table: str) -> None:
        self.table = table
        self.text = text
        self.count: int | None = None
        self.sub_method: str | None = None
        self.sub_expression: str | None = None
        self.sub_count: int | None = None
        self.definitions: list[tuple[str, str]] | None = None
        match = _METHOD.match(text)
        if match is None:
            raise self.error("it does not start with RANGE, LIST, HASH or KEY")
        self.method = _method(match["method"])
        self.expression, rest = self.parenthesized(text[match.end() :])
        self.read_rest(rest)

    def error(self, why: str) -> MetadataError:
        return MetadataError(
            f"table {self.table!r}: cannot read mysql_partition_by={self.text!r}: {why}"
        )

    def parenthesized(self, text: str) -> tuple[str, str]:
        """The text inside the parentheses ``text`` starts with, and what follows them."""
        text = text.lstrip()
        if not text.startswith("("):
            raise self.error("a parenthesized expression or column list was expected")
        depth, quote = 0, ""
        for i, ch in enumerate(text):
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"`":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return text[1:i].strip(), text[i + 1 :]
        raise self.error("unbalanced parentheses")

    def read_rest(self, rest: str) -> None:
        while rest.strip():
            if m := _PARTITIONS.match(rest):
                self.count, rest = int(m["n"]), rest[m.end() :]
            elif m := _SUB_BY.match(rest):
                self.read_sub_by(rest[m.end() :])
                rest = self._after_sub
            elif m := _SUBPARTITIONS.match(rest):
                self.sub_count, rest = int(m["n"]), rest[m.end() :]
            elif rest.lstrip().startswith("("):
                inner, rest = self.parenthesized(rest)
                self.definitions = [self.definition(d) for d in split_top(inner)]
            else:
                raise self.error(f"unexpected {rest.strip()[:30]!r}")

    def read_sub_by(self, text: str) -> None:
        match = _METHOD.match(text)
        if match is None:
            raise self.error("SUBPARTITION BY must be HASH or KEY")
        self.sub_method = _method(match["method"])
        self.sub_expression, self._after_sub = self.parenthesized(text[match.end() :])

    def read_options(self, partitions: Any, sub_by: Any, subpartitions: Any) -> None:
        if partitions is not None and str(partitions).strip():
            self.count = int(str(partitions))
        if sub_by:
            self.read_sub_by(str(sub_by))
            if self._after_sub.strip():
                raise self.error(f"unexpected {self._after_sub.strip()[:30]!r}")
        if subpartitions is not None and str(subpartitions).strip():
            self.sub_count = int(str(subpartitions))

    def definition(self, text: str) -> tuple[str, str]:
        match = _DEFINITION.match(text)
        if match is None:
            raise self.error(f"cannot read partition {text[:30]!r}")
        name = match["name"]
        if name.startswith("`"):
            name = name[1:-1].replace("``", "`")
        return name, match["rest"].strip()

    def partitioning(self, key: PartitioningKey) -> TablePartitioning:
        if self.method not in READABLE:
            raise self.error(f"{self.method} partitioning is not supported")
        if self.definitions is None:
            if self.method not in COUNTED:
                raise self.error(f"{self.method} partitioning needs its partitions listed")
            parts = tuple(TablePartition(n) for n in default_names(self.count or 1))
        else:
            parts = tuple(self.partition(n, bounds) for n, bounds in self.definitions)
            if self.count is not None and self.count != len(parts):
                raise self.error(f"PARTITIONS {self.count} but {len(parts)} partitions listed")
        sub_count = self.sub_count if self.sub_count is not None else (1 if self.sub_method else 0)
        return TablePartitioning(
            table=key[1],
            schema=key[0],
            method=self.method,
            expression=loose_sql(self.expression),
            partitions=parts,
            sub_method=self.sub_method,
            sub_expression=loose_sql(self.sub_expression or "") if self.sub_method else None,
            sub_count=sub_count if self.sub_method else 0,
            raw_expression=self.expression,
            raw_sub_expression=self.sub_expression,
        )

    def partition(self, name: str, bounds: str) -> TablePartition:
        """One declared partition; subpartition lists and ENGINE options are not compared."""
        text = bounds.strip()
        sub_list = ""
        if text.endswith(")") and "SUBPARTITION" in text.upper():
            start = text.upper().rfind("(", 0, text.upper().find("SUBPARTITION") + 1)
            text, sub_list = text[:start].strip(), text[start:]
            if self.sub_count is None and self.sub_method:
                self.sub_count = len(split_top(sub_list[1:-1]))
        text = _ENGINE.sub(" ", text).strip()
        if self.method in COUNTED:
            if text:
                raise self.error(f"partition {name!r}: {self.method} partitions take no bounds")
            return TablePartition(name, "", "")
        if self.method.startswith("LIST") and _DEFAULT.fullmatch(text):
            return TablePartition(name, "default", "DEFAULT")
        pattern = _LESS if self.method.startswith("RANGE") else _IN
        match = pattern.match(text)
        if match is None:
            want = "VALUES LESS THAN" if self.method.startswith("RANGE") else "VALUES IN"
            raise self.error(f"partition {name!r}: {want} ... expected, not {text[:30]!r}")
        values = text[match.end() :].strip()
        if values.startswith("("):
            values, after = self.parenthesized(values)
        else:
            values, after = values, ""
        if after.strip():
            raise self.error(f"partition {name!r}: unexpected {after.strip()[:30]!r}")
        bound = less_than(values) if pattern is _LESS else values_in(values)
        literal = all(_LITERAL.fullmatch(loose_sql(v)) for v in split_top(values))
        return TablePartition(name, bound, text, literal or "columns" in self.method.lower())


def _qualified(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name
