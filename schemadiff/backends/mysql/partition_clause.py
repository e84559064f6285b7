"""The models' MySQL / MariaDB partitioning: SQLAlchemy's table options as ``create_all``
compiles them (``PARTITION BY <mysql_partition_by> PARTITIONS <mysql_partitions> SUBPARTITION
BY <mysql_subpartition_by> SUBPARTITIONS <mysql_subpartitions>``; ``mysql_partition_by`` may
hold the whole clause, partition list included) or :class:`schemadiff.objects.Partition`
objects, one per partition (not both at once), read into
:class:`~schemadiff.snapshot.table_partitioning.TablePartitioning`. A clause that cannot be
read is a :class:`~schemadiff.errors.MetadataError` naming the table."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa

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


def method_name(text: str) -> str:
    """``LINEAR  key algorithm=2`` -> ``LINEAR KEY``."""
    words = re.sub(r"\s+ALGORITHM\s*=\s*\d+", "", text, flags=re.I).split()
    return " ".join(words).upper()


def bound_values(raw: str) -> list[str]:
    """The values of ``VALUES LESS THAN (...)`` / ``VALUES IN (...)`` (MAXVALUE asked as NULL)."""
    text = _IN.sub("", _LESS.sub("", raw, count=1), count=1).strip()
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    return ["NULL" if v.upper() == "MAXVALUE" else v for v in split_top(text)]


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
        self.method = method_name(match["method"])
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
        self.sub_method = method_name(match["method"])
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
