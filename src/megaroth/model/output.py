"""The base of megaroth's output types (results, comparisons, letters).

Pydantic stays at the boundaries: what users give is validated (the case, the forms, the
software's figures), and the JSON contract is described by these same models. But the results
are built by megaroth from values it validated or computed itself, so they are not validated a
second time: constructing one sets its fields as given (with the defaults of the fields left
out). Schemas are built on first use (`defer_build`), so a Markdown worksheet never pays for
them. A test validates every scenario's results against their own schema; setting
MEGAROTH_VALIDATE_OUTPUTS=1 validates every construction, to find a wrong one.
"""

from __future__ import annotations

import os
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticUndefined

VALIDATE = os.environ.get("MEGAROTH_VALIDATE_OUTPUTS") == "1"

OUT = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def _spec_of(cls: type[BaseModel]) -> tuple:
    """(field names, plain defaults, (name, factory) pairs, required names), worked out once per class."""
    fields = cls.model_fields
    defaults = {n: f.default for n, f in fields.items() if f.default_factory is None and f.default is not PydanticUndefined}
    factories = tuple((n, f.default_factory) for n, f in fields.items() if f.default_factory is not None)
    required = frozenset(n for n, f in fields.items() if f.default_factory is None and f.default is PydanticUndefined)
    spec = (frozenset(fields), defaults, factories, required)
    setattr(cls, "_output_spec", spec)
    return spec


class Output(BaseModel):
    """An output type: constructed without validation unless MEGAROTH_VALIDATE_OUTPUTS=1."""

    model_config = OUT

    def __init__(self, /, **data: Any) -> None:
        if VALIDATE:
            super().__init__(**data)
            return
        cls = type(self)
        spec = cls.__dict__.get("_output_spec") or _spec_of(cls)
        names, defaults, factories, required = spec
        if not data.keys() <= names:
            # A misspelt field would otherwise be dropped silently: it is a bug.
            raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(data.keys() - names)}")
        if not required <= data.keys():
            raise TypeError(f"{cls.__name__}: missing field(s) {sorted(required - data.keys())}")
        values = defaults.copy()
        values.update(data)
        for name, factory in factories:
            if name not in data:
                values[name] = factory()
        object.__setattr__(self, "__dict__", values)
        object.__setattr__(self, "__pydantic_fields_set__", set(data))
        object.__setattr__(self, "__pydantic_extra__", None)
        object.__setattr__(self, "__pydantic_private__", None)

    # Marked as pydantic's own __init__: validation (model_validate, JSON) then builds instances
    # itself, validated, and never calls this one, which is for megaroth's own constructions.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
