"""What the period close page shows at a glance: the lock date, the closes, and for each stored
month-end a line of its figures (aging total and overdue, allowance, standard DSO, breaches)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from sqlalchemy import Connection

from credo.services.closing.close import Closed, list_closes, stored_figures
from credo.services.closing.figures import Figure
from credo.services.companies import Company
from credo.services.periods import lock_of


@dataclass(frozen=True)
class MonthEnd:
    """One stored month-end in a line (amounts in the company's currency; dso None without sales)."""

    as_of: date
    currency: str
    aging_total: Decimal
    overdue: Decimal
    allowance: Decimal
    dso: Decimal | None
    breaches: int


@dataclass(frozen=True)
class Overview:
    locked_until: date | None
    closes: list[Closed]
    month_ends: list[MonthEnd]  # the latest first


def month_end_line(figures: list[Figure]) -> MonthEnd:
    """The line of one month-end's four stored figures; overdue is what is not in the not-due bucket."""
    body = {f.kind: f.body for f in figures}
    totals = body["aging"]["totals"]
    dso = body["dso"]["standard"]["dso"]
    return MonthEnd(figures[0].as_of, body["aging"]["currency"], Decimal(totals["total"]),
                    Decimal(totals["total"]) - Decimal(totals["buckets"].get("not_due", "0")),
                    Decimal(body["provision"]["total_allowance"]), None if dso is None else Decimal(dso),
                    len(body["warnings"]["breaches"]))


def overview(conn: Connection, company: Company) -> Overview:
    """The lock date, every close (latest first) and a line per month-end the closes in force stored."""
    lines = [month_end_line(list(day)) for _, day in groupby(stored_figures(conn, company), key=lambda f: f.as_of)]
    return Overview(lock_of(conn, company.id).locked_until, list_closes(conn, company), lines[::-1])
