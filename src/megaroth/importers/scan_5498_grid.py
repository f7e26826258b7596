"""Where the boxes of a scanned Form 5498 are, from its grid: the cells declared in
forms/f5498_layout.toml ([grid]) fitted to the captions the engine did read on the page.

The caption reader (`f5498_layout`) gives a value to the caption above it; a caption the engine
cannot read ("8 SEP contributions", 6-point type beside box 7's labels, on a 1-bit or turned page)
leaves its box without a caption, and so asked. The captions that ARE read tell where the grid
lies on the page: an affine map from the declared places to the page's points, fitted by least
squares. When every read caption sits within the grid's tolerance of the fit (so the page is
printed on this grid, and no caption was misfound), a caption not read is placed where the grid
puts it, as words the caption reader matches; what its box holds is then read and checked as any
other box's. The same map gives box 7's check squares, whose ink is measured when its labels are
not read.

Geometry is in points (Fractions, as the other scan geometry: positions, never money).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from numbers import Real

from megaroth.catalog import read_toml

MIN_FITTED = 6
"""Read captions the fit needs (the layout's `min_captions`: a page is the form from as many)."""


def _num(value) -> Fraction:
    """A number of the grid's data or of a word's place as a fraction, to a hundredth of a point (a TOML number by
    its decimal text): finer says nothing of a scan, and the fits' sums stay small numbers."""
    return (value if isinstance(value, Fraction) else Fraction(str(value))).limit_denominator(100)


@dataclass(frozen=True)
class Grid:
    """Form points → page points: x' = a·x + b·y + c, y' = d·x + e·y + f."""

    a: Real
    b: Real
    c: Real
    d: Real
    e: Real
    f: Real

    def at(self, x: Real, y: Real) -> tuple[Real, Real]:
        return self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f

    @property
    def degrees(self) -> Real:
        """How far the grid lies turned on the page (counter-clockwise, y up)."""
        return math.degrees(math.atan2(self.d, self.a))

    @property
    def scale(self) -> Real:
        return Fraction(math.sqrt(abs(self.a * self.e - self.b * self.d))).limit_denominator(10**6)


@cache
def _data() -> dict:
    return read_toml("f5498_layout.toml")["grid"]


@cache
def cells() -> dict[str, tuple[Real, Real, Real, Real]]:
    return {box: tuple(_num(v) for v in cell) for box, cell in _data()["cells"].items()}


def caption_at(box: str) -> tuple[Real, Real]:
    """Where the grid prints a box's caption's first word: (left, baseline) in form points."""
    x0, top, _, _ = cells()[box]
    dx, dy = _data()["caption_inset"]
    return x0 + dx, top - dy


def fit(captions) -> Grid | None:
    """The grid's map onto the page from the captions read (`f5498_layout.Caption`s, in page
    points), or None when too few are read, or more than a fifth of them (at least one) are off the
    others' grid by more than the tolerance (a page printed on another grid); a caption misfound,
    off the others' grid, is left out of the fit."""
    pairs = []
    declared = cells()
    for caption in captions:
        box = caption.spec.box if caption.spec is not None else None
        if box not in declared:
            continue
        pairs.append((caption_at(box), (_num(caption.x), _num(caption.y))))
    if len({p[0] for p in pairs}) < MIN_FITTED + 1 or len({p[0] for p in pairs}) != len(pairs):
        return None
    grid = _agreeing(pairs)
    if grid is None or not Fraction(1, 2) < grid.scale < 2:
        return None
    return grid


def _agreeing(pairs) -> Grid | None:
    """The fit of the captions that agree with each other (`fit`): the map of every three captions
    is tried, the one most captions lie within the tolerance of is kept (a caption misfound pulls a
    least-squares fit of all towards itself, hiding its own distance), and it is fitted again to
    those; each of them must then also lie where the others put it (the fit left without it), the
    farthest left out until they do."""
    from itertools import combinations

    tolerance = _num(_data()["tolerance"])
    best: list = []
    refitted: dict[tuple, list] = {}
    for trio in combinations(range(len(pairs)), 3):
        grid = _least_squares([pairs[n] for n in trio])
        if grid is None:
            continue
        # Three captions' map is carried far from them by a point's error in their places: those near
        # it, at twice the tolerance, are fitted again, and those near that fit kept.
        near = _near(grid, pairs, 2 * tolerance, len(best))
        if near is None or len(near) < 3:
            continue
        # What the refits make of a set depends on the set alone, and most maps tried find one of a
        # few sets: each set is refitted once.
        key = tuple(id(p) for p in near)
        if key not in refitted:
            for _ in range(3):
                again = _least_squares(near)
                if again is None:
                    break
                near = [p for p in pairs if _off(again, p) <= tolerance]
            refitted[key] = near
        near = refitted[key]
        if len(near) > len(best):
            best = near
            if len(best) == len(pairs):
                break
    return _fitted(best, pairs)


def _fitted(best: list, pairs) -> Grid | None:
    """The grid of the captions kept (`best`, of all `pairs`), each where the others put it."""
    tolerance = _num(_data()["tolerance"])
    allowed = max(1, len(pairs) // 5)
    while True:
        if len(best) < MIN_FITTED + 1 or len(pairs) - len(best) > allowed:
            return None
        # Each kept caption where the others put it: the farthest beyond the tolerance is left out.
        off = []
        for n, pair in enumerate(best):
            others = _least_squares(best[:n] + best[n + 1:])
            if others is None:
                return None
            off.append((_off(others, pair), n))
        worst, n = max(off)
        if worst <= tolerance:
            return _least_squares(best)
        best = best[:n] + best[n + 1:]


def _near(grid: Grid, pairs, tolerance: Real, to_beat: int) -> list | None:
    """The pairs within `tolerance` of the grid, or None as soon as they cannot be more than
    `to_beat` (the search keeps only a larger set: on a page with a caption misfound no map takes
    every caption, and each of the hundreds of maps tried was measured against every caption,
    4 s of a faxed page)."""
    misses_left = len(pairs) - to_beat - 1
    near = []
    for pair in pairs:
        if _off(grid, pair) <= tolerance:
            near.append(pair)
        else:
            misses_left -= 1
            if misses_left < 0:
                return None
    return near


def _off(grid: Grid, pair) -> Real:
    x, y = grid.at(*pair[0])
    return max(abs(x - pair[1][0]), abs(y - pair[1][1]))


def _least_squares(pairs) -> Grid | None:
    """The affine map minimising the squared distances (normal equations, each axis apart)."""
    sx = sy = sxx = sxy = syy = Fraction(0)
    n = _num(len(pairs))
    for (x, y), _ in pairs:
        sx, sy, sxx, sxy, syy = sx + x, sy + y, sxx + x * x, sxy + x * y, syy + y * y
    matrix = [[sxx, sxy, sx], [sxy, syy, sy], [sx, sy, n]]
    solved = []
    for axis in (0, 1):
        rhs = [sum(x * page[axis] for (x, _), page in pairs), sum(y * page[axis] for (_, y), page in pairs),
               sum(page[axis] for _, page in pairs)]
        solution = _solve3(matrix, rhs)
        if solution is None:
            return None
        solved += solution
    # A millionth is finer than any scan's place: the grid's coefficients stay small fractions for every `at`.
    return Grid(*(Fraction(v).limit_denominator(10**6) for v in solved))


def _solve3(m: list[list[Real]], v: list[Real]) -> list[Real] | None:
    """Cramer's rule for a 3×3 system (the captions spread over the page keep it well conditioned)."""
    def det(a):
        return (a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]))

    whole = det(m)
    if abs(whole) < Fraction(1, 10**9):
        return None
    out = []
    for column in range(3):
        replaced = [[v[r] if c == column else m[r][c] for c in range(3)] for r in range(3)]
        out.append(det(replaced) / whole)
    return out


