"""The early warnings' indicators, each read for every customer of a company as of a date with
set-based SQL (the report queries' own, store/queries.py), from records dated on or before it.

Only non-zero readings are returned: a rule breaches when a value is over its threshold (0 or
more), so a zero never breaches, and a subject with no reading is one the scan found clear.
Amounts are in the base currency at the rates of the date (services/reports/common.Converter).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Sequence

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, case, exists, func, select

from credo.domain.credit.limits import lines_in_force
from credo.domain.money import to_minor
from credo.errors import InvalidInput
from credo.domain.risk.warnings import (SLOWDOWN_PRIOR_MONTHS, SLOWDOWN_RECENT_DAYS, Reading, Rule, needed, share,
                                        slowdown, steps_down, weighted_days, windows)
from credo.services.access import EVERYONE
from credo.services.companies import Company
from credo.services.credit.exposure import open_orders
from credo.services.credit.lines import _line
from credo.services.reports.common import Converter, sum_by
from credo.store import queries
from credo.store.collections_tables import disputes
from credo.store.credit_tables import credit_assessments
from credo.store.limit_tables import credit_lines
from credo.store.risk_alert_tables import risk_flags
from credo.store.tables import customer_groups, customers, invoices, payments


EARLIEST, LATEST = date(1901, 1, 1), date(9998, 12, 31)  # the windows reach back 15 months from the date


class Ledger:
    """What several indicators share, read once per scan: customer codes and groups, and the
    receivables per customer (open invoices less unapplied cash and credit notes)."""

    def __init__(self, conn: Connection, company: Company, as_of: date, convert: Converter):
        self.conn, self.company, self.as_of, self.convert = conn, company, as_of, convert
        c, g = customers.c, customer_groups.c
        rows = conn.execute(select(c.id, c.code, g.code.label("group_code"))
                            .select_from(customers.outerjoin(customer_groups, g.id == c.group_id))
                            .where(c.company_id == company.id)).all()
        self.code = {r.id: r.code for r in rows}
        self.group_of = {r.code: r.group_code for r in rows if r.group_code}
        self._owed: dict[str, dict] | None = None

    @property
    def everyone(self):
        return queries.among_customers(self.company.id, customers.c.company_id == self.company.id)

    @property
    def owed(self) -> dict[str, dict]:
        """code -> {"total": open invoices, "overdue": the part past its due date, "credit": unapplied
        cash and credit notes} (base currency), from one statement."""
        if self._owed is None:
            _, overdue = queries.due_split(self.as_of)
            sides = queries.receivable_sides(self.company.id, self.as_of, None,
                                             [("total", queries.total_open), ("overdue", overdue)])
            self._owed = sum_by(self.conn, queries.side_by_side(sides, "customer"), self.convert,
                                ["credit", "total", "overdue"])
        return self._owed

    def receivables(self) -> dict[str, Decimal]:
        """code -> open invoices less unapplied cash and credit notes."""
        return {code: sums["total"] - sums["credit"] for code, sums in self.owed.items()}


def _day(value) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: aggregates of dates as text


def days_past_due(ledger: Ledger) -> list[Reading]:
    items = queries.open_invoice_items(ledger.company.id, ledger.as_of).order_by(None).subquery()
    query = (select(items.c.customer_id, func.min(items.c.due_date)).where(items.c.due_date < ledger.as_of)
             .group_by(items.c.customer_id))
    return [Reading("days_past_due", ledger.code[customer_id], Decimal((ledger.as_of - _day(oldest)).days),
                    detail=f"oldest due {_day(oldest).isoformat()}")
            for customer_id, oldest in ledger.conn.execute(query)]


def overdue_amount(ledger: Ledger) -> list[Reading]:
    return [Reading("overdue_amount", code, sums["overdue"], detail=ledger.convert.currency)
            for code, sums in ledger.owed.items() if sums["overdue"] > 0]


def limit_utilisation(ledger: Ledger) -> list[Reading]:
    """Exposure (receivables + open orders not invoiced) over the line in force, of each customer
    with a line of its own and each group with a group line (its members' exposure added up)."""
    c = credit_lines.c
    rows = ledger.conn.execute(select(credit_lines, customer_groups.c.code.label("group_code"))
                               .select_from(credit_lines.outerjoin(customer_groups, customer_groups.c.id == c.group_id))
                               .where(c.company_id == ledger.company.id, c.valid_from <= ledger.as_of)
                               .order_by(c.id)).all()
    by_owner: dict[str, list] = defaultdict(list)
    for row in rows:
        by_owner[ledger.code[row.customer_id] if row.customer_id else f"group:{row.group_code}"].append(_line(row))
    if not by_owner:
        return []
    exposure = ledger.receivables()
    ordered = sum_by(ledger.conn, open_orders(ledger.company.id, ledger.as_of, ledger.everyone), ledger.convert,
                     ["total"])
    for code, sums in ordered.items():
        exposure[code] = exposure.get(code, Decimal(0)) + sums["total"]
    for code, group in ledger.group_of.items():
        if code in exposure:
            exposure[f"group:{group}"] = exposure.get(f"group:{group}", Decimal(0)) + exposure[code]
    out = []
    for subject, lines in sorted(by_owner.items()):
        line = lines_in_force(lines, ledger.as_of).governing
        if line is None:
            continue
        limit = ledger.convert(to_minor(line.amount, line.currency), line.currency)
        used = exposure.get(subject, Decimal(0))
        value = share(used, limit)
        if value is not None and value > 0:
            out.append(Reading("limit_utilisation", subject, value,
                               detail=f"exposure {used} of limit {limit} {ledger.convert.currency}"))
    return out


def concentration(ledger: Ledger, groups: bool) -> list[Reading]:
    """A customer's (or a group's) receivables over the company's: the positive balances added up."""
    positive = {code: amount for code, amount in ledger.receivables().items() if amount > 0}
    total = sum(positive.values(), Decimal(0))
    if groups:
        summed: dict[str, Decimal] = defaultdict(Decimal)
        for code, amount in positive.items():
            if code in ledger.group_of:
                summed[f"group:{ledger.group_of[code]}"] += amount
        positive = summed
    indicator = "group_concentration" if groups else "concentration"
    return [Reading(indicator, code, share(amount, total), detail=f"{amount} of {total} {ledger.convert.currency}")
            for code, amount in sorted(positive.items())]


def broken_promises(ledger: Ledger, window: int) -> list[Reading]:
    from credo.services.collections.promises import list_promises

    counted: dict[str, int] = defaultdict(int)
    since = ledger.as_of - timedelta(days=window)
    for promise in list_promises(ledger.conn, ledger.company, EVERYONE, ledger.as_of, standing="broken"):
        if date.fromisoformat(promise["deadline"]) > since:
            counted[promise["customer"]] += 1
    return [Reading("broken_promises", code, Decimal(n), window, f"in {window} days") for code, n in counted.items()]


def payment_slowdown(ledger: Ledger) -> list[Reading]:
    """Amount-weighted days late of the invoices settled in the last 90 days less those settled in
    the 12 months before them (both periods needed)."""
    prior_end = ledger.as_of - timedelta(days=SLOWDOWN_RECENT_DAYS)
    prior_start = prior_end - relativedelta(months=SLOWDOWN_PRIOR_MONTHS) + timedelta(days=1)
    recent, prior = _weighted_late(ledger, prior_start, prior_end)
    out = []
    for code in sorted(set(recent) & set(prior)):
        value = slowdown(recent[code], prior[code])
        if value is not None and value > 0:
            out.append(Reading("payment_slowdown", code, value,
                               detail=f"{recent[code]} days late in {SLOWDOWN_RECENT_DAYS} days, "
                                      f"{prior[code]} in the {SLOWDOWN_PRIOR_MONTHS} months before"))
    return out


def _weighted_late(ledger: Ledger, start: date, split: date) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each customer's amount-weighted days late of the invoices settled after `split` (to the
    as-of date) and of those settled from `start` to `split`: one pass over the allocations."""
    query = queries.settled_invoices(ledger.conn.dialect.name, ledger.company.id, start, ledger.as_of, split=split)
    amounts: tuple[dict, dict] = (defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0]))
    for row in ledger.conn.execute(query):
        into = ledger.convert.minor_into(row.currency)
        both = amounts[0 if row.recent else 1][ledger.code[row.customer_id]]
        both[0] += into(int(row.amount))
        both[1] += into(int(row.weighted_days_late or 0))
    recent, prior = ({code: weighted_days(late, amount) for code, (amount, late) in period.items() if amount > 0}
                     for period in amounts)
    return recent, prior


def assessments(ledger: Ledger, wanted: set[str]) -> list[Reading]:
    """Rating steps down and score points lost from the assessment before the latest, and whether
    the latest one's Altman zone is distress: of the assessments recorded as of the date or before."""
    from credo.services.credit.setup import policy_for

    a = credit_assessments.c
    ranked = (select(a.customer_id, a.as_of, a.rating, a.score, a.inputs,
                     func.row_number().over(partition_by=a.customer_id, order_by=(a.as_of.desc(), a.id.desc()))
                     .label("n"))
              .where(a.company_id == ledger.company.id, a.as_of <= ledger.as_of).subquery())
    latest: dict[int, dict] = {}
    before: dict[int, dict] = {}
    for row in ledger.conn.execute(select(ranked).where(ranked.c.n <= 2)):
        (latest if row.n == 1 else before)[row.customer_id] = row._mapping
    ladder = [r.letter for r in policy_for(ledger.conn, ledger.company).ratings]
    out = []
    for customer_id, now in sorted(latest.items()):
        code, then = ledger.code[customer_id], before.get(customer_id)
        if then is not None and "rating_downgrade" in wanted:
            steps = steps_down(then["rating"], now["rating"], ladder)
            if steps:
                out.append(Reading("rating_downgrade", code, Decimal(steps),
                                   detail=f"{then['rating']} ({_day(then['as_of'])}) to {now['rating']} ({_day(now['as_of'])})"))
        if then is not None and "score_drop" in wanted and then["score"] > now["score"]:
            out.append(Reading("score_drop", code, Decimal(then["score"] - now["score"]),
                               detail=f"{then['score']} to {now['score']}"))
        if "altman_distress" in wanted:
            z = json.loads(now["inputs"]).get("z") or {}
            if z.get("zone") == "distress":
                out.append(Reading("altman_distress", code, Decimal(1),
                                   detail=f"{z.get('model')} {z.get('value')} as of {_day(now['as_of'])}"))
    return out


