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


# BaseModel's four instance slots, set through their descriptors: a frozen model's __setattr__
# refuses, and object.__setattr__ looks each one up on every construction.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


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
        values = defaults.copy()
        values.update(data)
        for name, factory in factories:
            if name not in data:
                values[name] = factory()
        if values.keys() != names:
            unknown = data.keys() - names
            # A misspelt field would otherwise be dropped silently: it is a bug.
            if unknown:
                raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
            raise TypeError(f"{cls.__name__}: missing field(s) {sorted(required - data.keys())}")
        _set_dict(self, values)
        _set_fields_set(self, set(data))
        _set_extra(self, None)
        _set_private(self, None)

    # Marked as pydantic's own __init__: validation (model_validate, JSON) then builds instances
    # itself, validated, and never calls this one, which is for megaroth's own constructions.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
