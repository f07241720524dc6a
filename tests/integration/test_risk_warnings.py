"""Early warnings on SQLite and PostgreSQL: a scenario per rule with the values worked out by hand
(tests/risk_support.py), the scan's deduplication, the alert's life, and the run-daily job."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credo.domain.risk.warnings import DEFAULT_RULES, Rule, breaches
from credo.errors import Conflict
from credo.services.risk.alerts import add_comment, change_status, get_alert, list_alerts
from credo.services.risk.indicators import read_indicators
from credo.services.risk.rules import list_rules, set_rule
from credo.services.risk.scan import scan
from risk_support import AS_OF, build_risk_ledger

D = Decimal


@pytest.fixture
def risky(db, company, tmp_path):
    build_risk_ledger(db, company, tmp_path)
    return company


def readings(db, company, rule: Rule, as_of: date = AS_OF) -> dict[str, Decimal]:
    with db.begin() as conn:
        return {r.subject: r.value for r in read_indicators(conn, company, as_of, [rule])}


def rule(indicator: str, threshold="0", window: int | None = None) -> Rule:
    return Rule("t", indicator, D(threshold), "high", "credit_manager", window)


@pytest.mark.parametrize("indicator, window, expected", [
    ("days_past_due", None, {"A": D(91), "B": D(30)}),
    ("overdue_amount", None, {"A": D("1000.00"), "B": D("2000.00")}),
    ("limit_utilisation", None, {"A": D("0.9091"), "group:G": D("0.8000")}),
    ("broken_promises", 90, {"B": D(2)}),
    ("payment_slowdown", None, {"D": D("22.5")}),
    ("rating_downgrade", None, {"A": D(2)}),
    ("score_drop", None, {"A": D(25)}),
    ("altman_distress", None, {"A": D(1)}),
    ("concentration", None, {"A": D("0.4167"), "B": D("0.1667"), "C": D("0.2917"), "D": D("0.1250")}),
    ("group_concentration", None, {"group:G": D("0.5833")}),
    ("dispute_rate", 180, {"C": D("0.5000")}),
    ("returned_payments", 90, {"D": D(1)}),
    ("manual_flags", None, {"A": D(1)}),
])
def test_each_indicator_reads_the_hand_worked_values(db, risky, indicator, window, expected):
    assert readings(db, risky, rule(indicator, window=window)) == expected


def test_a_rule_breaches_only_over_its_threshold(db, risky):
    with db.begin() as conn:
        found = read_indicators(conn, risky, AS_OF, DEFAULT_RULES)
    hits = {(b.rule.code, b.subject, b.value) for b in breaches(found, DEFAULT_RULES)}
    assert hits == {
        ("dpd_60", "A", D(91)), ("dpd_90", "A", D(91)), ("limit_90pct", "A", D("0.9091")),
        ("broken_promises_90d", "B", D(2)), ("slowdown_10d", "D", D("22.5")), ("rating_down", "A", D(2)),
        ("score_drop_10", "A", D(25)), ("altman_distress", "A", D(1)), ("concentration_20pct", "A", D("0.4167")),
        ("concentration_20pct", "C", D("0.2917")), ("group_concentration_30pct", "group:G", D("0.5833")),
        ("disputes_180d", "C", D("0.5000")), ("returned_payments_90d", "D", D(1)), ("manual_flag", "A", D(1)),
    }


def test_indicators_as_of_an_earlier_date_read_only_what_was_recorded_by_then(db, risky):
    day = date(2024, 6, 14)  # before the reversal, the dispute and the lawsuit
    assert readings(db, risky, rule("returned_payments", window=90), day) == {}
    assert readings(db, risky, rule("dispute_rate", window=180), day) == {}
    assert readings(db, risky, rule("manual_flags"), day) == {}
    assert readings(db, risky, rule("manual_flags"), date(2024, 5, 15)) == {"B": D(1)}  # news, cleared on 2024-06-01
    assert readings(db, risky, rule("days_past_due"), day) == {"A": D(75), "B": D(14)}
    assert readings(db, risky, rule("broken_promises", window=90), day) == {"B": D(1)}


def test_a_second_scan_raises_nothing_and_a_resolved_alert_can_be_raised_again(db, risky):
    with db.begin() as conn:
        first = scan(conn, risky, AS_OF, "robot")
    assert len(first.raised) == 14
    by_rule = {(a["rule"], a["subject"]): a for a in first.raised}
    assert by_rule[("slowdown_10d", "D")] | {"id": 0} == {
        "id": 0, "rule": "slowdown_10d", "subject": "D", "indicator": "payment_slowdown", "value": "22.5",
        "threshold": "10", "unit": "days", "severity": "medium", "owner": "credit_manager",
        "detail": "30.0 days late in 90 days, 7.5 in the 12 months before"}
    assert by_rule[("limit_90pct", "A")]["value"] == "0.9091"
    with db.begin() as conn:
        second = scan(conn, risky, AS_OF, "robot")
    assert (second.raised, second.still_open, second.breach_gone) == ([], 14, [])

    alert = by_rule[("dpd_90", "A")]["id"]
    with db.begin() as conn:
        change_status(conn, risky, alert, "resolved", "li.na", AS_OF, "paid in part, plan agreed")
        third = scan(conn, risky, date(2024, 7, 1), "robot")
    assert [(a["rule"], a["subject"], a["value"]) for a in third.raised] == [("dpd_90", "A", "92")]


def test_an_alert_whose_breach_has_gone_is_marked_not_resolved(db, risky):
    from credo.services.risk.alerts import clear_flag, list_flags

    with db.begin() as conn:
        scan(conn, risky, AS_OF, "robot")
        clear_flag(conn, risky, list_flags(conn, risky, customer="A")[0]["id"], date(2024, 7, 2), "li.na")
        later = scan(conn, risky, date(2024, 7, 2), "robot")
        flagged = list_alerts(conn, risky, rule="manual_flag")
    assert [a["breach_gone_on"] for a in flagged] == ["2024-07-02"]
    assert flagged[0]["status"] == "open"
    assert len(later.breach_gone) >= 1


def test_an_alert_is_acknowledged_commented_and_resolved_once_with_the_audit_log(db, risky):
    from credo.services import audit

    with db.begin() as conn:
        raised = scan(conn, risky, AS_OF, "robot").raised
        alert = next(a["id"] for a in raised if a["rule"] == "altman_distress")
        change_status(conn, risky, alert, "acknowledged", "li.na", AS_OF, "asked for the 2024 accounts")
        add_comment(conn, risky, alert, "boss", "keep deliveries on prepayment")
        done = change_status(conn, risky, alert, "resolved", "li.na", date(2024, 7, 5))
        with pytest.raises(Conflict):
            change_status(conn, risky, alert, "resolved", "li.na", date(2024, 7, 6))
        logged = [(e["action"], e["actor"]) for e in reversed(audit.entries(conn, entity="risk_alert", key=str(alert)))]
    assert (done["status"], done["acknowledged_by"], done["resolved_on"], done["resolved_by"]) == (
        "resolved", "li.na", "2024-07-05", "li.na")
    assert [(c["author"], c["body"]) for c in done["comments"]] == [
        ("li.na", "asked for the 2024 accounts"), ("boss", "keep deliveries on prepayment")]
    assert logged == [("raise", "robot"), ("acknowledge", "li.na"), ("comment", "boss"), ("resolve", "li.na")]


def test_alerts_written_in_bulk_read_back_as_any_other_row(db, risky):
    """The scan appends alerts and their audit entries through COPY (PostgreSQL) or the raw cursor
    (SQLite), with ids taken first: they read back as rows written by SQLAlchemy do."""
    from datetime import timedelta
    import json

    from credo import clock
    from credo.services import audit
    from credo.services.audit import as_utc

    with db.begin() as conn:
        before = clock.now() - timedelta(seconds=1)
        raised = scan(conn, risky, AS_OF, "robot").raised
        flagged = next(a for a in raised if a["rule"] == "manual_flag")
        stored = get_alert(conn, risky, flagged["id"])
        entry = audit.entries(conn, entity="risk_alert", key=str(flagged["id"]))[0]
    assert sorted(a["id"] for a in raised) == list(range(raised[0]["id"], raised[0]["id"] + 14))
    assert (stored["rule"], stored["subject"], stored["status"], stored["raised_on"]) == (
        "manual_flag", "A", "open", "2024-06-30")
    assert (entry["action"], entry["actor"], entry["before"]) == ("raise", "robot", None)
    assert before <= as_utc(entry["at"]) <= clock.now()
    assert json.loads(entry["after"]) | {"detail": ""} == {
        "rule": "manual_flag", "subject": "A", "indicator": "manual_flags", "value": "1", "threshold": "0",
        "unit": "count", "severity": "high", "owner": "credit_manager", "detail": "", "status": "open",
        "raised_on": "2024-06-30"}


def test_rules_are_seeded_once_and_edited_with_the_audit_log(db, risky):
    with db.begin() as conn:
        assert len(list_rules(conn, risky)) == len(DEFAULT_RULES)
        changed = set_rule(conn, risky, "dpd_90", "boss", threshold="100", owner="li.na")
        added = set_rule(conn, risky, "returned_30d", "boss", indicator="returned_payments", threshold="0",
                         window_days=30, severity="low")
        assert len(list_rules(conn, risky)) == len(DEFAULT_RULES) + 1
        raised = scan(conn, risky, AS_OF, "robot").raised
    assert (changed["threshold"], changed["owner"]) == ("100", "li.na")
    assert added["window_days"] == 30
    hits = {(a["rule"], a["subject"]) for a in raised}
    assert ("dpd_90", "A") not in hits  # 91 is not over 100
    assert ("returned_30d", "D") in hits  # reversed 2024-06-15, within 30 days


def test_the_run_daily_job_scans_and_a_second_run_raises_nothing(db, risky):
    from credo.config import Settings
    from credo.services.daily import run_daily

    with db.connect() as conn:
        first = run_daily(conn, risky, AS_OF, Settings(), "robot", send=False)
        second = run_daily(conn, risky, AS_OF, Settings(), "robot", send=False)
    assert first.jobs[-1] == {"job": "risk scan", "status": "done", "alerts_raised": 14, "still_open": 0,
                              "breach_gone": 0}
    assert second.jobs[-1] == {"job": "risk scan", "status": "done", "alerts_raised": 0, "still_open": 14,
                               "breach_gone": 0}
    with db.begin() as conn:
        assert len(get_alert(conn, risky, 1)["comments"]) == 0
