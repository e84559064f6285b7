"""Indexes, matched by name. Any change (elements and their order/opclass, uniqueness, partial
predicate, access method, covering columns, NULLS NOT DISTINCT) is a drop plus a create: indexes
cannot be altered. A model naming the operator class the database reports as the element's
default one (``aa array_ops``) names no operator class.

Element expressions and predicates are canonical SQL, so a changed expression or ``WHERE`` is
detected while spelling differences are not.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import replace

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import CreateIndex, DropIndex
from schemadiff.snapshot.model import Index, IndexElement


def compare_indexes(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    db_indexes = [ix for ix in pair.db.indexes if _comparable(ctx, ix)]
    model_indexes = []
    for ix in pair.model.indexes:
        if _comparable(ctx, ix):
            model_indexes.append(ix)
        else:
            yield ctx.not_supported("expression_indexes")
    if any(ix.where is not None for ix in model_indexes) and not ctx.supports("partial_indexes"):
        yield ctx.not_supported("partial_indexes")
    by_name = {ix.name: ix for ix in db_indexes}
    model_names = {ix.name for ix in model_indexes}
    for new in model_indexes:
        old = by_name.get(new.name)
        if old is None:
            yield CreateIndex(pair.schema, pair.name, new)
        elif _shape(ctx, old) != _shape(ctx, _default_opclasses_as_none(new, old)):
            yield DropIndex(pair.schema, pair.name, old)
            yield CreateIndex(pair.schema, pair.name, new)
    for old in db_indexes:
        if old.name not in model_names:
            yield DropIndex(pair.schema, pair.name, old)


def _comparable(ctx: CompareContext, index: Index) -> bool:
    has_expression = any(e.is_expression for e in index.elements)
    return ctx.supports("expression_indexes") or not has_expression


def _shape(ctx: CompareContext, index: Index) -> Hashable:
    where = index.where if ctx.supports("partial_indexes") else None
    return (
        index.elements,
        index.unique,
        where,
        index.using,
        index.include,
        index.nulls_not_distinct,
    )


def _default_opclasses_as_none(model: Index, db: Index) -> Index:
    """``model`` with the operator classes it names spelled as ``db``'s: none where it names
    the type's default, the database's spelling where both name the same one, qualified by its
    schema or not (``extensions.gin_trgm_ops`` is ``gin_trgm_ops`` when the search path reaches
    it, and the catalog qualifies it when it does not)."""
    if not any(e.opclass for e in model.elements) or len(model.elements) != len(db.elements):
        return model
    elements = tuple(
        _as_db(m, d) if m.opclass else m for m, d in zip(model.elements, db.elements, strict=True)
    )
    return replace(model, elements=elements)


def _as_db(model: IndexElement, db: IndexElement) -> IndexElement:
    name = _unqualified(model.opclass)
    if db.default_opclass is not None and name == _unqualified(db.default_opclass):
        return replace(model, opclass=None)
    if db.opclass is not None and name == _unqualified(db.opclass):
        return replace(model, opclass=db.opclass)
    return model


def _unqualified(opclass: str | None) -> str:
    """An operator class's name without its schema, unquoted."""
    return (opclass or "").rsplit(".", 1)[-1].strip('"')
