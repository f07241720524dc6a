"""The period's measures: AR turnover, CEI, collection rate (回款率), overdue ratio, DSO."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from credo.domain import metrics
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports import measures
from credo.services.reports.common import Converter, Tabular, json_value, ratio_value

ALL = measures.ALL


@dataclass(frozen=True)
class PeriodMetrics:
    start: date
    end: date
    currency: str
    opening_receivables: Decimal
    closing_receivables: Decimal
    credit_sales: Decimal
    closing_open: Decimal
    closing_current: Decimal
    closing_overdue: Decimal
    due: Decimal
    credited: Decimal
    collected: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def turnover(self) -> Decimal | None:
        average = (self.opening_receivables + self.closing_receivables) / 2
        return metrics.ar_turnover(self.credit_sales, average)

    def values(self) -> dict[str, Decimal | None]:
        dso = metrics.dso_standard(self.closing_receivables, self.credit_sales, self.days)
        bpdso = metrics.best_possible_dso(self.closing_current, self.credit_sales, self.days)
        return {
            "ar_turnover": self.turnover,
            "ar_turnover_days": metrics.turnover_days(self.days, self.turnover),
            "cei": metrics.cei(self.opening_receivables, self.credit_sales, self.closing_receivables,
                               self.closing_current),
            "collection_rate": metrics.collection_rate(self.collected, self.due - self.credited),
            "overdue_ratio": metrics.overdue_ratio(self.closing_overdue, self.closing_open),
            "dso": dso,
            "best_possible_dso": bpdso,
            "average_days_delinquent": metrics.average_days_delinquent(dso, bpdso),
        }

    def figures(self) -> dict:
        """days, the rounded measures and the amounts behind them, typed (the table and the JSON)."""
        amounts = {
            "opening_receivables": self.opening_receivables, "closing_receivables": self.closing_receivables,
            "credit_sales": self.credit_sales, "closing_open_invoices": self.closing_open,
            "closing_current": self.closing_current, "closing_overdue": self.closing_overdue,
            "due_in_period": self.due - self.credited, "collected_in_period": self.collected,
        }
        return {"days": self.days, **{k: ratio_value(v, 2) for k, v in self.values().items()}, **amounts}

    def to_json(self) -> dict:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days,
               "currency": self.currency}
        out.update({k: json_value(v) for k, v in self.figures().items()})
        return out

    def table(self) -> Tabular:
        rows = [[k, v] for k, v in self.figures().items()]
        return Tabular(f"Measures {self.start} to {self.end} ({self.currency})", ["measure", "value"], rows)


def default_period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period a person means: to `end` (default today), from `start` (default a year before)."""
    last = end or today
    first = start or last - relativedelta(months=12) + relativedelta(days=1)
    if first > last:
        raise InvalidInput(f"the period starts ({first}) after it ends ({last})")
    return first, last


def period_metrics(conn: Connection, company: Company, start: date, end: date) -> PeriodMetrics:
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    convert = Converter.load(conn, company, end)
    opening = measures.receivables(conn, company, measures.day_before(start), convert)[ALL]["receivables"]
    split = measures.receivables(conn, company, end, convert)[ALL]
    closing = split["receivables"]
    sold = measures.sales(conn, company, start, end, convert)[ALL]["sales"]
    flows = measures.collections(conn, company, start, end, convert)
    return PeriodMetrics(start, end, convert.currency, opening, closing, sold, split["open"], split["current"],
                         split["overdue"], flows["due"], flows["credited"], flows["collected"])
