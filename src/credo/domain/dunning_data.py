"""Dunning policies as plain data (JSON): what a company stores to replace the policies credo ships.

Written and read field by field from the dataclasses themselves, so a field added to a step or a
policy travels without a change here. Reading checks everything a run relies on and names the
policy, step and field of the first fault (ValueError): actions and templates among the known
ones, amounts as decimals, and a last policy that is a catch-all (no segments, no ratings), so
that every customer finds one.
"""

from __future__ import annotations

from dataclasses import MISSING, fields
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Sequence

from credo.domain.dunning import Action, DunningPolicy, DunningStep


def policies_to_data(policies: Sequence[DunningPolicy]) -> list[dict[str, Any]]:
    """The policies as JSON-ready data, in their order (the first match wins)."""
    return [{**_plain(policy, exclude=("steps",)), "steps": [_plain(step) for step in policy.steps]}
            for policy in policies]


def _plain(record, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    out = {}
    for spec in fields(record):
        if spec.name in exclude:
            continue
        value = getattr(record, spec.name)
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, frozenset):
            value = sorted(value)
        elif isinstance(value, tuple):
            value = [a.value for a in value]
        out[spec.name] = value
    return out


def policies_from_data(data: Any, templates: Iterable[str]) -> tuple[DunningPolicy, ...]:
    """Policies from plain data; ValueError naming where the first fault is."""
    if not isinstance(data, list) or not data:
        raise ValueError("dunning policies: a JSON list of one or more policies")
    known = frozenset(templates)
    policies = tuple(_policy(item, n, known) for n, item in enumerate(data, start=1))
    codes = [p.code for p in policies]
    if len(set(codes)) != len(codes):
        raise ValueError(f"dunning policies: each code once ({', '.join(sorted({c for c in codes if codes.count(c) > 1}))} repeats)")
    last = policies[-1]
    if last.segments is not None or last.ratings is not None:
        raise ValueError(f"dunning policies: the last one ({last.code}) must be a catch-all, with no segments "
                         "and no ratings, so that every customer finds a policy")
    return policies


def _policy(item: Any, n: int, templates: frozenset[str]) -> DunningPolicy:
    where = f"policy {n}" + (f" ({item.get('code')})" if isinstance(item, dict) and item.get("code") else "")
    values = _fields(DunningPolicy, item, where, {"steps"})
    raw_steps = item.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise ValueError(f"{where}: steps: a list of one or more steps")
    steps = tuple(_step(step, f"{where}, step {k}", templates) for k, step in enumerate(raw_steps, start=1))
    try:
        return DunningPolicy(**values, steps=steps)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where}: {error}") from None


def _step(item: Any, where: str, templates: frozenset[str]) -> DunningStep:
    values = _fields(DunningStep, item, where, set())
    if not values["actions"]:
        raise ValueError(f"{where}: actions: at least one")
    if values["template"] not in templates:
        raise ValueError(f"{where}: template {values['template']!r}: use one of {', '.join(sorted(templates))}")
    for name in ("min_open", "fee"):
        if name in values and values[name] < 0:
            raise ValueError(f"{where}: {name}: zero or more")
    return DunningStep(**values)


def _fields(kind, item: Any, where: str, skip: set[str]) -> dict[str, Any]:
    """The dataclass's fields read from `item`, each converted to its field's type."""
    if not isinstance(item, dict):
        raise ValueError(f"{where}: a JSON object")
    names = {spec.name for spec in fields(kind)}
    unknown = sorted(set(item) - names - skip)
    if unknown:
        raise ValueError(f"{where}: unknown field {', '.join(unknown)}")
    values = {}
    for spec in fields(kind):
        if spec.name in skip:
            continue
        if spec.name not in item:
            if spec.default is MISSING and spec.default_factory is MISSING:
                raise ValueError(f"{where}: {spec.name} is missing")
            continue
        optional = spec.default is not MISSING or spec.default_factory is not MISSING
        values[spec.name] = _value(spec.name, str(spec.type), item[spec.name], where, optional)
    return values


def _value(name: str, kind: str, raw: Any, where: str, optional: bool = False) -> Any:
    """One field's value by its annotation (the module's annotations are strings); an optional text
    may be empty."""
    fault = f"{where}: {name} {raw!r}"
    if raw is None and "None" in kind:
        return None
    if kind.startswith("Decimal"):
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            raise ValueError(f"{fault}: a decimal such as \"100\"") from None
        if not value.is_finite():
            raise ValueError(f"{fault}: a finite decimal")
        return value
    if kind.startswith("int"):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ValueError(f"{fault}: a whole number")
        return raw
    if kind.startswith("bool"):
        if not isinstance(raw, bool):
            raise ValueError(f"{fault}: true or false")
        return raw
    if kind.startswith("tuple[Action"):
        if not isinstance(raw, list):
            raise ValueError(f"{fault}: a list of actions")
        try:
            return tuple(Action(a) for a in raw)
        except ValueError:
            raise ValueError(f"{fault}: actions among {', '.join(a.value for a in Action)}") from None
    if kind.startswith("frozenset"):
        if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw) or not raw:
            raise ValueError(f"{fault}: a list of one or more texts, or null for any")
        return frozenset(raw)
    if not isinstance(raw, str) or not (raw.strip() or optional):
        raise ValueError(f"{fault}: a text")
    return raw.strip()
