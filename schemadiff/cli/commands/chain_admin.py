"""The chain's housekeeping commands, as Alembic has them: ``edit REV``, ``ensure_version`` and
``list_templates`` (Alembic's names, with underscores), added by :func:`register`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from schemadiff.cli.runner import cli_settings

if TYPE_CHECKING:
    from schemadiff.chain.project import Project
    from schemadiff.settings.config import Settings

Db = Annotated[
    str | None, typer.Option("--db", metavar="URL", help="Database URL.", show_default=False)
]
Sql = Annotated[
    bool, typer.Option("--sql", help="Print the SQL instead of running it (offline mode).")
]


def register(app: typer.Typer) -> None:
    app.command()(edit)
    app.command("ensure_version")(ensure_version)
    app.command("list_templates")(list_templates)


def ensure_version(sql: Sql = False, db: Db = None) -> None:
    """Create the version table if it does not exist yet."""
    from schemadiff.chain import migrate
    from schemadiff.pipeline import require_url

    settings = cli_settings(url=db)
    project = _project(settings)
    url = require_url(settings)
    if sql:
        migrate.offline_ensure_version(project, url, sys.stdout, settings.mysql_flavour)
        sys.stdout.flush()
        return
    created = migrate.ensure_version(project, url)
    state = "created" if created else "already exists"
    sys.stdout.write(f"version table {project.version_table} {state}\n")


def edit(
    rev: Annotated[str, typer.Argument(help="Revision to open: an id, label, head or current.")],
    db: Db = None,
) -> None:
    """Open revision file(s) in $EDITOR (or $VISUAL)."""
    from schemadiff.chain.edit import open_in_editor
    from schemadiff.chain.targets import resolve_destination

    settings = cli_settings(url=db)
    project = _project(settings)
    graph = project.graph()
    if rev.strip() == "current":
        from schemadiff.chain.migrate import current_rows
        from schemadiff.pipeline import require_url

        found = current_rows(project, require_url(settings))
        if not found:
            from schemadiff.errors import RevisionError

            raise RevisionError("the database has no current revision (it is at base)")
    else:
        found = resolve_destination(graph, rev)
    open_in_editor([graph.scripts[r].path for r in found], rev)


def list_templates() -> None:
    """List the templates 'init -t NAME' can write."""
    from schemadiff.chain.init import TEMPLATES

    lines = ["Available templates:", ""]
    lines += [f"{name} - {template.description}" for name, template in TEMPLATES.items()]
    lines += ["", "Templates are used via the 'init' command, e.g.:", ""]
    lines.append("  schemadiff init --template generic ./migrations")
    sys.stdout.write("\n".join(lines) + "\n")


def _project(settings: Settings) -> Project:
    from schemadiff.chain.project import project_from  # lazily: --help stays fast

    return project_from(settings)
