"""Declarations of schema objects that are not tables, attached to a MetaData (kept in
``metadata.info``, so they live as long as the MetaData and travel with it)."""

from schemadiff.objects.functions import (
    FUNCTIONS_KEY,
    Function,
    Procedure,
    declared_functions,
    function_from_entity,
)
from schemadiff.objects.triggers import (
    TRIGGERS_KEY,
    Trigger,
    declared_triggers,
    trigger_from_entity,
)

#: alembic_utils entity class name -> the converter that attaches it to a MetaData as one of
#: ours (alembic_utils stays optional: entities are recognised by their class name)
ENTITY_CONVERTERS = {"PGFunction": function_from_entity, "PGTrigger": trigger_from_entity}

__all__ = [
    "ENTITY_CONVERTERS",
    "FUNCTIONS_KEY",
    "TRIGGERS_KEY",
    "Function",
    "Procedure",
    "Trigger",
    "declared_functions",
    "declared_triggers",
    "function_from_entity",
    "trigger_from_entity",
]