def dispute_rate(ledger: Ledger, window: int) -> list[Reading]:
    """Of the invoices issued within the window, the share with a dispute opened by the date."""
    i, d = invoices.c, disputes.c
    disputed = exists().where(d.invoice_id == i.id, d.opened_on <= ledger.as_of)
    query = (select(i.customer_id, func.count().label("issued"), func.sum(case((disputed, 1), else_=0)).label("disputed"))
             .where(i.company_id == ledger.company.id, i.issue_date > ledger.as_of - timedelta(days=window),
                    i.issue_date <= ledger.as_of)
             .group_by(i.customer_id))
    return [Reading("dispute_rate", ledger.code[r.customer_id], share(int(r.disputed), r.issued), window,
                    f"{int(r.disputed)} of {r.issued} invoices")
            for r in ledger.conn.execute(query) if r.disputed]


def returned_payments(ledger: Ledger, window: int) -> list[Reading]:
    """Payments reversed (bounced, returned) within the window."""
    p = payments.c
    query = (select(p.customer_id, func.count()).where(
        p.company_id == ledger.company.id, p.reversed_on > ledger.as_of - timedelta(days=window),
        p.reversed_on <= ledger.as_of, p.payment_date <= ledger.as_of).group_by(p.customer_id))
    return [Reading("returned_payments", ledger.code[customer_id], Decimal(n), window, f"in {window} days")
            for customer_id, n in ledger.conn.execute(query)]


