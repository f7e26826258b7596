"""Taxpayer identification numbers that mask themselves.

A `Tin` keeps the number as printed but shows only its last four digits in `str`, `repr`,
f-strings and JSON, so a TIN cannot leak through a log line, a traceback, a pydantic error
or a rendered worksheet by accident. The full number comes out only through
`Tin.reveal()` or a JSON dump made with the context ``{"reveal_tins": True}``.

Forms often print TINs already masked ("XXX-XX-1234", "***-**-1234"); those are accepted
and stay masked.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

_SSN = re.compile(r"^[0-9Xx*]{3}-[0-9Xx*]{2}-[0-9]{4}$")
_EIN = re.compile(r"^[0-9Xx*]{2}-[0-9Xx*]{7}$")
_BARE = re.compile(r"^[0-9Xx*]{5}[0-9]{4}$")


def looks_like_tin(text: str) -> bool:
    """Whether text has the shape of a TIN, whole or masked (123-45-6789, 12-3456789, 9 digits)."""
    compact = text.strip().replace(" ", "")
    return bool(_SSN.match(compact) or _EIN.match(compact) or _BARE.match(compact))


class TinError(ValueError):
    """Text that is not a 9-digit SSN, ITIN or EIN (whole or masked)."""


class Tin:
    """A TIN that masks itself everywhere except `reveal()`."""

    __slots__ = ("_printed",)

    def __init__(self, printed: str) -> None:
        text = printed.strip().replace(" ", "")
        if not (_SSN.match(text) or _EIN.match(text) or _BARE.match(text)):
            raise TinError("not a 9-digit TIN (expected 123-45-6789, 12-3456789 or 9 digits)")
        self._printed = text

    @property
    def last4(self) -> str:
        return self._printed[-4:]

    @property
    def is_complete(self) -> bool:
        """Whether all nine digits are printed: only a complete TIN can identify a person; a
        masked one ("***-**-1234") is shared by everyone with the same last four digits."""
        return sum(c.isdigit() for c in self._printed) == 9

    @property
    def digits(self) -> str:
        """The nine digits without dashes (complete TINs only)."""
        return "".join(c for c in self._printed if c.isdigit())

    @property
    def is_ein(self) -> bool:
        return bool(_EIN.match(self._printed))

    def masked(self) -> str:
        """The form's own style of truncation: last four digits shown."""
        return f"**-***{self.last4}" if self.is_ein else f"***-**-{self.last4}"

    def reveal(self) -> str:
        """The TIN as printed. Call only when the user asked to see TINs."""
        return self._printed

    def __str__(self) -> str:
        return self.masked()

    def __repr__(self) -> str:
        return f"Tin({self.masked()!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Tin) and other._printed == self._printed

    def __hash__(self) -> int:
        return hash(self._printed)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        def parse(value: Any) -> Tin:
            if isinstance(value, Tin):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                value = f"{value:09d}"
            if not isinstance(value, str):
                raise TinError("expected a TIN as text")
            return cls(value)

        def serialize(value: Tin, info: core_schema.SerializationInfo) -> str | Tin:
            if info.mode_is_json() or info.mode == "json":
                context = info.context or {}
                return value.reveal() if context.get("reveal_tins") else value.masked()
            return value

        return core_schema.no_info_plain_validator_function(
            parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                serialize, info_arg=True
            ),
            json_schema_input_schema=core_schema.str_schema(
                pattern=r"^([0-9Xx*]{3}-[0-9Xx*]{2}-[0-9]{4}|[0-9Xx*]{2}-[0-9Xx*]{7}|[0-9Xx*]{5}[0-9]{4})$"
            ),
        )
