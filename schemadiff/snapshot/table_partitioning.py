"""The partitioning of a table (MySQL / MariaDB: a table option, ``PARTITION BY ...``) in the
snapshot model, and the SQL text it is rebuilt from.

Compared by meaning: the method (``RANGE``, ``RANGE COLUMNS``, ``LIST``, ``HASH``, ``KEY``...) and
expression without backticks, case or blanks, each partition's name and bound (``less:2020``,
``less:maxvalue``, ``in:1,2,3`` with the values sorted, ``default``), HASH/KEY partitions by
their names (``p0``... ``pN-1`` when declared by count), and subpartitioning by method,
expression and count. The ``raw_*`` fields are what a migration runs, never compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: (schema, table) of a partitioned table
PartitioningKey = tuple[str | None, str]

#: methods whose partitions are a count (named ``p0``... unless named one by one)
COUNTED = frozenset({"HASH", "LINEAR HASH", "KEY", "LINEAR KEY"})


@dataclass(frozen=True)
class TablePartition:
    """One partition: ``bound`` compared (``""`` for HASH/KEY), ``raw`` the SQL after its name
    (``VALUES LESS THAN (2020)``). ``comparable`` False: a declared bound the catalog shows
    evaluated (``LESS THAN (TO_DAYS('2020-01-01'))`` reads back as ``737790``), so a
    difference in it is "not compared"."""

    name: str
    bound: str = ""
    raw: str = field(default="", compare=False)
    comparable: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class TablePartitioning:
    """How a table is partitioned. ``method`` upper case with single blanks, ``expression``
    canonical (:func:`loose_sql`), ``partitions`` in their order; ``sub_count`` the number
    of subpartitions of each partition (0: none)."""

    table: str
    schema: str | None = None
    method: str = "HASH"
    expression: str = ""
    partitions: tuple[TablePartition, ...] = ()
    sub_method: str | None = None
    sub_expression: str | None = None
    sub_count: int = 0
    raw_expression: str = field(default="", compare=False)
    raw_sub_expression: str | None = field(default=None, compare=False)

    @property
    def key(self) -> PartitioningKey:
        return (self.schema, self.table)

    @property
    def counted(self) -> bool:
        return self.method in COUNTED

    def shape(self) -> tuple[object, ...]:
        """What a change of needs the table partitioned again (method, key, subpartitions)."""
        return (self.method, self.expression, self.sub_method, self.sub_expression, self.sub_count)

    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.partitions)

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"partitioning of {table}"

    def summary(self) -> str:
        """``RANGE (year), 3 partitions`` for messages."""
        n = len(self.partitions)
        key = self.raw_expression.replace("`", "")
        return f"{self.method} ({key}), {n} partition{'s' if n != 1 else ''}"


def loose_sql(text: str) -> str:
    """``text`` without backticks, blanks or case outside quoted strings: ``YEAR( `d` )`` and
    ``year(d)`` read the same."""
    out: list[str] = []
    quote = ""
    for ch in text:
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "`" or ch.isspace():
            continue
        else:
            out.append(ch.lower())
    return "".join(out)


def split_top(text: str, sep: str = ",") -> list[str]:
    """``text`` split at ``sep`` outside parentheses and quotes, pieces stripped."""
    pieces: list[str] = []
    depth, quote, start = 0, "", 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            pieces.append(text[start:i].strip())
            start = i + 1
    last = text[start:].strip()
    if last or pieces:
        pieces.append(last)
    return pieces


def less_than(values: str) -> str:
    """The compared bound of ``VALUES LESS THAN (values)`` (or ``MAXVALUE``)."""
    return "less:" + ",".join(loose_sql(v) for v in split_top(values))


def values_in(values: str) -> str:
    """The compared bound of ``VALUES IN (values)``: the values sorted (their order is no
    part of the meaning)."""
    return "in:" + ",".join(sorted(loose_sql(v) for v in split_top(values)))


def quote_name(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def partition_list(partitions: tuple[TablePartition, ...]) -> str:
    """``(PARTITION `a` VALUES ..., PARTITION `b` ...)``."""
    defs = [f"PARTITION {quote_name(p.name)} {p.raw}".rstrip() for p in partitions]
    return "(" + ", ".join(defs) + ")"


def default_names(count: int) -> tuple[str, ...]:
    """The names the server gives HASH/KEY partitions declared by count."""
    return tuple(f"p{i}" for i in range(count))


def partition_clause(p: TablePartitioning) -> str:
    """``PARTITION BY ...`` as ``ALTER TABLE`` and ``CREATE TABLE`` take it."""
    text = f"PARTITION BY {p.method} ({p.raw_expression})"
    listed = not p.counted or p.names() != default_names(len(p.partitions))
    if not listed:
        text += f" PARTITIONS {len(p.partitions)}"
    if p.sub_method:
        text += f" SUBPARTITION BY {p.sub_method} ({p.raw_sub_expression or ''})"
        text += f" SUBPARTITIONS {p.sub_count}"
    if listed:
        text += " " + partition_list(p.partitions)
    return text
