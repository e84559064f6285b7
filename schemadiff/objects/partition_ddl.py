"""``create_all`` of a MySQL / MariaDB table whose partitions are declared as
:class:`~schemadiff.objects.partitions.Partition` objects: its ``CREATE TABLE`` gets them after
the ``PARTITION BY`` clause SQLAlchemy compiles from ``mysql_partition_by`` (the server refuses
a RANGE or LIST table created without its partitions). Tables without declared partitions
compile exactly as before."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable

from schemadiff.objects.partitions import declared_partitions


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@compiles(CreateTable, "mysql")
@compiles(CreateTable, "mariadb")
def _create_table(element: CreateTable, compiler: Any, **kw: Any) -> str:
    text: str = compiler.visit_create_table(element, **kw)
    table = element.element
    metadata = getattr(table, "metadata", None)
    if metadata is None or not metadata.info:
        return text
    opts = table.dialect_options.get("mysql")
    if opts is None or not opts.get("partition_by"):
        return text
    mine = [
        p
        for p in declared_partitions(metadata)
        if p.table == table.name and p.schema == table.schema
    ]
    if not mine:
        return text
    defs = ", ".join(f"PARTITION {_quote(p.name)} {p.bounds}" for p in mine)
    return f"{text.rstrip()} ({defs})\n\n"
