"""What the rules know while walking a revision: the tables it created so far (exempt from the
"existing table" rules) and the enum types the chain has defined up to here (to tell which values
a recreated enum drops)."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemadiff.lint.actions import Action, ColumnInfo
from schemadiff.lint.typeeval import TypeInfo

Key = tuple[str | None, str]


@dataclass
class EnumTypes:
    """Enum types by (schema, name) -> values (None: exists, values not known). Carried along
    the chain in topological order."""

    values: dict[Key, tuple[str, ...] | None] = field(default_factory=dict)

    def define(self, info: TypeInfo | None) -> None:
        if info is not None and info.enum_name and info.enum_values is not None:
            self.values[(info.enum_schema, info.enum_name)] = info.enum_values


@dataclass
class RevisionContext:
    """State for one revision's ``upgrade()``."""

    dialect: str | None
    enums: EnumTypes
    created: set[Key] = field(default_factory=set)
    #: enum types renamed away or dropped in this revision: their former values
    replaced: dict[Key, tuple[str, ...] | None] = field(default_factory=dict)

    def is_new_table(self, action: Action) -> bool:
        return action.table is not None and (action.schema, action.table) in self.created

    def apply(self, action: Action) -> None:
        """Record what ``action`` changes, after the rules have looked at it."""
        kind = action.kind
        if kind == "create_table" and action.table:
            self.created.add((action.schema, action.table))
            self._define_columns(action.columns)
        elif kind == "rename_table" and action.table and action.new_name:
            if (action.schema, action.table) in self.created:
                self.created.add((action.schema, action.new_name))
        elif kind == "add_column" and action.column is not None:
            self._define_columns((action.column,))
        elif kind == "alter_column":
            self.enums.define(action.new_type)
        else:
            self._apply_enum(action)

    def _define_columns(self, columns: tuple[ColumnInfo, ...]) -> None:
        for col in columns:
            self.enums.define(col.type)

    def _apply_enum(self, action: Action) -> None:
        if action.name is None:
            return
        key = (action.schema, action.name)
        values = self.enums.values
        if action.kind == "create_enum":
            values[key] = action.values
        elif action.kind in ("rename_enum", "drop_enum"):
            old = values.pop(key, None)
            self.replaced[key] = old
            if action.kind == "rename_enum" and action.new_name:
                values[(action.schema, action.new_name)] = old
        elif action.kind == "add_enum_value" and values.get(key) is not None:
            current = values[key] or ()
            values[key] = current + tuple(v for v in action.values if v not in current)
        elif action.kind == "rename_enum_value" and values.get(key) is not None:
            old_value, new_value = action.values
            values[key] = tuple(new_value if v == old_value else v for v in values[key] or ())

    def former_values(self, action: Action) -> tuple[bool, tuple[str, ...] | None]:
        """For a ``create_enum``: whether it recreates a type this revision renamed away or
        dropped, and that type's values (None when the chain never spelled them out)."""
        key = (action.schema, action.name or "")
        if key in self.replaced:
            return True, self.replaced[key]
        return False, None
