"""The ``schemadiff`` command line (typer): ``diff``, ``check`` and ``snapshot``.

Exit codes: 0 success / no differences, 1 differences found, 2 usage, configuration, connection
or output error (:mod:`schemadiff.cli.output`). Errors are one ``error: ...`` line on stderr,
without a traceback unless ``--debug``, and never show a password. SQLAlchemy, drivers and the
engine are imported inside the commands so that ``schemadiff --help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from schemadiff.cli.commands.chain import register as register_chain_commands
from schemadiff.cli.commands.check import register as register_check_command
from schemadiff.cli.commands.lint import register as register_lint_command
from schemadiff.cli.commands.verify import register as register_verify_command
from schemadiff.cli.options import (
    DbOpt,
    ExcludeOpt,
    MetadataOpt,
    RenameColumnOpt,
    RenameTableOpt,
    SchemaOpt,
    choose_format,
)
from schemadiff.cli.runner import STATE, cli_settings, run_app

if TYPE_CHECKING:
    from schemadiff.pipeline import Compared, Databases
    from schemadiff.settings.config import Settings

app = typer.Typer(
    name="schemadiff",
    help="Compare a database with your SQLAlchemy models (and write migrations).",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

DIFF_FORMATS = ("text", "json", "sql", "python")


FormatOpt = Annotated[
    str,
    typer.Option(
        "--format",
        metavar="FORMAT",
        help="Output format: text or json (diff also: sql, python).",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        from schemadiff import __version__

        typer.echo(f"schemadiff {__version__}")
        raise typer.Exit()


@app.callback()
def _global(
    config: Annotated[
        Path | None,
        typer.Option(
            "-c",
            "--config",
            metavar="PATH",
            help="Config file (TOML, or an alembic.ini).",
            show_default=False,
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "-n",
            "--name",
            metavar="ENV",
            help="Named environment from the config.",
            show_default=False,
        ),
    ] = None,
    x_arg: Annotated[
        list[str] | None,
        typer.Option(
            "-x",
            metavar="KEY=VALUE",
            help="Argument for the project's env.py (context.get_x_argument()); repeatable.",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Compare a database with your SQLAlchemy models (and write migrations)."""
    STATE.config, STATE.name, STATE.debug = config, name, debug or STATE.debug
    STATE.x = tuple(x_arg or ())


@app.command()
def diff(
    db: DbOpt = None,
    metadata: MetadataOpt = None,
    output_format: FormatOpt = "text",
    schema: SchemaOpt = None,
    exclude_table: ExcludeOpt = None,
    rename_table: RenameTableOpt = None,
    rename_column: RenameColumnOpt = None,
) -> None:
    """Show what differs between the database and the models (exit 1 if anything does)."""
    empty = _compare(
        output_format, db, metadata, schema, exclude_table, rename_table, rename_column
    )
    raise typer.Exit(0 if empty else 1)


@app.command()
def snapshot(
    output: Annotated[
        str, typer.Option("-o", "--output", metavar="FILE", help="File to write ('-' for stdout).")
    ],
    db: DbOpt = None,
    schema: SchemaOpt = None,
) -> None:
    """Save the database's schema as a JSON snapshot (usable later as --db FILE)."""
    from schemadiff.errors import UsageError
    from schemadiff.pipeline import snapshot_targets
    from schemadiff.report.text import make_console
    from schemadiff.snapshot import io as snapshot_io

    settings = cli_settings(url=db, schemas=tuple(schema) if schema else None)
    targets = snapshot_targets(settings)
    if len(targets) > 1 and output == "-":
        names = ", ".join(str(name) for name, _ in targets)
        raise UsageError(
            f"env.py configures several databases ({names}); pass -o FILE.json to write one "
            "snapshot per database (FILE.NAME.json)"
        )
    for name, target in targets:
        if output == "-":
            sys.stdout.write(snapshot_io.dumps(target.snapshot))
            return
        path = output if name is None else _per_database(output, name)
        snapshot_io.save(target.snapshot, path)  # all or nothing; OutputError names the file
        n = len(target.snapshot.tables)
        summary = f"wrote {path} ({n} table{'' if n == 1 else 's'}, {target.label})"
        make_console().print(summary, markup=False)


def _per_database(output: str, name: str) -> str:
    """``schema.json`` -> ``schema.engine1.json``: one snapshot file per database."""
    path = Path(output)
    suffix = path.suffix or ".json"
    return str(path.with_name(f"{path.stem if path.suffix else path.name}.{name}{suffix}"))


