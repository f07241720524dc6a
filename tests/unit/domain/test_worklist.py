"""The worklist's priority, the care schedule and a case's outlook, against scores worked out by hand."""

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from credo.domain.worklist import (DEFAULT_CARE, DEFAULT_WEIGHTS, Attention, CareCustomer, CarePolicy, Weights,
                                   care_due, care_order, case_outlook, rank, score)

TODAY = date(2024, 4, 15)


@pytest.mark.parametrize("facts, points", [
    # 1,500 overdue (1.5) + 15 days (7.5) + unrated = C (10) + 3,000 sales (0.3)
    (Attention("C1", D("1500.00"), 15, None, sales=D("3000.00")), D("19.30")),
    # 2,100 (2.1) + 16 days (8) + C (10) + 3,500 sales (0.35)
    (Attention("C2", D("2100.00"), 16, "C", sales=D("3500.00")), D("20.45")),
    # rated A (0) + a promise due today (15) + a task (10): nothing overdue
    (Attention("C3", rating="A", promises_due=1, tasks_due=1), D("25.00")),
    # E (30) + two broken promises (50) + 80,000 overdue capped at 50 + 200 days capped at 120 (60)
    (Attention("C4", D("80000"), 200, "E", broken_promises=2), D("190.00")),
    # sales capped: 500,000 would be 50, the cap is 10; B (5)
    (Attention("C5", rating="B", tasks_due=1, sales=D("500000")), D("25.00")),
])
def test_the_score_adds_each_fact_times_its_weight(facts, points):
    assert score(facts) == points


def test_the_worklist_leaves_out_customers_with_nothing_to_do_and_puts_the_highest_score_first():
    lines = [Attention("C1", D("1500.00"), 15, sales=D("3000.00")), Attention("C2", D("2100.00"), 16),
             Attention("C3", rating="A", sales=D("9000")), Attention("C0", D("1500.00"), 15, sales=D("3000.00"))]
    assert [(f.customer, p) for f, p in rank(lines)] == [("C2", D("20.10")), ("C0", D("19.30")), ("C1", D("19.30"))]


def test_the_weights_are_data_a_company_can_change():
    heavy_promises = replace(DEFAULT_WEIGHTS, promise_due_today=D("200"))  # C1 scores 130 (50 + 50 + 30)
    lines = [Attention("C1", D("90000"), 100, "E"), Attention("C2", rating="A", promises_due=1)]
    assert [f.customer for f, _ in rank(lines)] == ["C1", "C2"]
    assert [f.customer for f, _ in rank(lines, heavy_promises)] == ["C2", "C1"]
    assert score(Attention("X", rating="Z"), Weights()) == D("10.00")  # an unknown rating counts as C


def test_a_key_customer_is_due_a_courtesy_contact_after_90_days_and_the_others_after_180():
    customers = [
        CareCustomer("A1", None, "A", date(2024, 1, 16)),  # 90 days: due 04-15
        CareCustomer("K1", "key_account", None, date(2024, 1, 17)),  # due 04-16: not yet
        CareCustomer("S1", "standard", "C", date(2023, 10, 18)),  # 180 days: due 04-15
        CareCustomer("S2", "standard", "B", date(2023, 10, 1)),  # rated B: due 2023-12-30, still open
        CareCustomer("N1", None, None, None),  # never contacted: due today
    ]
    assert care_due(customers, TODAY) == [("A1", date(2024, 4, 15)), ("N1", TODAY), ("S1", date(2024, 4, 15)),
                                          ("S2", date(2023, 12, 30))]
    assert care_due(customers[:1], TODAY, CarePolicy(key_every_days=120)) == []


def test_the_longest_waiting_come_first_and_the_best_customers_before_the_others_on_the_same_day():
    customers = [
        CareCustomer("S2", "standard", "B", date(2023, 10, 1)),  # rated B: due 2023-12-30
        CareCustomer("N2", None, "C", None),  # never contacted: due today
        CareCustomer("N1", None, "D", None),
        CareCustomer("K1", "key_account", None, None),  # never contacted, a key account
    ]
    due = care_due(customers, TODAY)
    assert care_order(due, customers) == [("S2", date(2023, 12, 30)), ("K1", TODAY), ("N1", TODAY), ("N2", TODAY)]


def test_a_run_raises_at_most_twenty_care_tasks_unless_the_policy_says_otherwise():
    assert DEFAULT_CARE.tasks_per_run == 20
    assert CarePolicy(tasks_per_run=5).tasks_per_run == 5
    with pytest.raises(ValueError, match="at least 1"):
        CarePolicy(tasks_per_run=0)


def test_a_case_expects_the_rate_of_the_amount_and_costs_a_fee_plus_commission():
    # 10,000.00 at 60 %: 6,000.00; cost 500 + 20 % of 6,000 = 1,700.00; net 4,300.00
    outlook = case_outlook(D("10000.00"), "CNY", D("60"), D("500"), D("20"))
    assert (outlook.expected_recovery, outlook.expected_cost, outlook.net) == (D("6000.00"), D("1700.00"),
                                                                               D("4300.00"))
    # 1,234.57 at 33.3 % = 411.11181 -> 411.11; commission 15 % = 61.6665 -> 61.67
    odd = case_outlook(D("1234.57"), "CNY", D("33.3"), commission_rate=D("15"))
    assert (odd.expected_recovery, odd.expected_cost) == (D("411.11"), D("61.67"))
    with pytest.raises(ValueError):
        case_outlook(D("100"), "CNY", D("120"))
