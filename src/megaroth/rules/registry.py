"""Every tax rule megaroth applies, with its title and its authority.

A `Rule` is declared once, next to the code that applies it, with `define(...)`; each
traced `Step` names the rule that produced it, and the worksheet prints the rule's title and
resolved citations. `megaroth rules` lists this registry; a meta-test checks that every rule
cites at least one source and that every citation id resolves.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

from megaroth.model.results import Step


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    cites: tuple[str, ...]

    def step(
        self,
        name: str,
        description: str,
        result: Decimal | None = None,
        inputs: Mapping[str, Decimal | None] | None = None,
    ) -> Step:
        """A traced application of this rule."""
        return Step(
            rule=self.id,
            name=name,
            description=description,
            inputs={k: v for k, v in (inputs or {}).items() if v is not None},
            result=result,
        )


RULES: dict[str, Rule] = {}


def define(rule_id: str, title: str, cites: list[str] | tuple[str, ...]) -> Rule:
    """Register a rule. Ids are unique; a rule without a citation is refused."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id!r} defined twice")
    if not cites:
        raise ValueError(f"rule {rule_id!r} cites nothing")
    rule = Rule(id=rule_id, title=title, cites=tuple(cites))
    RULES[rule_id] = rule
    return rule


RULE_MODULES = (
    "megaroth.rules.accounts",
    "megaroth.rules.allocation",
    "megaroth.rules.context",
    "megaroth.rules.markers",
    "megaroth.rules.plan_money",
    "megaroth.rules.designated_roth",
    "megaroth.rules.ira",
    "megaroth.rules.treatment",
    "megaroth.rules.form8606_verdict",
    "megaroth.rules.form5329",
    "megaroth.rules.engine",
    "megaroth.rules.mistakes",
    "megaroth.rules.compare",
)


def all_rules() -> list[Rule]:
    """Every rule, after importing the modules that define them."""
    for module in RULE_MODULES:
        importlib.import_module(module)
    return sorted(RULES.values(), key=lambda r: r.id)
