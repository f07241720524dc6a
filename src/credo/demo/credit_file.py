"""The demo customers' credit files as import rows: two years of statements, company facts, some
reviews and references. Pure and deterministic: its own `random.Random` (so the ledger's draws are
untouched), integer arithmetic for amounts, dates from `until` only.

A customer's financial strength follows its payment habit, so ratings spread sensibly: prompt
payers mostly A-B, late and disputing ones B-D, write-off candidates D-E; a deteriorating
customer's latest year is weaker than the one before. Members of a group have no statement of
their own: the group's consolidated one stands in (and the assessment says so).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Mapping

from credo.demo.generator import DemoData, Row
from credo.domain.money import from_minor

COLUMNS = {
    "financials": ("customer_code", "group_code", "period_end", "recorded_on", "currency", "cash", "receivables",
                   "inventory", "current_assets", "current_liabilities", "total_assets", "total_liabilities",
                   "equity", "retained_earnings", "sales", "ebit", "interest_expense", "source"),
    "credit-facts": ("customer_code", "group_code", "recorded_on", "listed", "manufacturer", "emerging_market",
                     "founded_on", "industry", "ownership"),
    "credit-references": ("customer_code", "kind", "name", "recorded_on", "since", "highest_credit", "currency",
                          "experience"),
    "credit-reviews": ("customer_code", "reviewed_on", "recorded_on", "reviewer", "management", "industry_outlook",
                       "relationship", "interview"),
}
KINDS = tuple(COLUMNS)
# Strength per mille by habit (a draw of +-250 is added).
STRENGTH = {"prompt": 600, "seasonal": 500, "late": 300, "disputing": 300, "deteriorating": 450, "write_off": 0}
ASSETS = {"key_account": 60_000_000, "standard": 12_000_000, "small": 2_500_000}  # major units, before the draw
EMERGING = {"CN"}  # Altman's emerging-market form for Chinese companies


def credit_file_rows(data: DemoData, seed: int, until: date) -> Mapping[str, tuple[Row, ...]]:
    rng = random.Random(seed * 7919 + 4)
    rows: dict[str, list[Row]] = {kind: [] for kind in KINDS}
    groups_done: set[str] = set()
    for customer in data.rows["customers"]:
        strength = max(0, min(1000, STRENGTH[data.habits[customer["customer_code"]]] + rng.randint(-250, 250)))
        declining = data.habits[customer["customer_code"]] == "deteriorating"
        owner = _owner(customer, groups_done)
        if owner is not None:
            rows["financials"] += _statements(rng, owner, customer, strength, declining, until)
            rows["credit-facts"].append(_facts(rng, owner, customer, until))
        if customer["segment"] == "key_account" or rng.randint(1, 100) <= 30:
            rows["credit-reviews"].append(_review(rng, customer["customer_code"], strength, until))
        if customer["segment"] == "key_account":
            rows["credit-references"].append(_reference(rng, customer, strength, until))
    return {kind: tuple(found) for kind, found in rows.items()}


def _owner(customer: Row, groups_done: set[str]) -> dict | None:
    """Who holds the statements: the customer, or its group (once, from its first member)."""
    group = customer["group_code"]
    if not group:
        return {"customer_code": customer["customer_code"], "group_code": ""}
    if group in groups_done:
        return None
    groups_done.add(group)
    return {"customer_code": "", "group_code": group}


def _year_ends(until: date) -> list[date]:
    """The last two year ends whose statements are out by `until` (four months after the year end)."""
    year = until.year - 1 if until >= date(until.year, 5, 1) else until.year - 2
    return [date(year - 1, 12, 31), date(year, 12, 31)]


def _statements(rng: random.Random, owner: dict, customer: Row, strength: int, declining: bool,
                until: date) -> list[Row]:
    assets = ASSETS[customer["segment"]] * rng.randint(50, 150) // 100 * 100  # minor units
    out = []
    for index, period_end in enumerate(_year_ends(until)):
        year_strength = max(0, min(1000, strength + (250 if declining and index == 0 else 0) + rng.randint(-50, 50)))
        recorded_on = min(until, period_end + timedelta(days=rng.randint(90, 120)))
        items = _items(rng, assets * (100 + 5 * index) // 100, year_strength)
        out.append({**owner, "period_end": period_end.isoformat(), "recorded_on": recorded_on.isoformat(),
                    "currency": customer["currency"], "source": "audited" if strength > 500 else "management accounts",
                    **{name: str(from_minor(value, customer["currency"])) for name, value in items.items()}})
    return out


def _items(rng: random.Random, assets: int, s: int) -> dict[str, int]:
    """A balance sheet and income statement in minor units for a strength s (per mille)."""
    debt = 880 - 560 * s // 1000 + rng.randint(-40, 40)  # liabilities per mille of assets
    current_ratio = 750 + 1900 * s // 1000 + rng.randint(-100, 100)  # per mille
    current_assets = assets * rng.randint(380, 560) // 1000
    current_liabilities = current_assets * 1000 // current_ratio
    liabilities = assets * debt // 1000
    equity = assets - liabilities
    sales = assets * rng.randint(900, 1800) // 1000
    ebit = sales * (5 + 90 * s // 1000) // 1000 * 10
    return {"cash": current_assets * (100 + 200 * s // 1000) // 1000, "receivables": current_assets * 35 // 100,
            "inventory": current_assets * 30 // 100, "current_assets": current_assets,
            "current_liabilities": current_liabilities, "total_assets": assets, "total_liabilities": liabilities,
            "equity": equity, "retained_earnings": equity * (200 + 500 * s // 1000) // 1000, "sales": sales,
            "ebit": ebit, "interest_expense": liabilities * rng.randint(30, 60) // 1000}


def _facts(rng: random.Random, owner: dict, customer: Row, until: date) -> Row:
    manufacturer = rng.randint(1, 100) <= 40
    founded = date(until.year - rng.randint(1, 30), rng.randint(1, 12), 1)
    return {**owner, "recorded_on": (until - timedelta(days=rng.randint(200, 600))).isoformat(),
            "listed": "yes" if customer["segment"] == "key_account" and rng.randint(1, 100) <= 30 else "no",
            "manufacturer": "yes" if manufacturer else "no",
            "emerging_market": "yes" if customer["country"] in EMERGING else "no", "founded_on": founded.isoformat(),
            "industry": "manufacturing" if manufacturer else "trade",
            "ownership": "state-owned" if rng.randint(1, 100) <= 15 else "private"}


def _review(rng: random.Random, code: str, strength: int, until: date) -> Row:
    day = until - timedelta(days=rng.randint(30, 300))
    base = 30 + 60 * strength // 1000

    def score() -> str:
        return str(max(0, min(100, base + rng.randint(-10, 10))))
    return {"customer_code": code, "reviewed_on": day.isoformat(), "recorded_on": day.isoformat(),
            "reviewer": "li.credit", "management": score(), "industry_outlook": score(), "relationship": score(),
            "interview": score()}


def _reference(rng: random.Random, customer: Row, strength: int, until: date) -> Row:
    experience = "prompt" if strength > 600 else "slow" if strength > 300 else "poor"
    return {"customer_code": customer["customer_code"], "kind": "trade", "name": f"供应商 {rng.randint(100, 999)}",
            "recorded_on": (until - timedelta(days=rng.randint(60, 400))).isoformat(),
            "since": date(until.year - rng.randint(2, 12), 1, 1).isoformat(),
            "highest_credit": str(rng.randint(10, 200) * 10_000), "currency": customer["currency"],
            "experience": experience}
