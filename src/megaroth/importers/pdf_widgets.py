"""The form fields of a PDF as its pages show them: one widget per box on a page, with the
field's full name (built from the /Parent chain), kind, value and place.

A field's name, type and value may sit on the widget or on a parent field; a checkbox's state
is the widget's /AS (kids of one field each have their own) and its "on" states are the names
of its normal appearances other than /Off.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real


@dataclass(frozen=True)
class Widget:
    page: int
    """Page index (0-based)."""
    name: str
    kind: str
    """"text", "check" or "other"."""
    x0: Real
    y0: Real
    x1: Real
    y1: Real
    value: str
    """The text of a text field; a checkbox's state name ("/1", "/Off")."""
    on_states: tuple[str, ...] = ()

    @property
    def rect(self) -> tuple:
        return self.x0, self.y0, self.x1, self.y1

    @property
    def checked(self) -> bool:
        return self.value not in ("", "/Off", "Off")


def _on_states(annotation) -> tuple[str, ...]:
    appearance = annotation.get("/AP")
    normal = appearance.get_object().get("/N") if appearance is not None else None
    if normal is None or "/BBox" in normal.get_object():
        return ()
    return tuple(str(state) for state in normal.get_object() if state != "/Off")


def page_widgets(page, index: int) -> list[Widget]:
    widgets = []
    for ref in page.get("/Annots") or []:
        annotation = ref.get_object()
        if annotation.get("/Subtype") != "/Widget":
            continue
        names, node, kind, value = [], annotation, None, None
        while node is not None:
            if "/T" in node:
                names.append(str(node["/T"]))
            kind = kind or node.get("/FT")
            value = node.get("/V") if value is None else value
            parent = node.get("/Parent")
            node = parent.get_object() if parent is not None else None
        rect = list(annotation.get("/Rect", [0, 0, 0, 0]))
        if len(rect) != 4:
            continue
        if kind == "/Btn":
            value = annotation.get("/AS", value)
        widgets.append(Widget(
            page=index, name=".".join(reversed(names)),
            kind={"/Btn": "check", "/Tx": "text"}.get(kind, "other"),
            x0=min(rect[0], rect[2]), y0=min(rect[1], rect[3]), x1=max(rect[0], rect[2]), y1=max(rect[1], rect[3]),
            value="" if value is None else str(value), on_states=_on_states(annotation) if kind == "/Btn" else ()))
    return widgets


def widgets(reader) -> list[Widget]:
    """Every widget of every page, in page order."""
    return [w for index, page in enumerate(reader.pages) for w in page_widgets(page, index)]


def value_only_in_appearance(annotation) -> bool:
    """Annotations whose appearance is the only record of what they show: any but a widget, and
    a widget whose field has no value (its words are read from the appearance stream)."""
    if annotation.get("/Subtype") != "/Widget":
        return True
    node = annotation
    while node is not None:
        if "/V" in node:
            return False
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return annotation.get("/FT") != "/Btn"