def placed_captions(words: list, found, grid: Grid, word_type) -> tuple[list, list[str]]:
    """The words with each caption not read placed where the grid prints it (words the caption
    reader matches: the caption's shortest phrase), the words read across that caption's line in
    its cell dropped (a caption misread, "8SEP" or "contributlons", or a blur's blot read as a
    word, is not a value); and the boxes placed. A placed caption the reader does not then find is
    taken back, its words with it (never a value of another box)."""
    from megaroth.importers.f5498_layout import _find, _table

    seen = {c.spec.box for c in found.captions}
    specs = {spec.box: spec for spec in _table()[0]}
    page = words[0].page if words else 1
    size = 6 * grid.scale
    added: dict[str, list] = {}
    dropped = set()
    for box, (x0, top, x1, _) in cells().items():
        spec = specs.get(box)
        if spec is None or box in seen or not spec.phrases:
            continue
        fx, fy = caption_at(box)
        x, y = grid.at(fx, fy)
        # On the baseline of the captions read in the same row of cells (the caption reader gives a
        # value to the nearest caption above it, rounded: a placed caption a point higher than its
        # neighbour's would lose its amount to it).
        row = [_num(c.y) for c in found.captions if c.spec.box in cells() and cells()[c.spec.box][1] == top]
        if row:
            y = sum(row) / len(row)
        left, _ = grid.at(x0, fy)
        right, _ = grid.at(x1 - 1, fy)
        line = (y - size / 4, y + size * 3 / 4)  # the caption's line, from under its baseline to its capitals
        for w in words:
            bottom, high = _num(w.y), _num(w.y + w.size * 7 / 10)
            if left <= _num(w.x) < right and bottom < line[1] and high > line[0]:
                dropped.add(id(w))
        start = x
        made = []
        for token in spec.phrases[-1]:
            width = len(token) * size / 2
            made.append(word_type(page=page, x=_exact(start), y=_exact(y), size=_exact(size), text=token,
                                  width=_exact(width), confidence=0))
            start += width + size / 3
        added[box] = made
    kept = [w for w in words if id(w) not in dropped] + [w for made in added.values() for w in made]
    now = {c.spec.box for c in _find(kept).captions}
    lost = {id(w) for box, made in added.items() if box not in now for w in made}
    return [w for w in kept if id(w) not in lost], [box for box in added if box in now]


