"""PostgreSQL declarative partitioning in the snapshot model: each partitioned table's key
(``PARTITION BY``) and each partition with its bounds.

``key`` and ``bounds`` are compared in a canonical form (:func:`canonical_partition_sql`) of
the server's own spelling (``pg_get_partkeydef``, ``pg_get_expr(relpartbound)``); the ``raw_*``
fields are what a migration runs, never compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

#: (schema, name) of a partitioned table or of a partition
PartitionName = tuple[str | None, str]

#: the compared table option that carries a partitioned table's key into ``CREATE TABLE``
PARTITION_BY_OPTION = "postgresql_partition_by"


@dataclass(frozen=True)
class PartitionKey:
    """The key of a partitioned table that is not itself a partition (``RANGE (created_at)``).
    ``comparable`` False: a declared key whose canonical form is not sure to be the server's
    (not yet settled)."""

    table: str
    schema: str | None = None
    key: str = ""
    comparable: bool = True
    raw: str = field(default="", compare=False)

    @property
    def name_key(self) -> PartitionName:
        return (self.schema, self.table)

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"partitioning of {table}"


@dataclass(frozen=True)
class Partition:
    """A partition of ``table`` (a partitioned table, or a partition partitioned again).
    ``bounds`` ``for values from (...) to (...)``, ``for values in (...)``, ``for values with
    (...)`` or ``default``; ``partition_by`` the key of a partition partitioned again (None: a
    leaf). ``comparable`` False: declared bounds or key whose canonical form is not sure to be
    the server's (not yet settled)."""

    name: str
    table: str
    schema: str | None = None
    bounds: str = "default"
    partition_by: str | None = None
    comparable: bool = True
    raw_bounds: str = field(default="", compare=False)
    raw_partition_by: str | None = field(default=None, compare=False)
    #: models' side: the server's syntax error for the declared bounds (the migration fails)
    refused: str | None = field(default=None, compare=False, metadata={"json": False})

    @property
    def key(self) -> PartitionName:
        return (self.schema, self.name)

    @property
    def parent_key(self) -> PartitionName:
        return (self.schema, self.table)

    def describe(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"partition {name} of {self.table}"

    @property
    def run_bounds(self) -> str:
        """The bounds as a migration writes them."""
        return self.raw_bounds or self.bounds

    @property
    def run_partition_by(self) -> str | None:
        return self.raw_partition_by or self.partition_by


_TOKENS = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")""")
_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_$]*")
_SPACE_AROUND = re.compile(r"\s*([(),])\s*")


def canonical_partition_sql(text: str | None) -> str | None:
    """A partition key or bounds in a form two spellings of the same text share: outside
    string literals and quoted names lower case, quotes gone from names that need none, spaces
    around parentheses and commas gone, other runs of space one blank, a LIST partition's
    values sorted. ``'2024-01-01'`` and ``'2024-01-01 00:00:00'`` differ here: the server's
    own rewrite settles those (see ``settle_partitions``)."""
    if text is None:
        return None
    out = []
    for i, part in enumerate(_TOKENS.split(text.strip().rstrip(";"))):
        if i % 2:
            name = part[1:-1]
            plain = part.startswith('"') and _PLAIN_NAME.fullmatch(name)
            out.append(name if plain else part)
            continue
        part = _SPACE_AROUND.sub(r"\1", part.lower())
        out.append(re.sub(r"\s+", " ", part))
    return _sorted_list("".join(out).strip())


def _sorted_list(text: str) -> str:
    """``for values in(...)`` with its values sorted: a list partition's values are a set."""
    head = "for values in("
    if not (text.startswith(head) and text.endswith(")")):
        return text
    items: list[str] = []
    depth, start, quoted = 0, len(head), False
    for i in range(len(head), len(text) - 1):
        ch = text[i]
        if ch == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(text[start:i])
            start = i + 1
    if quoted or depth:
        return text
    items.append(text[start : len(text) - 1])
    return head + ",".join(sorted(items)) + ")"


def partition_ddl(partition: Partition, table_sql: str, parent_sql: str) -> str:
    """``CREATE TABLE name PARTITION OF parent bounds [PARTITION BY key]``."""
    sql = f"CREATE TABLE {table_sql} PARTITION OF {parent_sql} {partition.run_bounds}"
    by = partition.run_partition_by
    return f"{sql} PARTITION BY {by}" if by else sql


def kept_partitions(
    partitions: tuple[Partition, ...], kept: Callable[[PartitionName], bool]
) -> tuple[Partition, ...]:
    """``partitions`` whose root table (the first parent that is not one of them) is
    ``kept``: partitions of partitions go with their table."""
    by_key = {p.key: p for p in partitions}
    out = []
    for p in partitions:
        seen, parent = {p.key}, p.parent_key
        while parent in by_key and parent not in seen:
            seen.add(parent)
            parent = by_key[parent].parent_key
        if kept(parent):
            out.append(p)
    return tuple(out)


def partition_depth(partition: Partition, by_key: dict[PartitionName, Partition]) -> int:
    """How many partitions lie between ``partition`` and its root table (0: a partition of a
    table that is not a partition)."""
    depth = 0
    seen = {partition.key}
    parent = by_key.get(partition.parent_key)
    while parent is not None and parent.key not in seen:
        seen.add(parent.key)
        depth += 1
        parent = by_key.get(parent.parent_key)
    return depth
