"""A dunning run carried out through the real channels: an SMTP server and an SMS webhook on
loopback read what arrived; a second run sends nothing; a failed channel, and it alone, is tried again.

The acme ledger (tests/integration/test_dunning.py), one step per run and 7 days at least between
two steps: on 2024-04-08 C1 (甲公司, Chinese; I2 due 03-31, 8 days late) gets the gentle ladder's
friendly reminder (+7: email, statement attached) and C2 (Beta Ltd, English; I3 due 03-30, 9 days
late) the standard ladder's first notice (+3: email); on 2024-04-15 (16 days late, 7 days after
the first notice) C2 the second notice (+15: email and SMS, statement attached), C1 nothing (its
account manager's call comes at +21)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from credo.config import Settings
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.sending import carry_out, within_window
from credo.store.collections_tables import dunning_sends
from credo.store.tables import customers

pytestmark = pytest.mark.db
AS_OF = date(2024, 4, 15)
FIRST = date(2024, 4, 8)


@pytest.fixture
def reachable(db, acme):
    with db.begin() as conn:
        conn.execute(update(customers).where(customers.c.code == "C1").values(contact_email="finance@jia.cn"))
        conn.execute(update(customers).where(customers.c.code == "C2").values(
            contact_email="ap@beta.example", contact_phone="138 0013 8000"))
    return acme


def settings_for(mailbox, webhook, tmp_path) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="应收账款 <ar@acme.cn>",
                    sms_webhook_url=webhook.url, letters_dir=tmp_path / "letters")


def run(db, company, settings, as_of=AS_OF):
    with db.connect() as conn:
        report = dunning_proposals(conn, company, as_of)
        return carry_out(conn, company, report, settings, "test")


def sends(db):
    with db.connect() as conn:
        return {r.send_key: (r.status, r.attempts) for r in conn.execute(select(dunning_sends))}


def test_each_customer_gets_one_mail_in_its_language_with_its_statement_and_the_sms(db, reachable, mailbox,
                                                                                    webhook, tmp_path):
    settings = settings_for(mailbox, webhook, tmp_path)
    done = run(db, reachable, settings, FIRST)
    assert [(d.customer, d.level, d.status) for d in done] == [("C1", 2, "sent"), ("C2", 2, "sent")]
    mails = {m.recipients[0]: m.email for m in mailbox.arrived}
    assert set(mails) == {"finance@jia.cn", "ap@beta.example"}
    chinese = mails["finance@jia.cn"]
    assert chinese["Subject"].startswith("付款提醒") and "I2" in chinese.get_body(("plain",)).get_content()
    first = mails["ap@beta.example"]
    assert first["Subject"].startswith("Overdue notice") and "9 days overdue" in first.get_body(("plain",)).get_content()
    assert list(first.iter_attachments()) == [] and webhook.received == []  # the first notice: email only
    done = run(db, reachable, settings)
    assert [(d.customer, d.level, d.status) for d in done] == [("C2", 3, "sent")]
    english = mailbox.arrived[-1].email
    assert english["Subject"].startswith("Overdue notice")
    body = english.get_body(("plain",)).get_content()
    assert "I3" in body and "16 days overdue" in body and "$300.00" in body
    [statement] = [part for part in english.iter_attachments()]
    assert statement.get_content_type() == "application/pdf" and statement.get_content()[:5] == b"%PDF-"
    [text] = webhook.received
    assert text.body["to"] == "+8613800138000" and "Beta Ltd" not in text.body["text"] and "300" in text.body["text"]
    assert sends(db) == {"I2:2:1": ("sent", 1), "I3:2:1": ("sent", 1), "I3:3:1": ("sent", 1)}


def test_a_second_run_on_the_same_day_sends_nothing(db, reachable, mailbox, webhook, tmp_path):
    settings = settings_for(mailbox, webhook, tmp_path)
    run(db, reachable, settings, FIRST)
    assert run(db, reachable, settings, FIRST) == []
    assert len(mailbox.arrived) == 2 and len(webhook.received) == 0


def test_a_failed_sms_is_tried_again_alone_and_the_delivered_mail_is_not_sent_again(
        db, reachable, mailbox, webhook, tmp_path):
    settings = settings_for(mailbox, webhook, tmp_path)
    run(db, reachable, settings, FIRST)
    webhook.status = 500
    [second] = run(db, reachable, settings)
    assert (second.customer, second.status, second.delivered) == ("C2", "failed", ("email",))
    assert "sms" in second.error and sends(db)["I3:3:1"] == ("failed", 1)
    webhook.status = 202
    again = run(db, reachable, settings, date(2024, 4, 16))
    assert [(d.customer, d.status, d.delivered) for d in again] == [("C2", "sent", ("sms",))]
    assert sends(db) == {"I2:2:1": ("sent", 1), "I3:2:1": ("sent", 1), "I3:3:1": ("sent", 2)}
    # ap@beta.example: the first notice (04-08) and the second notice (04-15), once each; the SMS
    # twice (refused, then taken), with the same idempotency key.
    ids = [m.email["Message-ID"] for m in mailbox.arrived if m.recipients == ["ap@beta.example"]]
    assert len(ids) == 2 and ids[0] != ids[1]
    keys = [r.body["idempotency_key"] for r in webhook.received]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert run(db, reachable, settings, date(2024, 4, 17)) == []


def test_no_reminder_is_sent_twice_over_three_runs_with_no_sms_channel(db, reachable, mailbox, tmp_path):
    """The demo's case: no SMS webhook set, so every SMS fails; three runs must not mail three times."""
    settings = Settings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="ar@acme.cn",
                        letters_dir=tmp_path / "letters")
    run(db, reachable, settings, FIRST)  # C1 and C2: one mail each, no SMS in these steps
    runs = [run(db, reachable, settings, day) for day in (AS_OF, AS_OF, date(2024, 4, 16))]
    # Each run: C2's second notice; the mail went the first time, the SMS failed each time.
    assert [[(d.customer, d.delivered, d.status) for d in done] for done in runs] == [
        [("C2", ("email",), "failed")], [("C2", (), "failed")], [("C2", (), "failed")]]
    assert all("no SMS webhook" in done[0].error for done in runs)
    to_c2 = [m.email for m in mailbox.arrived if m.recipients == ["ap@beta.example"]]
    to_c1 = [m.email for m in mailbox.arrived if m.recipients == ["finance@jia.cn"]]
    assert (len(to_c1), len(to_c2)) == (1, 2)  # 04-08's friendly reminder; 04-08's and 04-15's notices
    assert len({m.email["Message-ID"] for m in mailbox.arrived}) == 3
    with db.connect() as conn:
        row = conn.execute(select(dunning_sends).where(dunning_sends.c.send_key == "I3:3:1")).one()
    assert (row.status, row.attempts, row.channels, row.delivered, row.run_on) == (
        "failed", 3, "email,sms", "email", AS_OF)


