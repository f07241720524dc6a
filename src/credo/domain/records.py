"""Frozen records shared by the domain calculations and the services that feed them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice with money still open, as a payment allocation sees it."""

    number: str
    issue_date: date
    due_date: date
    open_amount: Decimal


@dataclass(frozen=True)
class AgedItem:
    """One open item for aging: key groups it (customer, group, collector...)."""

    key: str
    issue_date: date
    due_date: date
    open_amount: Decimal
