"""Demo customers: who they are (master data) and how they pay (a habit kept by the generator).

The habit is not a column of any file: it only drives the payments the generator writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from credo.demo import names

PROMPT, LATE, DETERIORATING, SEASONAL, DISPUTING, WRITE_OFF = (
    "prompt", "late", "deteriorating", "seasonal", "disputing", "write_off")
HABITS = (PROMPT, LATE, DETERIORATING, SEASONAL, DISPUTING, WRITE_OFF)
# Shares (percent) of the customers that are not write-off candidates.
HABIT_SHARES = ((LATE, 25), (DETERIORATING, 10), (SEASONAL, 10), (DISPUTING, 7))

KEY, STANDARD, SMALL = "key_account", "standard", "small"
SEGMENTS = ((KEY, 8), (STANDARD, 50), (SMALL, 42))
TERMS = {
    KEY: (("NET60", 3), ("EOM30", 3), ("NET30", 3), ("EOM60", 1), ("NET90", 1)),
    STANDARD: (("NET30", 4), ("EOM30", 3), ("NET60", 2), ("2/10 NET30", 1)),
    SMALL: (("NET30", 5), ("EOM30", 2), ("2/10 NET30", 3)),
}
FOREIGN_TERMS = (("NET30", 3), ("NET60", 2))
CHINESE_COLLECTORS = ("wang.li", "chen.jing", "zhang.wei")
ENGLISH_COLLECTOR = "sarah.lee"
KEY_ACCOUNT_SALES, EXPORT_SALES, DOMESTIC_SALES = "liu.yang", "tom.baker", ("zhao.min", "sun.hao")
FOREIGN = (("HK", 3), ("SG", 2), ("US", 3), ("DE", 3))
CURRENCIES = {"CN": ("CNY",), "HK": ("USD", "USD", "CNY"), "SG": ("USD",), "US": ("USD",), "DE": ("EUR",)}


@dataclass(frozen=True)
class Customer:
    code: str
    name: str
    group_code: str | None
    group_name: str | None
    country: str
    currency: str
    language: str
    segment: str
    collector: str
    contact_name: str
    contact_email: str
    contact_phone: str
    terms: str
    habit: str
    first_month: date         # first invoice month (the first of it)
    scale: int                # percent applied to the segment's invoice amounts
    lateness: int             # usual days late (late payers)
    turn: date | None         # deteriorating: when paying starts to slip
    stop: date | None         # deteriorating, write-off: no payment after this day
    last_invoice: date | None  # write-off: deliveries stopped (credit hold) after this day
    statement_payer: bool     # pays a month's invoices in one transfer


def salesperson(c: Customer) -> str:
    """Who sells to the customer: key accounts have their manager, exports theirs, the rest by code
    (derived, not drawn, so the demo's other figures stay as they were)."""
    if c.segment == KEY:
        return KEY_ACCOUNT_SALES
    if c.country != "CN":
        return EXPORT_SALES
    return DOMESTIC_SALES[sum(map(ord, c.code)) % 2]


@dataclass(frozen=True)
class _Identity:
    name: str
    country: str
    language: str
    segment: str
    group_code: str | None = None
    group_name: str | None = None


def weighted(rng: random.Random, choices) -> str:
    values, weights = zip(*choices)
    return rng.choices(values, weights)[0]


def make_customers(rng: random.Random, count: int, start: date, until: date) -> list[Customer]:
    """`count` customers C0001..., each with an identity, a habit and its dates."""
    used: set[str] = set()
    identities = _groups(rng, count, used)
    while len(identities) < count:
        identities.append(_identity(rng, used))
    rng.shuffle(identities)
    habits = _habits(rng, identities)
    emails: set[str] = set()
    return [_customer(rng, f"C{n + 1:04d}", ident, habits[n], start, until, emails)
            for n, ident in enumerate(identities)]


def _groups(rng: random.Random, count: int, used: set[str]) -> list[_Identity]:
    """3-5 groups of 2-4 related companies (fewer for a small demo); one group is foreign."""
    members: list[_Identity] = []
    groups = min(rng.randint(3, 5), count // 8)
    words = rng.sample(names.TRADE_WORDS, groups)
    for g in range(groups):
        code, english = f"G{g + 1:02d}", g == groups - 1 and groups >= 3
        prefix = rng.choice(names.EN_PREFIXES)
        group_name = f"{prefix} Group" if english else f"{words[g]}集团"
        for m in range(rng.randint(2, 4)):
            segment = KEY if m == 0 else weighted(rng, ((KEY, 1), (STANDARD, 2)))
            if english:
                country = rng.choice(("HK", "SG", "US", "DE"))
                name = names.unique(rng, used, lambda r: names.english_company(r, country, prefix))
            else:
                country = "CN"
                name = names.unique(rng, used, lambda r: names.chinese_company(r, words[g]))
            members.append(_Identity(name, country, "en" if english else "zh", segment, code, group_name))
    return members


def _identity(rng: random.Random, used: set[str]) -> _Identity:
    """~70 % Chinese names; of the English ones about half are abroad (HK, SG, US, DE)."""
    segment = weighted(rng, SEGMENTS)
    if rng.random() < 0.7:
        return _Identity(names.unique(rng, used, names.chinese_company), "CN", "zh", segment)
    country = weighted(rng, FOREIGN) if rng.random() < 0.55 else "CN"
    return _Identity(names.unique(rng, used, lambda r: names.english_company(r, country)), country, "en", segment)


def _habits(rng: random.Random, identities: list[_Identity]) -> list[str]:
    """One habit per customer; write-offs and deteriorating payers are never key accounts."""
    count = len(identities)
    write_offs = min(rng.randint(2, 4), max(count // 10, 1 if count >= 6 else 0))
    rest = count - write_offs
    quotas = {habit: max(1, round(rest * share / 100)) if rest >= 10 else 0 for habit, share in HABIT_SHARES}
    special = [WRITE_OFF] * write_offs + [DETERIORATING] * quotas.pop(DETERIORATING)
    others = [habit for habit, n in quotas.items() for _ in range(n)]
    others += [PROMPT] * max(count - len(special) - len(others), 0)
    rng.shuffle(others)
    order = sorted(range(count), key=lambda i: (identities[i].segment == KEY, rng.random()))
    habits = [""] * count
    for index, habit in zip(order, special + others):
        habits[index] = habit
    return habits


def _customer(rng: random.Random, code: str, ident: _Identity, habit: str, start: date, until: date,
              emails: set[str]) -> Customer:
    country, language = ident.country, ident.language
    if language == "zh":
        contact, local = names.chinese_contact(rng)
    else:
        contact, local = names.english_contact(rng, country)
    terms = weighted(rng, TERMS[ident.segment] if country == "CN" else FOREIGN_TERMS)
    collector = ENGLISH_COLLECTOR if language == "en" else rng.choice(CHINESE_COLLECTORS)
    first_month, turn, stop, last_invoice = _dates(rng, habit, start, until)
    statement = habit in (PROMPT, LATE, SEASONAL) and rng.random() < (0.5 if terms.startswith("EOM") else 0.1)
    return Customer(
        code, ident.name, ident.group_code, ident.group_name, country, rng.choice(CURRENCIES[country]),
        language, ident.segment, collector, contact, names.contact_email(local, language, emails),
        names.phone(rng, country), terms, habit, first_month, rng.randint(70, 130), rng.randint(15, 45),
        turn, stop, last_invoice, statement,
    )


def _dates(rng: random.Random, habit: str, start: date, until: date):
    """(first invoice month, turn, stop, last invoice) for the habit."""
    span = (until - start).days
    if habit == WRITE_OFF:
        stop = max(start + timedelta(days=min(90, span // 3)), until - timedelta(days=rng.randint(270, 450)))
        return start, None, stop, stop + timedelta(days=rng.randint(0, 20))
    if habit == DETERIORATING:
        turn = start + timedelta(days=span // 2)
        return start, turn, max(turn, until - timedelta(days=rng.randint(60, 110))), None
    if rng.random() < 0.15 and span > 90:
        offset = rng.randint(30, span * 2 // 3)
        return (start + timedelta(days=offset)).replace(day=1), None, None, None
    return start, None, None, None
