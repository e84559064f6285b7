"""Alembic's autogenerate tests, transcribed as data.

Alembic's test suite (``tests/test_autogen_*.py``, ``test_postgresql.py``, ``test_mysql.py``,
``test_sqlite.py`` and ``alembic/testing/suite/test_autogen_*.py``, version 1.19) records fifteen
years of what its users reported. Each case here is one comparison from it, restated as facts: a
database built by ``create_all`` of one MetaData (plus raw DDL where the test ran some), the
models as another MetaData, the backends it applies to and the changes a correct tool proposes.
The harness (``tests/test_alembic_cases.py``) checks the changes, then renders the migration,
runs it and checks that nothing is left to change.

An expected change is an op kind (``add_column``, ``create_index``...) or, for an
``alter_column``, the kind and the attributes it changes (``alter_column:type+nullable``, in
:data:`schemadiff.ops.column_ops.ALTERABLE` order). Where Alembic's own expectation is one of its
known false positives or negatives, the case asserts the correct outcome and its docstring says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

ALL = ("sqlite", "postgresql", "mysql")

Build = Callable[[], tuple[sa.MetaData, sa.MetaData]]


@dataclass(frozen=True)
class AlembicCase:
    """One comparison from Alembic's tests (``source`` names the test)."""

    name: str
    source: str
    build: Build
    expect: Mapping[str, tuple[str, ...]]
    backends: tuple[str, ...] = ALL
    #: raw statements run after ``create_all`` of the database side, per backend
    ddl: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: extra :class:`schemadiff.diff.CompareOptions` fields (include_object, compare_type...)
    options: Mapping[str, Any] = field(default_factory=dict)
    #: schemas to reflect besides the default one (PostgreSQL only here)
    schemas: tuple[str, ...] = ()
    #: backend -> reason: a known failure another item of issue 13 fixes (strict xfail)
    known: Mapping[str, str] = field(default_factory=dict)
    #: False where the models ask for something that can never compare equal (a hook that always
    #: says "different") or that a backend refuses (a foreign key to a non-unique column): the
    #: changes are checked, the loop is not; a string names the backends where the loop runs
    converges: bool | str = True
    #: backend -> notices the comparison must report besides its changes, each as
    #: ``(level, words the message contains)`` (where we decide "not a change" and say why)
    notices: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def loops_on(self, backend: str) -> bool:
        if isinstance(self.converges, str):
            return backend in self.converges.split()
        return self.converges

    def expected_for(self, backend: str) -> list[str]:
        return sorted(self.expect.get(backend, self.expect.get("*", ())))


class Registry:
    """The cases of one transcribed test module, in the order they were written."""

    def __init__(self) -> None:
        self.cases: list[AlembicCase] = []

    def add(
        self,
        expect: Iterable[str] | Mapping[str, Iterable[str]] = (),
        *,
        backends: Iterable[str] | str = ALL,
        ddl: Mapping[str, Iterable[str]] | None = None,
        options: Mapping[str, Any] | None = None,
        schemas: Iterable[str] = (),
        known: Mapping[str, str] | None = None,
        name: str | None = None,
        source: str | None = None,
        converges: bool | str = True,
        notices: Mapping[str, Iterable[tuple[str, str]]] | None = None,
    ) -> Callable[[Build], Build]:
        """Decorator: register ``fn() -> (database MetaData, models MetaData)`` as a case."""

        def wrap(fn: Build) -> Build:
            doc = source or (fn.__doc__ or "").strip()
            if not doc:
                raise ValueError(f"case {fn.__name__} needs a docstring naming its Alembic test")
            self.cases.append(
                AlembicCase(
                    name=name or fn.__name__,
                    source=doc,
                    build=fn,
                    expect=_expectations(expect),
                    backends=tuple(backends.split() if isinstance(backends, str) else backends),
                    ddl={b: tuple(s) for b, s in (ddl or {}).items()},
                    options=dict(options or {}),
                    schemas=tuple(schemas),
                    known=dict(known or {}),
                    converges=converges,
                    notices={b: tuple(n) for b, n in (notices or {}).items()},
                )
            )
            return fn

        return wrap


def _expectations(
    expect: Iterable[str] | Mapping[str, Iterable[str]],
) -> dict[str, tuple[str, ...]]:
    if isinstance(expect, Mapping):
        return {b: tuple(v) for b, v in expect.items()}
    return {"*": tuple(expect)}


def pair(
    build_db: Callable[[sa.MetaData], None], build_models: Callable[[sa.MetaData], None]
) -> Build:
    """A build function from two functions that fill a fresh MetaData each."""

    def build() -> tuple[sa.MetaData, sa.MetaData]:
        m1, m2 = sa.MetaData(), sa.MetaData()
        build_db(m1)
        build_models(m2)
        return m1, m2

    return build


def all_cases() -> list[AlembicCase]:
    """Every transcribed case, module by module."""
    from importlib import import_module

    out: list[AlembicCase] = []
    for module in MODULES:
        out += import_module(f"tests.alembic_cases.{module}").cases.cases
    return out


MODULES = (
    "autogen_diffs",
    "autogen_indexes",
    "autogen_check_constraints",
    "autogen_composition",
    "postgresql",
    "mysql",
    "sqlite",
    "suite_fks",
    "suite_comments",
    "suite_computed",
    "suite_identity",
    "suite_diffs",
)
