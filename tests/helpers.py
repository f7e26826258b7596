"""Helpers the tests share."""

from __future__ import annotations

import json


def strict_json(text: str):
    """Parse JSON refusing duplicate keys (other parsers silently keep only the last one)."""
    def pairs(items):
        keys = [k for k, _ in items]
        assert len(keys) == len(set(keys)), f"duplicate keys: {sorted(keys)}"
        return dict(items)

    return json.loads(text, object_pairs_hook=pairs)
