"""Days sales outstanding (DSO), standard or countback, with best possible DSO and ADD."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Select

from credo.domain import metrics
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports import measures
from credo.services.reports.common import Converter, Tabular, money_text, ratio_text, ratio_value

METHODS = ("standard", "countback")
COUNTBACK_MONTHS = 24  # countback looks back at most two years


@dataclass(frozen=True)
class DsoLine:
    key: str
    name: str | None
    dso: Decimal | None
    receivables: Decimal
    credit_sales: Decimal
    current: Decimal
    best_possible: Decimal | None

    @property
    def delinquent(self) -> Decimal | None:
        return metrics.average_days_delinquent(self.dso, self.best_possible)

    def to_json(self) -> dict:
        return {
            "key": self.key, "name": self.name, "dso": ratio_text(self.dso),
            "receivables": money_text(self.receivables), "credit_sales": money_text(self.credit_sales),
            "current_receivables": money_text(self.current),
            "best_possible_dso": ratio_text(self.best_possible), "average_days_delinquent": ratio_text(self.delinquent),
        }


@dataclass(frozen=True)
class DsoReport:
    as_of: date
    days: int
    method: str
    currency: str
    total: DsoLine
    rows: tuple[DsoLine, ...] | None

    def to_json(self) -> dict:
        out = {"as_of": self.as_of.isoformat(), "days": self.days, "method": self.method, "currency": self.currency}
        out.update({k: v for k, v in self.total.to_json().items() if k not in ("key", "name")})
        if self.rows is not None:
            out["rows"] = [r.to_json() for r in self.rows]
        return out

    def table(self) -> Tabular:
        columns = ["key", "name", "dso", "receivables", "credit_sales", "best_possible_dso", "add"]
        lines = self.rows if self.rows is not None else ()
        rows = [_cells(r) for r in lines]
        title = f"DSO ({self.method}, {self.days} days) as of {self.as_of} ({self.currency})"
        return Tabular(title, columns, rows, _cells(self.total))


def _cells(line: DsoLine) -> list:
    return [line.key, line.name or "", ratio_value(line.dso), line.receivables, line.credit_sales,
            ratio_value(line.best_possible), ratio_value(line.delinquent)]


def _countback_sales(conn: Connection, company: Company, windows, owed: dict, sold: dict, days: int,
                     convert: Converter, zero, by: str | None, among: Select | None) -> dict:
    """Sales per month window as w0, w1, ... by key. Reading two years of sales was two thirds of
    the report, and receivables are mostly explained by their last months: the windows the standard
    DSO says the portfolio needs are read first (`metrics.countback_months`), the older ones only
    when some key's receivables (or its current ones) are not explained by them."""
    owing = sum((max(line["receivables"], line["current"], zero) for line in owed.values()), zero)
    first = metrics.countback_months(owing, sum((line["sales"] for line in sold.values()), zero), days, len(windows))
    near = measures.sales_by_window(conn, company, windows[:first], convert, by, among)

    def further(key: str) -> bool:
        sales = [near.get(key, {}).get(f"w{i}", zero) for i in range(first)]
        return any(metrics.countback_unexplained(owed.get(key, {}).get(part, zero), sales) > 0
                   for part in ("receivables", "current"))

    if len(windows) > first and any(further(key) for key in owed):
        far = measures.sales_by_window(conn, company, windows[first:], convert, by, among)
        for key, line in far.items():
            mine = near.setdefault(key, {"name": line["name"]})
            mine.update({f"w{i + first}": line[f"w{i}"] for i in range(len(windows) - first)})
    return near


def dso_report(conn: Connection, company: Company, as_of: date, *, days: int = 90, method: str = "standard",
               by: str | None = None, among: Select | None = None) -> DsoReport:
    """DSO of the company (or per `by` key), of the customers `among` only when given (one customer's DSO)."""
    if method not in METHODS:
        raise InvalidInput(f"unknown DSO method {method!r}: use standard or countback")
    if days < 1:
        raise InvalidInput("--days must be at least 1")
    convert = Converter.load(conn, company, as_of)
    start = as_of - timedelta(days=days - 1)
    owed = measures.receivables(conn, company, as_of, convert, by, among)
    sold = measures.sales(conn, company, start, as_of, convert, by, among)
    zero = convert(0, convert.currency)
    windows = metrics.month_windows(as_of, COUNTBACK_MONTHS) if method == "countback" else []
    by_window = _countback_sales(conn, company, windows, owed, sold, days, convert, zero, by, among) if windows else {}

    def line(key: str) -> DsoLine:
        r = owed.get(key, {}).get("receivables", zero)
        s = sold.get(key, {}).get("sales", zero)
        current = owed.get(key, {}).get("current", zero)
        if method == "standard":
            dso, best = metrics.dso_standard(r, s, days), metrics.best_possible_dso(current, s, days)
        else:  # the best possible DSO counts back the current receivables over the same months
            w = by_window.get(key, {})
            periods = [(w.get(f"w{i}", zero), (end - begin).days + 1) for i, (begin, end) in enumerate(windows)]
            dso, best = metrics.dso_countback(r, periods), metrics.dso_countback(current, periods)
        name = next((d[key]["name"] for d in (owed, sold) if key in d), None)
        label = "total" if key == measures.ALL else key
        return DsoLine(label, name, dso, r, s, current, best)

    rows = None
    if by:
        keys = sorted(set(owed) | set(sold))
        rows = tuple(line(k) for k in keys)
        total = dso_report(conn, company, as_of, days=days, method=method, among=among).total
    else:
        total = line(measures.ALL)
    return DsoReport(as_of, days, method, convert.currency, total, rows)