def test_a_final_demand_writes_a_letter_and_a_call_task_once(db, reachable, mailbox, webhook, tmp_path):
    from credo.store.collections_tables import tasks

    settings = settings_for(mailbox, webhook, tmp_path)
    run(db, reachable, settings, FIRST)
    run(db, reachable, settings)
    # As of 04-29 C2 (due 03-30, second notice on 04-15) reached the standard ladder's final demand: a
    # letter and a call for its collector lee; C1 (due 03-31, friendly reminder on 04-08) the gentle
    # ladder's account manager call: a task for its sales person (none set) and a call for its
    # collector wang.
    done = {d.customer: d for d in run(db, reachable, settings, date(2024, 4, 29))}
    assert done["C2"].step == "final demand" and done["C2"].status == "sent"
    letter = tmp_path / "letters" / "2024-04-29" / "C2-L4.pdf"
    assert letter.read_bytes()[:5] == b"%PDF-"
    with db.connect() as conn:
        made = sorted((t.kind, t.assignee or "", t.status) for t in conn.execute(select(tasks)))
    assert made == [("account_manager", "", "open"), ("call", "lee", "open"), ("call", "wang", "open")]
    run(db, reachable, settings, date(2024, 4, 30))  # nothing new is due: no task twice
    with db.connect() as conn:
        assert len(conn.execute(select(tasks)).all()) == 3


