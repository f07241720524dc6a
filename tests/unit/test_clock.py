"""The business clock: the company's day, not the host's; pinned for demos and tests."""

from __future__ import annotations

import ast
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

import credo
from credo import clock
from credo.config import Settings

SHANGHAI = timezone(timedelta(hours=8))


@pytest.mark.parametrize(("moment", "zone", "day"), [
    # 07:30 in Shanghai is 23:30 UTC the evening before: the business day is Shanghai's.
    (datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI), "Asia/Shanghai", date(2026, 12, 7)),
    (datetime(2026, 12, 7, 7, 30, tzinfo=SHANGHAI), "UTC", date(2026, 12, 6)),
    (datetime(2026, 12, 7, 0, 0, tzinfo=SHANGHAI), "Asia/Shanghai", date(2026, 12, 7)),
    (datetime(2026, 12, 6, 23, 59, tzinfo=SHANGHAI), "Asia/Shanghai", date(2026, 12, 6)),
    # 16:30 UTC is past midnight in Shanghai, not yet in New York.
    (datetime(2026, 12, 6, 16, 30, tzinfo=timezone.utc), "Asia/Shanghai", date(2026, 12, 7)),
    (datetime(2026, 12, 6, 16, 30, tzinfo=timezone.utc), "America/New_York", date(2026, 12, 6)),
])
def test_the_business_day_is_the_day_in_the_companys_zone(moment, zone, day):
    with clock.pinned(moment):
        assert clock.today(zone) == day
        now = clock.now()
        assert timedelta(0) <= now - moment < timedelta(seconds=1) and now.tzinfo == timezone.utc


def test_a_pinned_clock_stands_still_to_the_second_and_its_readings_keep_their_order():
    with clock.pinned(datetime(2026, 12, 6, 23, 30, tzinfo=SHANGHAI)):
        readings = [clock.now() for _ in range(1000)]
    assert readings == sorted(set(readings))  # each after the one before: records keep their order
    assert readings[-1] - readings[0] == timedelta(microseconds=999)


def test_a_pin_is_undone_at_the_end_of_its_block_and_nests():
    before = clock.pinned_at()
    with clock.pinned(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)):
        with clock.pinned(datetime(2027, 1, 1, 9, 0, tzinfo=SHANGHAI)):
            assert clock.today("Asia/Shanghai") == date(2027, 1, 1)
        assert clock.today("Asia/Shanghai") == date(2026, 12, 7)
    assert clock.pinned_at() == before


def test_a_moment_without_its_offset_is_refused():
    with pytest.raises(ValueError, match="no UTC offset"):
        clock.parse_moment("2026-12-06T23:30")
    with pytest.raises(ValueError, match="not an ISO 8601 moment"):
        clock.parse_moment("Sunday night")
    with pytest.raises(ValueError, match="UTC offset"):
        clock.pin(datetime(2026, 12, 6, 23, 30))


def test_credo_clock_pins_the_clock_and_the_time_zone_sets_the_day(monkeypatch):
    monkeypatch.setenv("CREDO_CLOCK", "2026-12-07T07:30+08:00")
    monkeypatch.setenv("CREDO_TIME_ZONE", "Asia/Shanghai")
    config = Settings()
    before = clock.pinned_at()
    try:
        config.apply_clock()
        assert clock.now() - datetime(2026, 12, 6, 23, 30, tzinfo=timezone.utc) < timedelta(seconds=1)
        assert config.today() == clock.today() == date(2026, 12, 7)
    finally:
        clock.pin(before)
    with pytest.raises(ValueError, match="no UTC offset"):
        Settings(clock="2026-12-07T07:30")


def _reads_the_host_clock(node: ast.AST) -> bool:
    """date.today(), datetime.now(), datetime.utcnow(), time.time() and the like."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner, name = node.func.value, node.func.attr
    return isinstance(owner, ast.Name) and (owner.id, name) in {
        ("date", "today"), ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("time", "time")}


def test_nothing_but_the_business_clock_reads_the_hosts_date_or_time():
    package = Path(credo.__file__).parent
    found = [f"{path.relative_to(package)}:{node.lineno}" for path in sorted(package.rglob("*.py"))
             if path.name != "clock.py"
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if _reads_the_host_clock(node)]
    assert found == [], f"read credo.clock instead of the host's clock at {found}"
