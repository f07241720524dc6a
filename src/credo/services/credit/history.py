"""The ledger's own history as labelled records for the statistical scorecard: for each customer
known by a date (an invoice issued on or before it), what the ledger said of it then, and whether
it went 90+ days past due within the months that followed (the label: bad).

Features as of the date: its last 12 months of payment behaviour (invoices settled, share paid
late, average days to pay and days late, weighted by amount), its open receivables and the shares
overdue and over 90 days past due, and its segment, country and currency. Nothing dated after the
date enters a feature; only the label looks forward, so the file can train a model that is then
applied to today's customers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, select

from credo import clock
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import behaviour_report
from credo.services.reports.common import Tabular, money_text, ratio_text
from credo.store import queries
from credo.store.tables import customers, invoices

COLUMNS = ("customer_code", "segment", "country", "currency", "settled_12m", "late_share", "average_days_to_pay",
           "average_days_late", "open_amount", "overdue_share", "over_90_share", "label")
ID_COLUMN, LABEL_COLUMN = "customer_code", "label"


@dataclass(frozen=True)
class History:
    as_of: date
    months: int
    rows: list[list]

    @property
    def bad(self) -> int:
        return sum(1 for r in self.rows if r[-1] == "bad")

    def table(self) -> Tabular:
        return Tabular(f"Customers as of {self.as_of}, labelled bad when 90+ days past due within {self.months} "
                       f"months: {self.bad} of {len(self.rows)}", list(COLUMNS), self.rows)

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "months": self.months, "rows": [dict(zip(COLUMNS, r)) for r in self.rows]}


def labelled_history(conn: Connection, company: Company, as_of: date, months: int = 12,
                     today: date | None = None) -> History:
    if not 1 <= months <= 36:
        raise InvalidInput(f"--months {months}: use 1 to 36")
    until = as_of + relativedelta(months=months)
    today = today or clock.today()
    if until > today:
        raise InvalidInput(f"the label needs {months} months after --as-of {as_of} (until {until}), and the ledger "
                           f"goes to {today}: use a date on or before {today - relativedelta(months=months)}")
    c, i = customers.c, invoices.c
    known = conn.execute(
        select(c.id, c.code, c.segment, c.country, c.currency)
        .where(c.company_id == company.id,
               c.id.in_(select(i.customer_id).where(i.company_id == company.id, i.issue_date <= as_of)))
        .order_by(c.code)).all()
    bad = set(conn.execute(queries.went_90_past_due(conn.dialect.name, company.id, as_of, until)).scalars())
    behaviour = {line.customer: line for line in behaviour_report(conn, company, as_of, 12).rows}
    aging = {line.key: line for line in aging_report(conn, company, as_of, "30,60,90").rows}
    rows = []
    for customer_id, code, segment, country, currency in known:
        b, a = behaviour.get(code), aging.get(code)
        total = a.total if a else Decimal(0)
        over_90 = a.amounts[-1] if a else Decimal(0)  # the ladder 30,60,90: its last bucket is over 90 days
        rows.append([code, segment or "", country or "", currency or "",
                     b.invoices if b else 0, _share(b.paid_late, b.invoices) if b else "",
                     ratio_text(b.days_to_pay) or "" if b else "", ratio_text(b.days_late) or "" if b else "",
                     money_text(total), _share(a.overdue, total) if a else "", _share(over_90, total) if a else "",
                     "bad" if customer_id in bad else "good"])
    return History(as_of, months, rows)


def _share(part, whole) -> str:
    return ratio_text(Decimal(part) / Decimal(whole), 4) if whole else ""