def test_the_sending_window_is_read_in_the_company_time_zone():
    from datetime import datetime, timezone

    settings = Settings(send_window="08:30-18:00", time_zone="Asia/Shanghai")
    assert within_window(settings, datetime(2024, 4, 15, 1, 0, tzinfo=timezone.utc))  # 09:00 in Shanghai
    assert not within_window(settings, datetime(2024, 4, 15, 10, 0, tzinfo=timezone.utc))  # 18:00 there


def test_the_sending_window_is_shut_on_weekends_and_the_company_calendar_holidays():
    from datetime import datetime, timezone

    from credo.services.collections.sending import working_days
    from credo.services.companies import Company

    settings = Settings(send_window="08:30-18:00", time_zone="Asia/Shanghai")
    at_nine = lambda day: datetime(2024, 4, day, 1, 0, tzinfo=timezone.utc)  # noqa: E731  09:00 in Shanghai
    plain = working_days(Company(1, "A", "A", "CNY", None))  # no calendar: Monday to Friday
    chinese = working_days(Company(1, "A", "A", "CNY", "CN"))
    assert [within_window(settings, at_nine(day), None, plain) for day in (12, 13, 14, 15)] == [True, False, False, True]
    labour_day = datetime(2024, 5, 1, 1, 0, tzinfo=timezone.utc)  # a Wednesday, 劳动节
    assert within_window(settings, labour_day, None, plain) and not within_window(settings, labour_day, None, chinese)


def test_the_daily_run_sends_dunning_and_raises_review_tasks_once(db, reachable, mailbox, webhook, tmp_path):
    from credit_support import grant
    from credo.services.daily import run_daily
    from credo.store.collections_tables import tasks

    with db.begin() as conn:  # C3's line was to be reviewed on 2024-04-01
        grant(conn, reachable, 5000, customer="C3", rating="C", valid_from=date(2024, 1, 1), review_due=date(2024, 4, 1))
    settings = settings_for(mailbox, webhook, tmp_path)
    jobs = []
    for _ in range(2):
        with db.connect() as conn:
            jobs.append({j["job"]: j for j in run_daily(conn, reachable, AS_OF, settings, "cron", send=True).jobs})
    assert (jobs[0]["dunning"]["sent"], jobs[0]["credit reviews"]["review_tasks"]) == (2, 1)
    assert (jobs[1]["dunning"]["sent"], jobs[1]["credit reviews"]["review_tasks"]) == (0, 0)
    assert all(job["status"] == "done" for run in jobs for job in run.values())
    assert len(mailbox.arrived) == 2
    with db.connect() as conn:
        made = {(t.kind, t.source) for t in conn.execute(select(tasks))}
    # The review of C3; the courtesy calls of relationship care (none of the acme customers was ever
    # visited or called), raised once.
    assert ("review", "review:C3:2024-04-01") in made
    assert {kind for kind, source in made if source.startswith("care:")} <= {"call", "visit"}
    assert jobs[1]["relationship care"]["care_tasks"] == 0


def test_a_broken_promise_becomes_one_call_task_for_the_collector(db, reachable, mailbox, webhook, tmp_path):
    from credo.services.daily import run_daily
    from credo.store.collections_tables import tasks

    with db.begin() as conn:
        conn.execute(promises_insert(reachable, conn.execute(select(customers.c.id).where(
            customers.c.code == "C2")).scalar_one()))
    settings = settings_for(mailbox, webhook, tmp_path)
    for _ in range(2):
        with db.connect() as conn:
            run_daily(conn, reachable, date(2024, 4, 23), settings, "cron", send=False)
    with db.connect() as conn:
        calls = [(t.kind, t.assignee, t.source) for t in conn.execute(select(tasks).where(
            tasks.c.source.like("promise:%")))]
    assert calls == [("call", "lee", "promise:1:broken")]


