from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.allocation import AllocationPlan, oldest_first, plan_allocation
from credo.domain.records import OpenInvoice

D = Decimal


def invoice(number, due, amount, issued=None):
    """An open invoice due on `due` (a "MM-DD" in 2024), issued 30 days before unless given."""
    due_date = date.fromisoformat(f"2024-{due}")
    issue_date = date.fromisoformat(f"2024-{issued}") if issued else due_date - timedelta(30)
    return OpenInvoice(number, issue_date, due_date, D(amount))


INVOICES = [
    invoice("INV-3", "03-31", "300.00"),
    invoice("INV-1", "01-31", "100.00"),
    invoice("INV-2", "02-29", "200.00"),
]


def test_oldest_first_orders_by_due_date_then_issue_date_then_number():
    same_due = [
        invoice("B", "03-31", "1", issued="03-01"),
        invoice("A", "03-31", "1", issued="03-01"),
        invoice("C", "03-31", "1", issued="02-01"),
        invoice("D", "01-31", "1"),
    ]
    assert [i.number for i in oldest_first(same_due)] == ["D", "C", "A", "B"]


@pytest.mark.parametrize(
    ("amount", "named", "allocations", "unapplied"),
    [
        # oldest first: INV-1 (100) then INV-2 (200) then 50 of INV-3
        ("350.00", (), [("INV-1", "100.00"), ("INV-2", "200.00"), ("INV-3", "50.00")], "0.00"),
        # less than the oldest invoice: all of it there
        ("40.00", (), [("INV-1", "40.00")], "0.00"),
        # more than everything open (600): the 50 over stays unapplied
        ("650.00", (), [("INV-1", "100.00"), ("INV-2", "200.00"), ("INV-3", "300.00")], "50.00"),
        # named on the remittance, in the customer's order, even though INV-1 is older
        ("350.00", ("INV-3", "INV-1"), [("INV-3", "300.00"), ("INV-1", "50.00")], "0.00"),
        # named invoices settled, the rest is not spread over unnamed ones
        ("250.00", ("INV-2",), [("INV-2", "200.00")], "50.00"),
    ],
)
def test_a_payment_is_spread_without_overpaying_any_invoice(amount, named, allocations, unapplied):
    plan = plan_allocation(D(amount), INVOICES, named)
    assert plan == AllocationPlan(tuple((n, D(a)) for n, a in allocations), D(unapplied))


def test_invoices_with_nothing_open_are_skipped():
    invoices = [invoice("PAID", "01-31", "0.00"), invoice("CREDIT", "01-15", "-20.00"), *INVOICES]
    plan = plan_allocation(D("120.00"), invoices, ("PAID", "INV-1", "CREDIT", "INV-2"))
    assert plan.allocations == (("INV-1", D("100.00")), ("INV-2", D("20.00")))
    assert plan_allocation(D("50"), invoices).allocations == (("INV-1", D("50")),)


@pytest.mark.parametrize(
    ("amount", "invoices", "named", "reason"),
    [
        ("0", INVOICES, (), "must be positive"),
        ("-10", INVOICES, (), "must be positive"),
        ("10", INVOICES, ("INV-9",), "'INV-9' is not among the customer's open invoices"),
        ("10", INVOICES, ("INV-1", "INV-1"), "'INV-1' is named twice"),
        ("10", [*INVOICES, invoice("INV-1", "05-31", "5")], (), "'INV-1' appears twice"),
    ],
)
def test_an_impossible_allocation_is_refused_with_a_reason(amount, invoices, named, reason):
    with pytest.raises(ValueError, match=reason):
        plan_allocation(D(amount), invoices, named)


money = st.decimals(min_value="-50", max_value="10000", places=2)
invoices_strategy = st.lists(
    st.builds(
        OpenInvoice,
        number=st.text("ABC0123456789", min_size=1, max_size=4),
        issue_date=st.dates(date(2023, 1, 1), date(2024, 12, 31)),
        due_date=st.dates(date(2023, 1, 1), date(2025, 12, 31)),
        open_amount=money,
    ),
    max_size=15,
    unique_by=lambda i: i.number,
)


@given(
    amount=st.decimals(min_value="0.01", max_value="100000", places=2),
    invoices=invoices_strategy,
    data=st.data(),
)
def test_a_plan_applies_exactly_the_amount_and_never_overpays(amount, invoices, data):
    numbers = [i.number for i in invoices]
    named = data.draw(st.one_of(st.just(()), st.permutations(numbers)))
    plan = plan_allocation(amount, invoices, named)
    by_number = {i.number: i for i in invoices}
    assert sum((a for _, a in plan.allocations), D(0)) + plan.unapplied == amount
    assert plan.unapplied >= 0
    assert len({n for n, _ in plan.allocations}) == len(plan.allocations)
    for number, applied in plan.allocations:
        assert 0 < applied <= by_number[number].open_amount
    total_open = sum((i.open_amount for i in invoices if i.open_amount > 0), D(0))
    if amount >= total_open:
        settled = dict(plan.allocations)
        for i in invoices:
            if i.open_amount > 0:
                assert settled[i.number] == i.open_amount
        assert plan.unapplied == amount - total_open


def test_money_settles_what_was_owed_on_its_date_before_later_invoices():
    from datetime import date as day
    from decimal import Decimal as Dec

    from credo.domain.allocation import plan_allocation
    from credo.domain.records import OpenInvoice

    owed = OpenInvoice("OLD", day(2024, 1, 1), day(2024, 3, 31), Dec("100"))
    later_but_due_first = OpenInvoice("NEW", day(2024, 2, 1), day(2024, 2, 1), Dec("100"))
    plan = plan_allocation(Dec("150"), [owed, later_but_due_first], paid_on=day(2024, 1, 15))
    # Oldest due date alone would pay NEW first; on 15 January only OLD was owed.
    assert plan.allocations == (("OLD", Dec("100")), ("NEW", Dec("50")))
