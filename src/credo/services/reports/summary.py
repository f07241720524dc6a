"""The portfolio at a glance (what `make run` shows until the web app exists)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from credo.domain.aging import DEFAULT_LIMITS, parse_buckets
from credo.services.companies import Company
from credo.services.reports.aging import AgingReport, aging_report
from credo.services.reports.common import Tabular, json_value, ratio_text
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

    def to_json(self) -> dict:
        """The same figures as the tables: aging totals, the measures, the customers most overdue."""
        a = self.aging
        return {"company": self.company.code, "name": self.company.name, "as_of": self.as_of.isoformat(),
                "currency": self.currency, "buckets": list(a.labels),
                "aging": {k: v for k, v in a.totals.to_json().items() if k not in ("key", "name")},
                "dso": self.dso.to_json(), "countback_dso": self.countback.to_json(), "year": self.year.to_json(),
                "top_overdue": [dict(zip(("customer", "name", "overdue", "over_90_days", "total"),
                                         (json_value(v) for v in row))) for row in self._top_overdue().rows]}

    def tables(self) -> list[Tabular]:
        a = self.aging
        total = a.totals.total
        share = lambda amount: ratio_text(amount * 100 / total) if total else None  # noqa: E731
        aging = Tabular("Aging (all customers)", ["bucket", "amount", "%"],
                        [[label, amount, share(amount)] for label, amount in a.totals.buckets.items()])
        aging.rows += [["total open invoices", total, share(total)],
                       ["unapplied cash and credits", -a.totals.unapplied, None],
                       ["net receivables", a.totals.net, None]]
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
        return [aging, measures, self._top_overdue()]

    def _top_overdue(self) -> Tabular:
        a = self.aging
        over_90 = [b.label for b in parse_buckets(None) if b.low is not None and b.low > 90]
        rows = sorted((r for r in a.rows if r.overdue_minor > 0), key=lambda r: r.overdue_minor, reverse=True)[: self.top]
        return Tabular(f"Top {self.top} overdue customers", ["customer", "name", "overdue", "over 90 days", "total"],
                       [[r.key, r.name, r.overdue, sum((r.buckets[b] for b in over_90), r.total * 0), r.total]
                        for r in rows])


def portfolio_summary(conn: Connection, company: Company, as_of: date, top: int = 10) -> PortfolioSummary:
    aging = aging_report(conn, company, as_of, DEFAULT_LIMITS)  # its "over 90 days" needs a bound at 90
    dso = dso_report(conn, company, as_of, days=90)
    countback = dso_report(conn, company, as_of, days=90, method="countback")
    year = period_metrics(conn, company, as_of - relativedelta(months=12) + relativedelta(days=1), as_of)
    return PortfolioSummary(company, as_of, aging.currency, aging, dso, countback, year, top)
