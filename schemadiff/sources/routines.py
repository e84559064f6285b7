"""The models' functions, procedures and triggers: those declared with
:mod:`schemadiff.objects`, in the compared form (:mod:`schemadiff.canonical.routines`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.base import DialectRules
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.routines import (
    TriggerSyntaxError,
    canonical_body,
    canonical_returns,
    canonical_trigger,
    identity_args,
    split_trigger,
)
from schemadiff.errors import UsageError
from schemadiff.objects.functions import declared_functions
from schemadiff.objects.triggers import declared_triggers
from schemadiff.snapshot.model import Snapshot
from schemadiff.snapshot.routines import Function, RoutineKey, Trigger


def _with_registered(declared: list[Any], kind: str) -> list[Any]:
    """The declarations of the MetaData, after those of ``kind`` registered with alembic_utils'
    own ``register_entities`` (a MetaData's declaration of the same name wins)."""
    from schemadiff.sources.views import registered_entities

    registered = registered_entities(frozenset({kind}))
    if not registered:
        return declared

    def key(d: Any) -> tuple[Any, ...]:
        return (d.schema, d.name, getattr(d, "table", None), getattr(d, "args", None))

    names = {key(d) for d in declared}
    return [*(r for r in registered if key(r) not in names), *declared]


def metadata_functions(
    metadata: sa.MetaData, rules: DialectRules, default_schema: str | None
) -> tuple[Function, ...]:
    """Every declared function and procedure, sorted by key, in ``rules``' compared form."""
    out = []
    for decl in _with_registered(declared_functions(metadata), "PGFunction"):
        function = Function(
            name=decl.name,
            args=identity_args(decl.args),
            body=canonical_body(decl.body),
            schema=None if decl.schema == default_schema else decl.schema,
            kind=decl.kind,
            returns=canonical_returns(decl.returns),
            language=decl.language,
            volatility=decl.volatility,
            security_definer=decl.security_definer,
            strict=decl.strict,
            raw_args=decl.args,
            raw_body=decl.body,
            raw_returns=decl.returns,
        )
        out.append(rules.canonical_function(function))
    return tuple(sorted(out, key=function_sort_key))


def function_sort_key(f: Function) -> tuple[str, str, str]:
    return (f.schema or "", f.name, f.args)


def trigger_sort_key(t: Trigger) -> tuple[str, str, str]:
    return (t.schema or "", t.table, t.name)


def metadata_triggers(
    metadata: sa.MetaData, rules: DialectRules, default_schema: str | None
) -> tuple[Trigger, ...]:
    """Every declared trigger, sorted by key; a UsageError naming one whose definition does not
    start with its timing (BEFORE, AFTER, INSTEAD OF)."""
    out = []
    for decl in _with_registered(declared_triggers(metadata), "PGTrigger"):
        schema = None if decl.schema == default_schema else decl.schema
        try:
            definition, comparable = canonical_trigger(
                decl.definition, rewritten=not rules.trigger_text_verbatim
            )
            head, tail = split_trigger(decl.definition, keep_layout=True)
        except TriggerSyntaxError as exc:
            raise UsageError(f"trigger {decl.name!r} on {decl.table!r}: {exc}") from None
        table = (rules.quote_identifier(decl.schema) + "." if decl.schema else "") + (
            rules.quote_identifier(decl.table)
        )
        raw = f"CREATE TRIGGER {rules.quote_identifier(decl.name)} {head} ON {table} {tail}"
        out.append(Trigger(decl.name, decl.table, definition, schema, comparable, raw.strip()))
    return tuple(sorted(out, key=trigger_sort_key))


def settle_triggers(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with each declared trigger whose compared form is not sure to be the
    server's (a ``WHEN`` condition PostgreSQL rewrites) and differs from the database's
    replaced by the server's own rewrite of it (asked without changing anything, see
    ``DialectRules.settle_triggers``). Those the server could not be asked about stay unsure:
    the comparator lists them as not compared when they differ.

    A trigger on a table the migration renames is asked about on the table's current name
    (:func:`_renamed_from`): the rewrite does not depend on the table's name, only on its
    columns. If the server refuses it there (a column renamed too), it stays unsure."""
    stored = {t.key: t for t in db.triggers}
    moved: dict[RoutineKey, Trigger] = {}  # the probe of a trigger on a renamed table
    pending = []
    for t in models.triggers:
        if t.comparable:
            continue
        old = stored.get(t.key)
        if old is None and (source := _renamed_from(t, db, models)) is not None:
            old = stored.get((t.schema, source, t.name))
            if old is not None and old.definition != t.definition:
                moved[t.key] = replace(t, table=source)
                pending.append(moved[t.key])
        elif old is not None and old.definition != t.definition:
            pending.append(t)
    if not pending:
        return models
    rules = rules_for(db.dialect)
    try:
        answers = rules.settle_triggers(conn, pending, db.default_schema or "")
    except sa.exc.DBAPIError:
        return models  # no second connection, no rights on temporary tables
    if not answers:
        return models
    settled = []
    for trigger in models.triggers:
        probe = moved.get(trigger.key)
        answer = answers.get(probe.key if probe is not None else trigger.key, "")
        if answer == "" or (answer is None and probe is not None):
            settled.append(trigger)
        elif answer is None:  # refused: not what the database runs
            settled.append(replace(trigger, comparable=True))
        else:
            definition, _ = canonical_trigger(answer, rewritten=True)
            settled.append(replace(trigger, definition=definition, comparable=True))
    return replace(models, triggers=tuple(settled))


def _renamed_from(trigger: Trigger, db: Snapshot, models: Snapshot) -> str | None:
    """The database's name of the table of ``trigger`` when the migration may rename it: the
    table is not in the database under its model name, and either its model says which table it
    was (``info={"renamed_from": ...}``) or exactly one database table the models no longer
    have holds a trigger of that name (a rename given on the command line or confirmed at the
    prompt, decided after this step). None: not a renamed table."""
    in_db = {t.key for t in db.tables}
    if (trigger.schema, trigger.table) in in_db:
        return None
    model = next((t for t in models.tables if t.key == (trigger.schema, trigger.table)), None)
    if model is not None and model.renamed_from and (trigger.schema, model.renamed_from) in in_db:
        return model.renamed_from
    kept = {t.key for t in models.tables}
    candidates = {
        t.table
        for t in db.triggers
        if (t.schema, t.name) == (trigger.schema, trigger.name) and (t.schema, t.table) not in kept
    }
    return candidates.pop() if len(candidates) == 1 else None


def _with_syntax_errors(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with ``Function.refused`` set on each declared function the migration would
    create or replace that the server cannot parse: the migration would fail."""
    stored = {f.key: f for f in db.functions}
    wanted = [f for f in models.functions if f.comparable and stored.get(f.key) != f]
    if not wanted:
        return models
    try:
        errors = rules_for(db.dialect).function_syntax_errors(conn, wanted)
    except sa.exc.DBAPIError:
        return models
    if not errors:
        return models
    functions = tuple(
        replace(f, refused=errors[f.key]) if f.key in errors else f for f in models.functions
    )
    return replace(models, functions=functions)


def settle_functions(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with the signature (identity arguments, result type) of each declared
    function that matches no database function by key, or differs in its result type, in the
    server's own spelling (a type our canonical names do not know: a domain, a qualified
    type), asked without changing anything (``DialectRules.settle_functions``). Where the
    server cannot be asked, our spelling stays: the function reads as created or replaced."""
    models = _with_syntax_errors(conn, db, models)
    stored = {f.key: f for f in db.functions}
    names = {(f.schema, f.name) for f in db.functions}
    pending = [
        f
        for f in models.functions
        if (old := stored.get(f.key)) is None
        and (f.schema, f.name) in names
        or old is not None
        and old.returns != f.returns
    ]
    if not pending:
        return models
    try:
        answers = rules_for(db.dialect).settle_functions(conn, pending)
    except sa.exc.DBAPIError:
        return models
    settled = []
    for function in models.functions:
        answer = answers.get(function.key)
        if answer is None:
            settled.append(function)
        else:
            args, returns = answer
            settled.append(
                replace(function, args=identity_args(args), returns=canonical_returns(returns))
            )
    return replace(models, functions=tuple(sorted(settled, key=function_sort_key)))
