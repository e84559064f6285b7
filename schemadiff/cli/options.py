"""Command-line options shared by several commands (one definition, one help text)."""

from __future__ import annotations

from typing import Annotated

import typer

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        metavar="URL|FILE",
        help="Database URL, or a snapshot .json file.",
        show_default=False,
    ),
]
MetadataOpt = Annotated[
    str | None,
    typer.Option(
        "--metadata",
        metavar="MOD:ATTR",
        help="The models' MetaData as MODULE:ATTR.",
        show_default=False,
    ),
]
SchemaOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--schema", metavar="SCHEMA", help="Schema to compare (repeatable).", show_default=False
    ),
]
ExcludeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--exclude-table",
        metavar="GLOB",
        help="Table glob to skip (repeatable).",
        show_default=False,
    ),
]
RenameTableOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--rename-table",
        metavar="OLD=NEW",
        help="Table OLD was renamed to NEW (repeatable).",
        show_default=False,
    ),
]
RenameColumnOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--rename-column",
        metavar="TABLE.OLD=NEW",
        help="Column OLD of TABLE was renamed to NEW (repeatable).",
        show_default=False,
    ),
]


def choose_format(value: str, allowed: tuple[str, ...]) -> str:
    """The ``--format`` value, lower-cased, if it is one of ``allowed``."""
    from schemadiff.errors import UsageError

    fmt = value.strip().lower()
    if fmt not in allowed:
        raise UsageError(f"unknown --format {value!r}; use one of: {', '.join(allowed)}")
    return fmt