def manual_flags(ledger: Ledger) -> list[Reading]:
    f = risk_flags.c
    kinds: dict[str, list[str]] = defaultdict(list)
    for customer_id, kind in ledger.conn.execute(
            select(f.customer_id, f.kind).where(f.company_id == ledger.company.id, f.flagged_on <= ledger.as_of,
                                                (f.cleared_on.is_(None)) | (f.cleared_on > ledger.as_of))
            .order_by(f.id)):
        kinds[ledger.code[customer_id]].append(kind)
    return [Reading("manual_flags", code, Decimal(len(found)), detail=", ".join(found)) for code, found in kinds.items()]


def read_indicators(conn: Connection, company: Company, as_of: date, rules: Sequence[Rule],
                    convert: Converter | None = None) -> list[Reading]:
    """Every reading the active rules need, as of the date."""
    if not EARLIEST <= as_of <= LATEST:
        raise InvalidInput(f"as of {as_of}: use a date from {EARLIEST} to {LATEST}")
    ledger = Ledger(conn, company, as_of, convert or Converter.load(conn, company, as_of))
    wanted = needed(rules)
    plain: dict[str, Callable[[], list[Reading]]] = {
        "days_past_due": lambda: days_past_due(ledger),
        "overdue_amount": lambda: overdue_amount(ledger),
        "limit_utilisation": lambda: limit_utilisation(ledger),
        "payment_slowdown": lambda: payment_slowdown(ledger),
        "concentration": lambda: concentration(ledger, False),
        "group_concentration": lambda: concentration(ledger, True),
        "manual_flags": lambda: manual_flags(ledger),
    }
    windowed = {"broken_promises": broken_promises, "dispute_rate": dispute_rate,
                "returned_payments": returned_payments}
    out: list[Reading] = []
    for indicator, read in plain.items():
        if indicator in wanted:
            out += read()
    for indicator, read_window in windowed.items():
        for window in windows(rules, indicator):
            out += read_window(ledger, window)
    if wanted & {"rating_downgrade", "score_drop", "altman_distress"}:
        out += assessments(ledger, wanted)
    return out
