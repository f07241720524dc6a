"""Write-offs' pure rules: what stays writable, spreading, recovery at the write-off's rate, the
movement's balancing figure and a journal whose debits equal its credits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credo.domain.risk.write_offs import Accounts, Booked, journal, lowest_open, movement_of, recovered_base, spread

D = Decimal
DAY = date(2024, 7, 31)


@pytest.mark.parametrize("settled, later, expected", [
    (0, [], 1000),
    (400, [], 600),
    (0, [(date(2024, 8, 1), 300)], 700),  # paid later: a write-off dated before may take only the rest
    (0, [(date(2024, 8, 1), 300), (date(2024, 8, 5), -300)], 700),  # a reversal later does not undo the dip
    (0, [(date(2024, 8, 1), 300), (date(2024, 8, 1), -300)], 1000),  # same day: no dip
    (1000, [], 0),
])
def test_the_lowest_open_amount_from_a_date_on(settled, later, expected):
    assert lowest_open(1000, settled, later) == expected


def test_an_amount_is_spread_oldest_first_and_never_beyond_what_is_open():
    assert spread(700, [(1, 500), (2, 0), (3, 400)]) == [(1, 500), (3, 200)]
    with pytest.raises(ValueError, match="only 900 of 901"):
        spread(901, [(1, 500), (3, 400)])


def test_recoveries_at_the_write_off_rate_add_up_to_it_exactly():
    # 100.00 USD written off as 720.33 CNY; recovered 33.33 + 33.33 + 33.34
    first = recovered_base(72033, 10000, 0, 3333, 0)
    second = recovered_base(72033, 10000, 3333, 3333, first)
    last = recovered_base(72033, 10000, 6666, 3334, first + second)
    assert (first, second, last) == (24009, 24009, 24015)
    assert first + second + last == 72033


@pytest.mark.parametrize("opening, closing, used, recovered, charge, released", [
    ("1830.00", "1080.00", "1500.00", "0.00", "750.00", "0.00"),
    ("1080.00", "1380.00", "0.00", "600.00", "0.00", "300.00"),
    ("100.00", "100.00", "0.00", "0.00", "0.00", "0.00"),
])
def test_the_charge_or_release_is_the_balancing_figure(opening, closing, used, recovered, charge, released):
    m = movement_of(DAY, DAY, D(opening), D(closing), D(used), D(recovered))
    assert (m.charge, m.released) == (D(charge), D(released))
    assert m.opening + m.charge + m.recovered - m.used - m.released == m.closing


def test_the_journal_debits_equal_its_credits():
    m = movement_of(date(2024, 7, 1), DAY, D("1830.00"), D("1080.00"), D("1500.00"), D("200.00"))
    entries = journal(m, [Booked("write_off", DAY, D("1500.00"), "WO-1"),
                          Booked("recovery", date(2024, 7, 20), D("200.00"), "WO-0")], Accounts())
    assert [(e.account, e.debit, e.credit) for e in entries] == [
        ("1122", D("200.00"), D("0.00")), ("1231", D("0.00"), D("200.00")),
        ("1231", D("1500.00"), D("0.00")), ("1122", D("0.00"), D("1500.00")),
        ("6702", D("550.00"), D("0.00")), ("1231", D("0.00"), D("550.00"))]
    assert sum(e.debit for e in entries) == sum(e.credit for e in entries) == D("2250.00")
    # the allowance account moves as the movement says: credits - debits = closing - opening
    allowance = sum(e.credit - e.debit for e in entries if e.account == "1231")
    assert allowance == m.closing - m.opening
