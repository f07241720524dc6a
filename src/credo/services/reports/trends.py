"""Monthly trends of the measures over a date range, one line per month end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from credo.domain import metrics
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports.common import Tabular, json_value, ratio_value, same_rows
from credo.services.reports.dso import dso_report
from credo.services.reports.period import PeriodMetrics, period_metrics


@dataclass(frozen=True)
class TrendPoint:
    month_end: date
    month: PeriodMetrics
    dso: object  # DsoLine over the trailing `days`

    def figures(self) -> dict:
        """The month's figures, typed (the table's cells; `to_json` writes them as text)."""
        values = self.month.values()
        return {
            "month_end": self.month_end,
            "receivables": self.month.closing_receivables,
            "overdue": self.month.closing_overdue,
            "credit_sales": self.month.credit_sales,
            "collected": self.month.collected,
            "dso": ratio_value(self.dso.dso),
            "best_possible_dso": ratio_value(self.dso.best_possible),
            "overdue_ratio": ratio_value(values["overdue_ratio"], 2),
            "cei": ratio_value(values["cei"], 2),
            "collection_rate": ratio_value(values["collection_rate"], 2),
        }

    def to_json(self) -> dict:
        return {name: json_value(value) for name, value in self.figures().items()}


@dataclass(frozen=True)
class TrendReport:
    start: date
    end: date
    days: int
    currency: str
    points: tuple[TrendPoint, ...]

    def to_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "dso_days": self.days,
                "currency": self.currency, "months": [p.to_json() for p in self.points]}

    def table(self) -> Tabular:
        points = [p.figures() for p in self.points]
        columns = list(points[0]) if points else ["month_end"]
        return Tabular(f"Monthly trends {self.start} to {self.end} ({self.currency})", columns,
                       [list(p.values()) for p in points])


def trend_report(conn: Connection, company: Company, start: date, end: date, days: int = 90) -> TrendReport:
    """Month by month: receivables, overdue, DSO over the trailing `days`, CEI and 回款率 of the month."""
    if start > end:
        raise InvalidInput(f"--from {start} is after --to {end}")
    points = []
    month_start = start
    with same_rows(conn):
        for month_end in metrics.month_ends(start, end):
            month = period_metrics(conn, company, month_start, month_end)
            dso = dso_report(conn, company, month_end, days=days).total
            points.append(TrendPoint(month_end, month, dso))
            month_start = date.fromordinal(month_end.toordinal() + 1)
    currency = points[0].month.currency if points else company.base_currency
    return TrendReport(start, end, days, currency, tuple(points))
