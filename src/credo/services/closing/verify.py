"""`credo close verify`: compute every stored month-end figure again and name what differs.

Each stored figure is computed again with the settings stored beside it (a later change of the
ladder or the rates is not a difference: a report for a closed day uses the stored settings too).
A difference is either in the inputs (a source whose rows as of the day changed: someone wrote
past the lock, or edited the database) or in the figures (the same inputs gave another result: the
code changed). Each is a line: day, figure, what, the stored and the present value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterator

from sqlalchemy import Connection

from credo.services.closing.close import stored_figures
from credo.services.closing.figures import compute
from credo.services.companies import Company
from credo.services.reports.common import Tabular

MAX_SHOWN = 20  # figure differences shown per stored figure (the count says how many there are)
INPUTS = "inputs: "  # what a difference in the inputs says before the source's name


@dataclass(frozen=True)
class Difference:
    as_of: date
    kind: str
    what: str  # "inputs: <source>" or the JSON path of a figure ("totals.buckets.1-30")
    stored: str
    now: str

    @property
    def source(self) -> str | None:
        """The input table whose rows changed; None when a figure differs."""
        return self.what[len(INPUTS):] if self.what.startswith(INPUTS) else None

    def to_json(self) -> dict[str, str]:
        return {"as_of": self.as_of.isoformat(), "kind": self.kind, "what": self.what,
                "stored": self.stored, "now": self.now}


@dataclass
class Verification:
    checked: list[tuple[date, str]] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    counted: dict[tuple[date, str], int] = field(default_factory=dict)  # figure differences per stored figure

    @property
    def agrees(self) -> bool:
        return not self.differences

    def to_json(self) -> dict[str, Any]:
        return {"agrees": self.agrees, "checked": [{"as_of": d.isoformat(), "kind": k} for d, k in self.checked],
                "differences": [d.to_json() for d in self.differences]}

    def table(self) -> Tabular:
        verdict = "all stored figures agree" if self.agrees else f"{len(self.differences)} difference(s)"
        return Tabular(f"Closed periods verified: {len(self.checked)} stored figures, {verdict}",
                       ["as_of", "kind", "what", "stored", "now"],
                       [[d.as_of, d.kind, d.what, d.stored, d.now] for d in self.differences])


def verify_closes(conn: Connection, company: Company, as_of: date | None = None) -> Verification:
    result = Verification()
    known: dict[date, dict[str, str]] = {}
    for stored in stored_figures(conn, company, as_of):
        now = compute(conn, company, stored.kind, stored.as_of, stored.settings, known.setdefault(stored.as_of, {}))
        result.checked.append((stored.as_of, stored.kind))
        for source, digest in stored.inputs.items():
            if now.inputs.get(source) != digest:
                result.differences.append(Difference(stored.as_of, stored.kind, INPUTS + source, digest[:12],
                                                     (now.inputs.get(source) or "")[:12]))
        found = list(differences(stored.body, now.body))
        result.counted[(stored.as_of, stored.kind)] = len(found)
        result.differences += [Difference(stored.as_of, stored.kind, path, a, b) for path, a, b in found[:MAX_SHOWN]]
    return result


def differences(stored: Any, now: Any, path: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, stored, now) of every leaf that differs between two JSON values; list items of
    customers are matched by their code, so one customer more does not shift every later line."""
    if isinstance(stored, dict) and isinstance(now, dict):
        for key in sorted(set(stored) | set(now), key=str):
            yield from differences(stored.get(key), now.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(stored, list) and isinstance(now, list):
        if _keyed(stored) and _keyed(now):
            yield from differences(_by_key(stored), _by_key(now), path)
        else:
            for index in range(max(len(stored), len(now))):
                yield from differences(stored[index] if index < len(stored) else None,
                                       now[index] if index < len(now) else None, f"{path}[{index}]")
    elif stored != now:
        yield path, _shown(stored), _shown(now)


def _key_of(item: Any) -> str | None:
    if isinstance(item, dict):
        for name in ("key", "customer", "subject", "bucket"):
            if name in item:
                return str(item[name]) + (f"/{item['rule']}" if "rule" in item else "")
    return None


def _keyed(items: list) -> bool:
    keys = [_key_of(item) for item in items]
    return all(k is not None for k in keys) and len(set(keys)) == len(keys)


def _by_key(items: list) -> dict[str, Any]:
    return {_key_of(item): item for item in items}


def _shown(value: Any) -> str:
    return "(none)" if value is None else str(value)
