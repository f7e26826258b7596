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

import keyword
import os
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic_core import PydanticUndefined

VALIDATE = os.environ.get("MEGAROTH_VALIDATE_OUTPUTS") == "1"

OUT = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# BaseModel's four instance slots, set through their descriptors: a frozen model's __setattr__
# refuses, and object.__setattr__ looks each one up on every construction.
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


_UNSET = object()
"""An optional field's default in a generated constructor: the value was not given."""


def _constructor(cls: type[BaseModel]):
    """`cls`'s own constructor, generated from its fields once it is built often (GENERATE_AFTER).

    Python's keyword binding then does what a generic `**data` loop did field by field: a
    missing required field or a misspelt one is a TypeError naming it (a bug in megaroth, never
    dropped silently), and the rest is one dict built in place — about half the cost per result,
    which counts at forty results per taxpayer in a preparer's batch. The fields given are
    recorded as pydantic records them (`model_fields_set`), the defaults of the others filled
    in as pydantic fills them (a factory called per instance)."""
    fields = cls.model_fields
    names = list(fields)
    if not all(n.isidentifier() and not keyword.iskeyword(n) and not n.startswith("_") for n in names):
        raise TypeError(f"{cls.__name__}: a field name is not a plain identifier")  # never: pydantic refuses them too
    scope: dict[str, Any] = {"_UNSET": _UNSET, "_set_dict": _set_dict, "_set_fields_set": _set_fields_set,
                             "_set_extra": _set_extra, "_set_private": _set_private}
    required = [n for n, f in fields.items() if f.default_factory is None and f.default is PydanticUndefined]
    parameters = list(required)
    body = [f"given = {{{', '.join(repr(n) for n in required)}}}" if required else "given = set()"]
    for name, info in fields.items():
        if name in required:
            continue
        parameters.append(f"{name}=_UNSET")
        if info.default_factory is not None:
            scope[f"_factory_{name}"] = info.default_factory
            fill = f"_factory_{name}()"
        else:
            scope[f"_default_{name}"] = info.default
            fill = f"_default_{name}"
        body += [f"if {name} is _UNSET:", f"    {name} = {fill}", "else:", f"    given.add({name!r})"]
    body += [f"_set_dict(self, {{{', '.join(f'{n!r}: {n}' for n in names)}}})", "_set_fields_set(self, given)",
             "_set_extra(self, None)", "_set_private(self, None)"]
    signature = "self, /" + (f", *, {', '.join(parameters)}" if parameters else "")
    source = f"def __init__({signature}):\n" + "".join(f"    {line}\n" for line in body)
    exec(compile(source, f"<{cls.__name__} constructor>", "exec"), scope)
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__name__}.__init__"
    init.__pydantic_base_init__ = True  # see Output.__init__
    cls.__init__ = init
    return init


GENERATE_AFTER = 32
"""Constructions of a type by the generic path before it gets its own constructor: generating one
costs about 0.3 ms, which a small report would pay for a dozen types it builds a few times each;
a batch builds the same types thousands of times."""


def _spec_of(cls: type[BaseModel]) -> tuple:
    """[field names, plain defaults, (name, factory) pairs, required names, constructions so far],
    worked out once per class."""
    fields = cls.model_fields
    defaults = {n: f.default for n, f in fields.items() if f.default_factory is None and f.default is not PydanticUndefined}
    factories = tuple((n, f.default_factory) for n, f in fields.items() if f.default_factory is not None)
    required = frozenset(n for n, f in fields.items() if f.default_factory is None and f.default is PydanticUndefined)
    spec = [frozenset(fields), defaults, factories, required, 0]
    setattr(cls, "_output_spec", spec)
    return spec


def _first_constructions(self, /, **data: Any) -> None:
    """Each output type's constructor for its first GENERATE_AFTER instances; then its own."""
    cls = type(self)
    spec = cls.__dict__.get("_output_spec") or _spec_of(cls)
    spec[4] += 1
    if spec[4] > GENERATE_AFTER:
        _constructor(cls)(self, **data)
        return
    names, defaults, factories, required, _ = spec
    values = defaults.copy()
    values.update(data)
    for name, factory in factories:
        if name not in data:
            values[name] = factory()
    if values.keys() != names:
        unknown = data.keys() - names
        # A misspelt field would otherwise be dropped silently: it is a bug.
        if unknown:
            raise TypeError(f"{cls.__name__}.__init__() got an unexpected keyword argument {sorted(unknown)[0]!r}")
        missing = sorted(required - data.keys())
        raise TypeError(f"{cls.__name__}.__init__() missing {len(missing)} required keyword-only "
                        f"argument{'s' if len(missing) > 1 else ''}: " + ", ".join(repr(n) for n in missing))
    _set_dict(self, values)
    _set_fields_set(self, set(data))
    _set_extra(self, None)
    _set_private(self, None)


_first_constructions.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class Output(BaseModel):
    """An output type: constructed without validation unless MEGAROTH_VALIDATE_OUTPUTS=1."""

    model_config = OUT

    def __init__(self, /, **data: Any) -> None:
        # Reached only with MEGAROTH_VALIDATE_OUTPUTS=1: each output type otherwise has its own
        # constructor (`__pydantic_init_subclass__`).
        super().__init__(**data)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        if not VALIDATE and "__init__" not in cls.__dict__:
            # Set on each type itself, so a subtype never inherits its parent's field list.
            cls.__init__ = _first_constructions

    # Marked as pydantic's own __init__: validation (model_validate, JSON) then builds instances
    # itself, validated, and never calls this one, which is for megaroth's own constructions.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]