def _compare(
    output_format: str,
    db: str | None,
    metadata: str | None,
    schema: list[str] | None,
    exclude_table: list[str] | None,
    rename_table: list[str] | None,
    rename_column: list[str] | None,
) -> bool:
    """The body of ``diff``: prints the report, returns whether nothing differs (in any
    database of a multidb env.py)."""
    fmt = choose_format(output_format, DIFF_FORMATS)
    settings = cli_settings(
        url=db,
        metadata=metadata,
        schemas=tuple(schema) if schema else None,
        exclude_tables=tuple(exclude_table) if exclude_table else None,
    )
    from schemadiff.pipeline import compare_databases
    from schemadiff.report.text import make_console, render_text

    found = compare_databases(settings, (rename_table or (), rename_column or ()))
    if found.multidb:
        _print_databases(fmt, settings, found)
        return found.is_empty
    compared = found.items[0].compared
    assert compared is not None
    result = compared.result
    settings = compared.settings or settings  # with what the project's env.py configured
    if fmt == "json":
        from schemadiff.report.json_report import render_json

        sys.stdout.write(render_json(result))
    elif fmt in ("sql", "python"):
        sys.stdout.write(_migration_text(fmt, settings, compared))
    else:
        label = compared.target.label
        render_text(result, make_console(), database=label, models=settings.metadata)
    return result.is_empty


def _print_databases(fmt: str, settings: Settings, found: Databases) -> None:
    """``diff`` of a multidb project: every database, a section each."""
    if fmt == "json":
        from schemadiff.report.json_report import databases_dict, dump

        sys.stdout.write(dump(databases_dict(found)))
    elif fmt in ("sql", "python"):
        sys.stdout.write(_databases_migration_text(fmt, settings, found))
    else:
        from schemadiff.report.text import make_console, render_databases_text

        render_databases_text(found, make_console())


def _databases_migration_text(fmt: str, settings: Settings, found: Databases) -> str:
    """``--format sql``: each database's SQL under a ``-- database NAME`` comment; ``python``:
    an ``upgrade_NAME()`` / ``downgrade_NAME()`` pair per database (the multidb layout)."""
    from schemadiff.render.bodies import render_bodies
    from schemadiff.render.code import Code
    from schemadiff.render.script import render_sections

    sql: list[str] = []
    sections: list[tuple[str, Code, Code]] = []
    for db in found.items:
        name = str(db.name)
        compared = db.compared
        if compared is None:
            sql.append(f"-- database {name}: not compared ({db.skipped})\n")
            sections.append((name, Code(), Code()))
            continue
        effective = compared.settings or settings
        if fmt == "sql":
            sql.append(f"-- database {name}\n" + _migration_text(fmt, effective, compared))
            continue
        result, snapshot = compared.result, compared.target.snapshot
        bodies = render_bodies(result, snapshot, compared.models, effective.render_as_batch)
        sections.append((name, bodies.upgrade, bodies.downgrade))
    return "\n".join(sql) if fmt == "sql" else render_sections(sections)


def _migration_text(fmt: str, settings: Settings, compared: Compared) -> str:
    """The migration that closes the difference: SQL for the target's dialect (offline, as
    ``upgrade --sql`` would print it), or the ``upgrade()``/``downgrade()`` Python functions."""
    from schemadiff.render.bodies import render_bodies

    result, db = compared.result, compared.target.snapshot
    bodies = render_bodies(result, db, compared.models, settings.render_as_batch)
    if fmt == "sql":
        from schemadiff.backends.registry import rules_for
        from schemadiff.render.sql import render_sql

        if not result.ops:
            return ""
        target = rules_for(result.dialect).offline_target(
            settings.mysql_flavour, compared.target.dialect.name, db.server_version, lambda: None
        )
        return render_sql(bodies.upgrade, result.dialect, target)
    from schemadiff.render.script import render_functions

    return render_functions(bodies.upgrade, bodies.downgrade)


register_chain_commands(app)  # init, revision, upgrade, downgrade, ... (commands/chain.py)
register_check_command(app)  # check (commands/check.py)
register_lint_command(app)  # lint (commands/lint.py)
register_verify_command(app)  # verify (commands/verify.py)


def run(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (errors printed, never raised)."""
    return run_app(app, argv)


def main() -> None:
    """Console-script entry point: stdout is checked (:mod:`schemadiff.cli.output`), and the
    exit code is final (stdout flushed, write errors counted) before the shutdown shortcut."""
    from schemadiff.cli import output as cli_output
    from schemadiff.perf import spare_final_collection

    cli_output.install()
    code = run()
    spare_final_collection()
    sys.exit(code)