def promises_insert(company, customer_id):
    """C2 promised on 04-12 to pay 300 USD by 04-20 (2 days' grace) and did not."""
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from credo.store.collections_tables import promises

    return insert(promises).values(company_id=company.id, customer_id=customer_id, made_on=date(2024, 4, 12),
                                   promised_on=date(2024, 4, 20), amount=30000, currency="USD", channel="phone",
                                   grace_days=2, created_at=datetime(2024, 4, 12, tzinfo=timezone.utc), actor="test")


def test_a_company_sets_its_own_sending_window(db, acme):
    from datetime import datetime, timezone

    from credo.errors import InvalidInput
    from credo.services.collections.sending import window_open
    from credo.services.settings import company_window, set_send_window

    settings = Settings(send_window="08:30-18:00", time_zone="Asia/Shanghai")
    evening = datetime(2024, 4, 15, 11, 0, tzinfo=timezone.utc)  # 19:00 in Shanghai, a Monday
    with db.begin() as conn:
        assert not window_open(conn, acme, settings, evening)
        assert set_send_window(conn, acme, " 9:00 - 20:00 ", "user:li") == "09:00-20:00"
        assert company_window(conn, acme, settings) == "09:00-20:00" and window_open(conn, acme, settings, evening)
        with pytest.raises(InvalidInput, match="the start must come before the end"):
            set_send_window(conn, acme, "18:00-08:00", "user:li")
        assert set_send_window(conn, acme, "", "user:li") is None and company_window(conn, acme, settings) == "08:30-18:00"


def test_a_gentle_ladder_ends_with_one_review_task_after_the_longest_stay(db, reachable, mailbox, webhook, tmp_path):
    """C1 (key accounts, the gentle ladder -5, +7, +21, +45; repeats every 14 days; at most 30 days on
    a step), I2 1,500.00 due 03-31, never paid: friendly reminder 04-08 (+8), account manager's call
    04-22 (+22; 04-21 is a Sunday), formal notice 05-15 (+45), again 05-29 and 06-12 (every 14 days;
    06-12 is 28 days on the step); on 06-14 it has been 30 days: one review task for a person, and
    no more repeats (06-26 would have been the next one)."""
    from credo.store.collections_tables import tasks

    settings = settings_for(mailbox, webhook, tmp_path)
    steps = {}
    for day in (FIRST, date(2024, 4, 22), date(2024, 5, 15), date(2024, 5, 29), date(2024, 6, 12),
                date(2024, 6, 14), date(2024, 6, 17), date(2024, 6, 28)):
        steps[day] = [(d.step, d.status) for d in run(db, reachable, settings, day) if d.customer == "C1"]
    assert steps[FIRST] == [("friendly reminder", "sent")]
    assert steps[date(2024, 4, 22)] == [("account manager call", "sent")]
    assert steps[date(2024, 5, 15)] == steps[date(2024, 5, 29)] == steps[date(2024, 6, 12)] == [
        ("formal notice", "sent")]
    assert steps[date(2024, 6, 14)] == [("formal notice", "handed_over")]
    assert steps[date(2024, 6, 17)] == steps[date(2024, 6, 28)] == []  # no repeat, no second task
    with db.connect() as conn:
        reviews = [t for t in conn.execute(select(tasks).where(tasks.c.source.like("dunning:C1:stay:%")))]
    assert [(t.kind, t.source, t.due_on, t.assignee) for t in reviews] == [
        ("review", "dunning:C1:stay:4:2024-05-15", date(2024, 6, 14), None)]
    assert "formal notice since 2024-05-15 (30 days)" in reviews[0].title
    with db.connect() as conn:
        report = dunning_proposals(conn, reachable, date(2024, 6, 28))
    [handover] = report.to_json()["handovers"]
    assert (handover["customer"], handover["level"], handover["since"], handover["days"]) == ("C1", 4, "2024-05-15", 44)