def _exact(value: Real) -> Fraction:
    return Fraction(value).limit_denominator(1000)


def cell_on_page(grid: Grid, box: str) -> tuple[Real, Real, Real, Real]:
    """A box's cell on the page: (left, top, right, bottom) in page points."""
    x0, top, x1, bottom = cells()[box]
    left, high = grid.at(x0, top)
    right, low = grid.at(x1, bottom)
    return left, high, right, low


def inside(grid: Grid, box: str, words: list, margin: Real = 2) -> bool:
    """Whether every word's middle lies in the box's cell on the page (within `margin` points)."""
    if box not in cells():
        return True
    left, top, right, bottom = cell_on_page(grid, box)
    for w in words:
        middle_x, middle_y = _num(w.x + w.x1) / 2, _num(w.y + w.size / 3)
        if not (left - margin <= middle_x <= right + margin and bottom - margin <= middle_y <= top + margin):
            return False
    return True


def kind_squares(grid: Grid) -> list[tuple[str, tuple[Real, Real, Real, Real]]]:
    """Box 7's check squares on the page: (kind, (left, bottom, right, top)) in page points."""
    kinds = dict(_data()["kinds"])
    side = _num(kinds.pop("side"))
    out = []
    for name, (x, y) in kinds.items():
        left, bottom = grid.at(_num(x), _num(y))
        right, top = grid.at(_num(x) + side, _num(y) + side)
        out.append((name, (left, bottom, right, top)))
    return out
