"""The sending window in the customer's own time zone: C2 (Beta Ltd) in America/New_York, C1 with
none (the company's, Asia/Shanghai). Window 08:30-18:00. At 2024-04-15 14:00 UTC it is 22:00 in
Shanghai (closed) and 10:00 in New York (EDT, UTC-4: open); at 02:00 UTC, 10:00 in Shanghai and
22:00 in New York. The time zone comes from the customer import, checked by zoneinfo."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, update

from builders import CUSTOMERS, load, write_csv
from credo.config import Settings
from credo.services.imports import ImportFailed
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.sending import carry_out, window_open, within_window
from credo.store.collections_tables import dunning_sends
from credo.store.tables import customers

pytestmark = pytest.mark.db
AS_OF = date(2024, 4, 15)
SHANGHAI_NIGHT = datetime(2024, 4, 15, 14, 0, tzinfo=timezone.utc)
SHANGHAI_MORNING = datetime(2024, 4, 15, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def abroad(db, acme, tmp_path):
    """C2 moved to New York through the customer import's time_zone column."""
    load(db, acme, "customers", write_csv(tmp_path / "zones.csv", [*CUSTOMERS, "time_zone"], [
        ["C2", "Beta Ltd", "USD", "EOM30", "G1", "standard", "lee", "America/New_York"]]))
    with db.begin() as conn:
        conn.execute(update(customers).where(customers.c.code == "C1").values(contact_email="finance@jia.cn"))
        conn.execute(update(customers).where(customers.c.code == "C2").values(
            contact_email="ap@beta.example", contact_phone="138 0013 8000"))
    return acme


def zone_of(db, code):
    with db.connect() as conn:
        return conn.execute(select(customers.c.time_zone).where(customers.c.code == code)).scalar_one()


def test_the_window_is_read_in_the_customer_time_zone_when_it_has_one():
    settings = Settings(send_window="08:30-18:00", time_zone="Asia/Shanghai")
    assert not within_window(settings, SHANGHAI_NIGHT)
    assert within_window(settings, SHANGHAI_NIGHT, "America/New_York")
    assert within_window(settings, SHANGHAI_MORNING) and not within_window(settings, SHANGHAI_MORNING,
                                                                             "America/New_York")


def test_the_customer_import_reads_the_time_zone_and_refuses_an_unknown_one(db, abroad, tmp_path):
    assert (zone_of(db, "C2"), zone_of(db, "C1")) == ("America/New_York", None)
    bad = write_csv(tmp_path / "bad.csv", ["customer_code", "name", "time_zone"], [["C3", "丙公司", "Asia/Shanghai"],
                                                                                  ["C1", "甲公司", "Mars/Olympus"]])
    with pytest.raises(ImportFailed) as failed:
        load(db, abroad, "customers", bad)
    assert "bad.csv:3:time_zone: time zone 'Mars/Olympus' is not an IANA time zone name" in str(failed.value)
    assert zone_of(db, "C3") is None  # nothing was imported


def test_at_night_in_shanghai_only_the_new_york_customer_is_sent_to(db, abroad, mailbox, webhook, tmp_path):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="ar@acme.cn",
                        sms_webhook_url=webhook.url, letters_dir=tmp_path / "letters", send_window="08:30-18:00",
                        time_zone="Asia/Shanghai")
    with db.connect() as conn:
        assert window_open(conn, abroad, settings, SHANGHAI_NIGHT)
        report = dunning_proposals(conn, abroad, AS_OF)
        done = carry_out(conn, abroad, report, settings, "test", SHANGHAI_NIGHT)
    assert [(d.customer, d.status) for d in done] == [("C1", "waiting"), ("C2", "sent")]
    assert [m.recipients[0] for m in mailbox.arrived] == ["ap@beta.example"]
    with db.connect() as conn:
        recorded = {r.send_key.split(":")[0] for r in conn.execute(select(dunning_sends))}
        report = dunning_proposals(conn, abroad, AS_OF)
    assert len(recorded) == 1 and [p.customer for p in report.proposals] == ["C1"]  # C1 is proposed again
    with db.connect() as conn:  # the next morning in Shanghai: C1's turn
        done = carry_out(conn, abroad, report, settings, "test", SHANGHAI_MORNING)
    assert [(d.customer, d.status) for d in done] == [("C1", "sent")]


def test_nobody_in_the_window_refuses_the_run(db, acme):
    settings = Settings(send_window="08:30-18:00", time_zone="Asia/Shanghai")
    with db.connect() as conn:
        assert not window_open(conn, acme, settings, SHANGHAI_NIGHT)


def test_a_customer_recorded_one_at_a_time_takes_a_time_zone_too(db, acme):
    from credo.services import records

    with db.begin() as conn:
        records.record(conn, acme, "customers", {"customer_code": "C9", "name": "Berlin GmbH",
                                                 "time_zone": "Europe/Berlin"}, "test")
    assert zone_of(db, "C9") == "Europe/Berlin"
