"""What a letter's table of open items accepts and how it adds up, before anything is drawn."""

from datetime import date
from decimal import Decimal

import pytest

from credo.channels.letters import Letter, OpenItem, Party, totals
from credo.errors import InvalidInput


def item(amount="100.00", open_amount="40.00", currency="CNY", number="INV-1") -> OpenItem:
    return OpenItem(number, date(2026, 9, 1), date(2026, 10, 1), 60, Decimal(amount), Decimal(open_amount), currency)


def test_totals_are_the_column_sums_per_currency_in_the_order_currencies_first_appear():
    items = [item("100.00", "40.00", "USD"), item("0.10", "0.10"), item("0.20", "0.20"), item("5", "5", "USD")]

    assert totals(items) == {"USD": (Decimal("105.00"), Decimal("45.00")), "CNY": (Decimal("0.30"), Decimal("0.30"))}
    assert list(totals(items)) == ["USD", "CNY"]
    assert totals([]) == {}


def test_an_amount_given_as_a_float_is_refused():
    with pytest.raises(InvalidInput, match="Decimal, never float"):
        OpenItem("INV-1", date(2026, 9, 1), date(2026, 10, 1), 60, 100.1, Decimal("1"), "CNY")


def test_a_currency_that_is_not_an_iso_code_is_refused():
    with pytest.raises(InvalidInput, match="'RMB ' is not a currency code"):
        item(currency="RMB ")


def test_a_letter_in_a_language_credo_does_not_write_is_refused():
    with pytest.raises(InvalidInput, match="language 'ja'"):
        Letter(Party("A"), Party("B"), date(2026, 11, 30), "ja", "請求書")
