"""Test documents made once per process: the same filled form or image asked for again is the
bytes made the first time (they are bytes: no test can change them for another).

Why: filling an IRS PDF with pypdf (a clone of the whole form) and rendering it into an image
cost 0.1-0.5 s each, and the tests ask for the same few documents many times."""

from __future__ import annotations

import functools


def _frozen(value):
    """The argument as a key: lists and dictionaries by their contents (and kind)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    hash(value)  # anything else must be hashable (bytes, str, numbers, None): else not remembered
    return (type(value).__name__, value)


def remembered(make):
    """`make` (returning bytes) called once per distinct arguments in this process."""
    made: dict = {}

    @functools.wraps(make)
    def wrapper(*args, **kwargs):
        try:
            key = (tuple(_frozen(a) for a in args), tuple(sorted((k, _frozen(v)) for k, v in kwargs.items())))
        except TypeError:
            return make(*args, **kwargs)
        if key not in made:
            result = make(*args, **kwargs)
            if not isinstance(result, bytes):  # only what no caller can change is shared
                return result
            made[key] = result
        return made[key]

    wrapper.uncached = make
    return wrapper
