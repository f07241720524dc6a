"""Each customer's payment behaviour: amount-weighted days to pay and days late on settled invoices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, Date, Select, select

from credo.domain.money import from_minor
from credo.services import lookups
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, money_text, ratio_text, ratio_value
from credo.store import queries
from credo.store.tables import customers


@dataclass(frozen=True)
class BehaviourLine:
    customer: str
    name: str
    invoices: int
    paid_late: int
    amount: Decimal
    days_to_pay: Decimal | None
    days_late: Decimal | None

    def to_json(self) -> dict:
        return {"customer": self.customer, "name": self.name, "invoices": self.invoices,
                "paid_late": self.paid_late, "amount": money_text(self.amount),
                "average_days_to_pay": ratio_text(self.days_to_pay), "average_days_late": ratio_text(self.days_late)}


@dataclass(frozen=True)
class BehaviourReport:
    as_of: date
    months: int
    currency: str
    rows: tuple[BehaviourLine, ...]

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "months": self.months, "currency": self.currency,
                "rows": [r.to_json() for r in self.rows]}

    def table(self) -> Tabular:
        columns = ["customer", "name", "invoices", "paid_late", "amount", "avg_days_to_pay", "avg_days_late"]
        rows = [[r.customer, r.name, r.invoices, r.paid_late, r.amount, ratio_value(r.days_to_pay),
                 ratio_value(r.days_late)] for r in self.rows]
        return Tabular(f"Payment behaviour, {self.months} months to {self.as_of} ({self.currency})", columns, rows)


def behaviour_report(conn: Connection, company: Company, as_of: date, months: int = 12,
                     among: Select | None = None, customer_id: int | None = None,
                     named: tuple[str, str] | None = None) -> BehaviourReport:
    """Invoices settled within `months` before as_of; weights in base currency at the as-of rate.
    `among`: these customers only; `customer_id`: one customer, from a statement built once, and
    `named` its code and name when the caller has its row (one read fewer)."""
    start = as_of - relativedelta(months=months) + relativedelta(days=1)
    convert = Converter.load(conn, company, as_of)
    who = select(customers.c.id, customers.c.code, customers.c.name).where(customers.c.company_id == company.id)
    if customer_id is not None:
        who = who.where(customers.c.id == customer_id)
        query = _one_customer(conn.dialect.name)
        params = queries.one_customer(company.id, customer_id, start=start, as_of=as_of)
    else:
        query, params = queries.settled_invoices(conn.dialect.name, company.id, start, as_of, among), None
        if among is not None:  # one customer's page needs one name, not the company's 20,000
            who = who.where(customers.c.id.in_(among))
    names = {customer_id: named} if customer_id is not None and named else None
    acc: dict[int, list] = {}
    for row in conn.execute(query, params):
        rate = convert.rate(row.currency)
        line = acc.setdefault(row.customer_id, [0, 0, [], [], []])
        line[0] += row.invoices
        line[1] += row.paid_late
        line[2].append(convert(row.amount, row.currency))
        # amount x days over amount: the same rate on both sides, in major units to stay exact.
        line[3].append((from_minor(row.amount, row.currency) * rate, from_minor(row.weighted_days_to_pay, row.currency) * rate))
        line[4].append((from_minor(row.amount, row.currency) * rate, from_minor(row.weighted_days_late, row.currency) * rate))
    if names is None:
        names = {r.id: (r.code, r.name) for r in conn.execute(who)} if acc else {}
    rows = []
    for customer_id, (count, late, amounts, to_pay, days_late) in acc.items():
        code, name = names[customer_id]
        rows.append(BehaviourLine(code, name, count, late, sum(amounts, convert(0, convert.currency)),
                                  _ratio(to_pay), _ratio(days_late)))
    return BehaviourReport(as_of, months, convert.currency, tuple(sorted(rows, key=lambda r: r.customer)))


@lru_cache(maxsize=4)
def _one_customer(dialect: str) -> Select:
    """`settled_invoices` of one customer with named parameters (company_id, customer_id, start,
    as_of): built once, not for every customer page."""
    return queries.settled_invoices(dialect, queries.named("company_id"), queries.named("start", Date),
                                    queries.named("as_of", Date), queries.ONE_CUSTOMER)


def _ratio(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    weight = sum(w for w, _ in pairs)
    return sum(v for _, v in pairs) / weight if weight else None


def customer_behaviour(conn: Connection, company: Company, as_of: date, months: int,
                       customer_id: int, named: tuple[str, str] | None = None) -> BehaviourLine | None:
    """One customer's line (None: nothing settled in the window); once per `lookups` block, as the
    customer 360 and the credit assessment both ask for it. `named`: its code and name, if known."""
    def line() -> BehaviourLine | None:
        rows = behaviour_report(conn, company, as_of, months, customer_id=customer_id, named=named).rows
        return rows[0] if rows else None

    return lookups.once(("behaviour", company.id, as_of, months, customer_id), line)
