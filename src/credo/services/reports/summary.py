"""The portfolio at a glance (what `make run` shows until the web app exists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from credo.services.companies import Company
from credo.services.reports.aging import AgingReport, aging_report
from credo.services.reports.common import Tabular, ratio_text
from credo.services.reports.dso import DsoReport, dso_report
from credo.services.reports.period import PeriodMetrics, period_metrics


@dataclass(frozen=True)
class PortfolioSummary:
    company: Company
    as_of: date
    currency: str
    aging: AgingReport
    dso: DsoReport
    countback: DsoReport
    year: PeriodMetrics
    top: int

    def tables(self) -> list[Tabular]:
        a = self.aging
        totals = Tabular("Aging (all customers)", [*a.labels, "total", "unapplied", "net"],
                         [[*a.totals.buckets.values(), a.totals.total, a.totals.unapplied, a.totals.net]])
        year = self.year.values()
        measures = Tabular("Measures", ["measure", "value"], [
            ["DSO, standard, 90 days", ratio_text(self.dso.total.dso)],
            ["DSO, countback", ratio_text(self.countback.total.dso)],
            ["Best possible DSO", ratio_text(self.dso.total.best_possible)],
            ["Average days delinquent", ratio_text(self.dso.total.delinquent)],
            ["Overdue ratio %", ratio_text(year["overdue_ratio"])],
            [f"CEI %, {self.year.start} to {self.year.end}", ratio_text(year["cei"])],
            ["Collection rate % (回款率), same period", ratio_text(year["collection_rate"])],
            ["AR turnover days, same period", ratio_text(year["ar_turnover_days"])],
        ])
        overdue = sorted(a.rows, key=lambda r: r.total - r.buckets[a.labels[0]], reverse=True)
        overdue = [r for r in overdue if r.total - r.buckets[a.labels[0]] > 0][: self.top]
        top = Tabular(f"Top {self.top} overdue customers", ["customer", "name", "overdue", *a.labels[1:], "total"],
                      [[r.key, r.name, r.total - r.buckets[a.labels[0]], *[r.buckets[b] for b in a.labels[1:]],
                        r.total] for r in overdue])
        return [totals, measures, top]


def portfolio_summary(conn: Connection, company: Company, as_of: date, top: int = 10) -> PortfolioSummary:
    aging = aging_report(conn, company, as_of)
    dso = dso_report(conn, company, as_of, days=90)
    countback = dso_report(conn, company, as_of, days=90, method="countback")
    year = period_metrics(conn, company, as_of - relativedelta(months=12) + relativedelta(days=1), as_of)
    return PortfolioSummary(company, as_of, aging.currency, aging, dso, countback, year, top)
