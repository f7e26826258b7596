"""Where a value came from: file, record (form id, page, row) and field.

Every error message and finding is located with a `Source`, so a preparer with a thousand
1099-Rs can find the one that needs attention.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Source:
    """A location in the user's input. All parts are optional."""

    file: str | None = None
    record: str | None = None
    """Form id, "page 2", "row 14" or "form #3": how the user finds the record."""
    field: str | None = None
    """The box or column, in the domain's own name (box_2a, box_7)."""

    def at(self, *, record: str | None = None, field: str | None = None) -> "Source":
        """A narrower location inside this one."""
        return replace(
            self,
            record=record if record is not None else self.record,
            field=field if field is not None else self.field,
        )

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.record:
            parts.append(self.record)
        if self.field:
            parts.append(self.field)
        return ": ".join(parts)

    def to_dict(self) -> dict:
        return {"file": self.file, "record": self.record, "field": self.field}
