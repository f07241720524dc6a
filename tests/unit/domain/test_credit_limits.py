"""Credit lines in force as of a date and the approval levels of a limit, as data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from credo.domain.approval import approver_role, levels_text, parse_levels
from credo.domain.credit.limits import CreditSettings, Line, lines_in_force


def line(id, amount, valid_from, valid_to=None):
    return Line(id, D(amount), "CNY", 60, "B", valid_from, valid_to, date(2027, 1, 1))


LINES = [line(1, 100_000, date(2026, 1, 1)), line(2, 150_000, date(2026, 4, 1)),
         line(3, 200_000, date(2026, 6, 1), date(2026, 6, 30))]


@pytest.mark.parametrize("as_of, permanent, temporary, governing", [
    (date(2025, 12, 31), None, None, None),
    (date(2026, 3, 31), 1, None, 1),
    (date(2026, 4, 1), 2, None, 2),
    (date(2026, 6, 1), 2, 3, 3),
    (date(2026, 6, 30), 2, 3, 3),  # the temporary limit's last day
    (date(2026, 7, 1), 2, None, 2),  # expired: the permanent one applies again
])
def test_the_line_in_force_is_the_latest_approved_one_effective_on_the_day(as_of, permanent, temporary, governing):
    found = lines_in_force(LINES, as_of)
    assert (found.permanent and found.permanent.id, found.temporary and found.temporary.id,
            found.governing and found.governing.id) == (permanent, temporary, governing)


def test_a_later_approval_wins_over_an_earlier_one_with_a_later_start():
    found = lines_in_force([line(1, 100_000, date(2026, 3, 1)), line(2, 80_000, date(2026, 1, 1))], date(2026, 5, 1))
    assert found.permanent.id == 2


@pytest.mark.parametrize("amount, role", [(D(100_000), "credit_manager"), (D("100000.01"), "controller"),
                                          (D(1_000_000), "controller"), (D(1_000_001), "admin")])
def test_the_approval_level_follows_the_amount(amount, role):
    assert approver_role(CreditSettings().levels, amount) == role


def test_levels_read_and_write_as_text():
    levels = parse_levels("50000:credit_manager, 500000:controller, admin")
    assert approver_role(levels, D(60_000)) == "controller"
    assert levels_text(levels) == "50000:credit_manager,500000:controller,admin"
    for bad in ("admin,100:controller", "100:controller,50:credit_manager,admin", "100:sales,admin", "x:admin,admin"):
        with pytest.raises(ValueError):
            parse_levels(bad)


def test_settings_refuse_unknown_check_points_and_odd_shares():
    with pytest.raises(ValueError):
        CreditSettings(check_points=("shipment",))
    with pytest.raises(ValueError):
        CreditSettings(tolerance_share=D("1.5"))


@pytest.mark.parametrize("letter, limit, needed", [
    ("C", D(50_000), False),  # C gives 30 days' credit
    ("D", D(0), False),       # prepayment only, and no limit: the policy kept
    ("D", D("0.01"), True),   # any limit above 0 at D breaks it
    ("E", D(20_000), True),
    ("F", D(1), True),        # a rating the policy does not have gives no credit
])
def test_a_limit_above_0_at_a_rating_without_credit_needs_an_exception(letter, limit, needed):
    from credo.domain.credit.defaults import DEFAULT_POLICY
    from credo.domain.credit.policy import needs_exception

    assert needs_exception(DEFAULT_POLICY, letter, limit) is needed
