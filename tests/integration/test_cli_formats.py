"""Every command whose help offers a --format takes each format it offers, and what it writes parses:
JSON with json, CSV with the csv module (every row as wide as its header), XLSX with openpyxl (a
header row on every sheet). Every dated command names its date --as-of: no visible --on is left.

The commands are found by walking the Typer app and reading each one's --help; SCRIPT says how to run
each on the small `acme` ledger (tests/conftest.py), in an order that makes the records the later
steps act on (a dispute before it is investigated, a write-off before it is approved). A command
that offers a format and is missing from SCRIPT fails the test: add it there.

The ledger (CNY base): C1 owes I2 1,500.00 (2,000.00 due 2024-03-31, 500.00 of P1 applied); C2 owes
I3 USD 300.00; C3 owes I4 2,500.00 (3,000.00 less credit note CN1). Dates: as of 2024-06-30."""

from __future__ import annotations

import csv
import io
import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from builders import INVOICES, write_csv
from typer._click.core import Context
from typer.main import get_command
from typer.testing import CliRunner

from credo.cli import app
from credo.store.collections_tables import disputes, interest_waivers, payment_plans
from credo.store.discount_tables import discount_offers
from credo.store.risk_insurance_tables import insurance_claims
from credo.store.limit_tables import limit_requests
from credo.store.risk_provision_tables import specific_provisions
from credo.store.risk_alert_tables import risk_alerts, risk_flags
from credo.store.write_off_tables import write_offs

pytestmark = pytest.mark.db
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
KNOWN = ("table", "json", "csv", "xlsx", "pdf")
AS_OF = ("--as-of", "2024-06-30")
POLICY = ("--policy", "SS-2026-0001")
CHECKER = {"CREDO_ACTOR": "checker"}  # the second person of maker-checker


def _commands(command, path=()):
    if not getattr(command, "commands", None):
        yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _commands(sub, (*path, name))


@lru_cache(maxsize=None)
def _root():
    return get_command(app)


@lru_cache(maxsize=None)
def _help(path: tuple[str, ...]) -> str:
    """`credo PATH --help` as printed, 200 columns wide (the command tree built once, not per command)."""
    command = _root()
    for name in path:
        command = command.commands[name]
    return command.get_help(Context(command, info_name=" ".join(("credo", *path)), terminal_width=200,
                                    max_content_width=200))


def offered_formats(path) -> list[str]:
    """The formats the command's help offers: the choices of --format <a|b>, else those its help names."""
    help_text = _help(path)
    found = re.search(r"--format\s+<([^>]+)>(.*)", help_text)
    if not found:
        return []
    choices = found.group(1).split("|")
    if all(c in KNOWN for c in choices):
        return choices
    return [word for word in KNOWN if re.search(rf"\b{word}\b", found.group(2))]


@lru_cache(maxsize=None)
def _formatted() -> dict:
    found = {path: offered_formats(path) for path, _ in _commands(_root())}
    return {path: offered for path, offered in found.items() if offered}


def test_no_dated_command_shows_an_on_option_any_more():
    shown = [" ".join(path) for path, command in _commands(_root())
             if any("--on" in p.opts and not p.hidden for p in command.params if p.param_type_name == "option")]
    assert shown == []
    assert not [" ".join(path) for path, _ in _commands(_root()) if re.search(r"--on\b", _help(path))]


def test_every_former_on_option_is_still_read_as_a_hidden_alias_of_as_of():
    aliased = {" ".join(path) for path, command in _commands(_root())
               if any("--on" in p.opts and p.hidden for p in command.params if p.param_type_name == "option")}
    assert {"activity log", "case open", "case close", "task done", "dispute open", "dispute resolve", "promise add",
            "promise cancel", "plan add", "plan cancel", "discount offer", "discount withdraw", "risk alert ack",
            "risk alert resolve", "risk flag", "risk unflag", "risk insured-limit request", "risk insured-limit grant",
            "risk report-overdue", "risk claim file", "risk claim update"} <= aliased
    for path in aliased:
        assert "--as-of" in _help(tuple(path.split())), path


def test_case_recover_dispute_investigate_and_task_cancel_take_an_as_of_date():
    for path in (("case", "recover"), ("dispute", "investigate"), ("task", "cancel"), ("payments", "reverse")):
        assert "--as-of" in _help(path), path


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    """A statistical scorecard for `credit score` (trained once: the German credit examples)."""
    target = tmp_path_factory.mktemp("model") / "german.model"
    result = CliRunner().invoke(app, ["credit", "train", "--data", EXAMPLES / "credit" / "german-credit.csv",
                                      "--target", "creditability", "--out", str(target)])
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture
def ledger_cli(cli_acme, tmp_path):
    cli = cli_acme
    # An invoice of 2026, in the period of the example insurance policy, for the claim to cover.
    write_csv(tmp_path / "insured.csv", INVOICES, [["I9", "C1", "2026-03-01", "", "", "1000", ""]])
    assert cli("import", "invoices", tmp_path / "insured.csv")[0] == 0
    assert cli("interest", "settings", "--waiver-threshold", "0")[0] == 0  # waivers: a controller's to approve
    cli.user("checker", "admin")  # the second person, of the level the largest limit asks for
    return cli


def script(last, model: Path):
    """(command, arguments, environment, exit codes allowed) in order; `last(table)` is the newest id."""
    def newest(table):
        return lambda: str(last(table))

    return [
        (("report", "aging"), AS_OF), (("report", "behaviour"), AS_OF), (("report", "dso"), AS_OF),
        (("report", "metrics"), ("--from", "2024-01-01", "--to", "2024-06-30")),
        (("report", "trends"), ("--from", "2024-01-01", "--to", "2024-06-30")),
        (("summary",), AS_OF), (("worklist",), AS_OF), (("care", "schedule"), AS_OF),
        (("activity", "list"), ("C1",)), (("contact", "list"), ("C1",)), (("task", "list"), AS_OF),
        (("case", "list"), ()),
        (("credit", "assess"), ("C1", *AS_OF)), (("credit", "file"), ("C1", *AS_OF)),
        (("credit", "check"), ("C1", "--amount", "100", *AS_OF), {}, (0, 1)),  # 1: blocked (no credit line)
        (("credit", "history"), ("--as-of", "2024-03-31", "--months", "3")),
        (("credit", "train"), ("--data", EXAMPLES / "credit" / "german-credit.csv", "--target", "creditability",
                               "--out", model.with_suffix(".again"))),
        (("credit", "score"), ("--model", model, "--data", EXAMPLES / "credit" / "german-credit.csv")),
        (("credit", "limit", "request"), ("--customer", "C1", "--amount", "5000000", "--term-days", "30", "--rating",
                                          "B", "--reason", "new contract")),
        (("credit", "limit", "approve"), (newest(limit_requests),), CHECKER),
        (("credit", "limit", "request"), ("--customer", "C2", "--amount", "6000000", "--term-days", "30", "--rating",
                                          "B", "--reason", "more")),
        (("credit", "limit", "reject"), (newest(limit_requests), "--note", "no financials"), CHECKER),
        (("credit", "limit", "show"), (newest(limit_requests),)), (("credit", "limit", "list"), ()),
        (("credit", "queue"), ("--status", "all")),
        (("credit", "reviews"), AS_OF), (("credit", "review"), ("C3", *AS_OF)),
        (("discount", "offer"), ("C3", "--invoice", "I4", "--percent", "2", "--pay-by", "2024-07-10", *AS_OF)),
        (("discount", "list"), AS_OF),
        (("discount", "withdraw"), (newest(discount_offers), *AS_OF)),
        (("dispute", "open"), ("I4", "--reason", "price", "--owner", "li", "--amount", "100", *AS_OF)),
        (("dispute", "investigate"), (newest(disputes), *AS_OF)),
        (("dispute", "resolve"), (newest(disputes), "--resolution", "valid", *AS_OF)),
        (("dispute", "list"), ("--status", "all")), (("dispute", "report"), AS_OF),
        (("promise", "add"), ("C2", "--date", "2024-07-10", "--amount", "100", *AS_OF)),
        (("promise", "list"), AS_OF),
        (("plan", "add"), ("C1", "--invoice", "I2", "--count", "3", "--first-due", "2024-07-31", *AS_OF)),
        (("plan", "show"), (newest(payment_plans), *AS_OF)), (("plan", "list"), AS_OF),
        (("dunning", "run"), AS_OF),
        (("interest", "terms", "set"), ("--rate", "8", "--valid-from", "2024-01-01")),
        (("interest", "terms", "show"), ()), (("interest", "report"), AS_OF),
        (("interest", "charge"), AS_OF),
        (("interest", "waive"), ("I3", "--amount", "1", "--reason", "goodwill", *AS_OF)),
        (("interest", "approve"), (newest(interest_waivers), *AS_OF), CHECKER),
        (("interest", "waive"), ("I3", "--amount", "1", "--reason", "goodwill again", *AS_OF)),
        (("interest", "reject"), (newest(interest_waivers), "--note", "no"), CHECKER),
        (("interest", "waivers"), ()),
        (("risk", "flag"), ("C1", "--kind", "news", "--note", "plant closed", *AS_OF)),
        (("risk", "flags"), ()), (("risk", "unflag"), (newest(risk_flags), *AS_OF)),
        (("risk", "scan"), AS_OF), (("risk", "alerts"), ("--status", "all")),
        (("risk", "alert", "show"), (newest(risk_alerts),)),
        (("risk", "alert", "ack"), (newest(risk_alerts), *AS_OF)),
        (("risk", "alert", "comment"), (newest(risk_alerts), "called the customer")),
        (("risk", "alert", "resolve"), (newest(risk_alerts), *AS_OF)),
        (("risk", "rules", "list"), ()), (("risk", "rules", "set"), ("dpd_60", "--severity", "high")),
        (("risk", "report"), AS_OF),
        (("risk", "policy", "add"), ("--file", EXAMPLES / "insurance-policy.json")), (("risk", "policy", "list"), ()),
        (("risk", "insured-limit", "request"), ("C1", *POLICY, "--amount", "1000", "--as-of", "2026-01-20")),
        (("risk", "insured-limit", "grant"), ("C1", *POLICY, "--amount", "800", "--as-of", "2026-02-01")),
        (("risk", "insured-limit", "list"), ()),
        (("risk", "insured"), AS_OF), (("risk", "beyond-limit"), AS_OF), (("risk", "deadlines"), AS_OF),
        (("risk", "report-overdue"), ("C1", *POLICY, "--as-of", "2026-04-24")),
        (("risk", "claim", "file"), ("C1", *POLICY, "--amount", "100", "--invoice", "I9", "--as-of", "2026-06-19")),
        (("risk", "claim", "update"), (newest(insurance_claims), "--status", "filed", "--as-of", "2026-06-20"),
         CHECKER),
        (("risk", "claim", "list"), ()),
        (("risk", "provision"), AS_OF), (("risk", "provision-settings"), ()),
        (("risk", "specific", "set"), ("C1", "--rate", "50%", "--reason", "in liquidation", "--from", "2024-01-01")),
        (("risk", "specific", "list"), ()), (("risk", "specific", "end"), (newest(specific_provisions), "--until",
                                                                           "2024-06-30")),
        (("risk", "write-off", "request"), ("I4", "--reason", "bankrupt", *AS_OF)),
        (("risk", "write-off", "approve"), (newest(write_offs),), CHECKER),
        (("risk", "recover"), (newest(write_offs), "--amount", "100", *AS_OF)),
        (("risk", "write-off", "request"), ("I3", "--reason", "gone", *AS_OF)),
        (("risk", "write-off", "reject"), (newest(write_offs), "--note", "still trading"), CHECKER),
        (("risk", "write-off", "list"), ()),
        (("risk", "movement"), ("--from", "2024-01-01", "--to", "2024-06-30")),
        (("case", "open"), ("C3", "--kind", "agency", "--handler", "华信", "--recovery-rate", "60", "--amount", "500",
                           *AS_OF)),
        (("case", "list"), ("--status", "open")),
        # Last: a close locks 2024-06-30, the day the steps above write on; reopened, the next format runs them again
        (("close", "period"), AS_OF), (("close", "list"), ()), (("close", "verify"), ()),
        (("close", "reopen"), ("--reason", "the next format's steps")),
    ]


def check_output(fmt: str, out: str, target: Path) -> None:
    if fmt == "json":
        json.loads(out)
    elif fmt == "csv":
        sections = [[]]
        for row in csv.reader(io.StringIO(out)):
            if row:
                sections[-1].append(row)
            else:
                sections.append([])
        assert sections[0], "no CSV"
        for rows in sections:
            assert rows and all(rows[0]) and {len(r) for r in rows} == {len(rows[0])}, rows[:3]
    elif fmt == "xlsx":
        book = load_workbook(target)  # a table per sheet, or a designed report (`risk report`): a title first
        for sheet in book.worksheets:
            first = sheet.cell(1, 1).value
            assert isinstance(first, str) and first, (sheet.title, first)
    elif fmt == "pdf":
        assert target.read_bytes().startswith(b"%PDF")
    else:
        assert out.strip()


def test_the_script_runs_every_command_that_offers_a_format():
    steps = {tuple(step[0]) for step in script(lambda table: 1, Path("m"))}
    missing = sorted(" ".join(path) for path in _formatted() if path not in steps)
    assert missing == [], f"add these commands to SCRIPT: {missing}"


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "xlsx", "pdf"])
def test_every_command_takes_each_format_its_help_offers_and_the_output_parses(ledger_cli, db, model, tmp_path,
                                                                               monkeypatch, fmt):
    if db.dialect.name != "sqlite":  # the output formats do not depend on the engine; the commands' SQL is
        pytest.skip("tested on both engines by their own tests: this walk of ~100 commands runs on SQLite")

    def last(table) -> int:
        with db.connect() as conn:
            return conn.execute(select(func.max(table.c.id))).scalar_one()

    formats, ran = _formatted(), []
    for number, step in enumerate(script(last, model)):
        path, args, env, codes = {2: (*step, {}, (0,)), 3: (*step, (0,)), 4: step}[len(step)]
        if path in formats and fmt not in formats[path]:
            continue  # `credit train` (table, json), `risk report` (pdf, xlsx): no later step needs them
        args = [a() if callable(a) else a for a in args]
        for name, value in {"CREDO_ACTOR": "tester", **env}.items():
            monkeypatch.setenv(name, value)
        target = tmp_path / f"{number}.{fmt}"
        chosen = ["--format", fmt] if fmt in formats.get(path, []) else []
        if chosen and fmt in ("xlsx", "pdf"):
            chosen += ["--out", target]
        code, out, err = ledger_cli(*path, *args, *chosen)
        assert code in codes, f"credo {' '.join(path)} {args} {chosen}: exit {code}: {err}"
        if chosen:
            check_output(fmt, out, target)
            ran.append(" ".join(path))
    expected = sorted({" ".join(path) for path, offered in formats.items() if fmt in offered})
    assert sorted(set(ran)) == expected


def test_summary_prints_json_with_the_figures_of_its_tables(cli_acme):
    """As of 2024-06-30: I2 1,500.00 open, due 03-31 (91 days: 91-180); I3 USD 300.00 x 7.2 (the
    06-01 rate) = 2,160.00, due 03-30 (EOM30 of 02-15: 92 days); I4 3,000.00 - 500.00 = 2,500.00,
    due 07-19 (not due). Total 6,160.00 = 2,500.00 not due + 3,660.00 at 91-180 days."""
    code, out, err = cli_acme("summary", *AS_OF, "--format", "json")
    assert code == 0, err
    got = json.loads(out)
    assert (got["company"], got["as_of"], got["currency"]) == ("ACME", "2024-06-30", "CNY")
    assert got["aging"]["total"] == "6160.00"
    assert got["aging"]["buckets"]["not_due"] == "2500.00" and got["aging"]["buckets"]["91-180"] == "3660.00"
    assert [(r["customer"], r["overdue"]) for r in got["top_overdue"]] == [("C2", "2160.00"), ("C1", "1500.00")]
    assert {"dso", "countback_dso", "year"} <= set(got)


def test_as_of_and_its_former_name_together_are_refused(cli_acme):
    code, _, err = cli_acme("dispute", "open", "I4", "--reason", "price", "--owner", "li", "--as-of", "2024-06-30",
                            "--on", "2024-06-29")
    assert code == 2 and "--as-of and --on (its former name) both given" in err
    code, _, err = cli_acme("payments", "reverse", "P2", "--reason", "bounced", "--as-of", "2024-06-30",
                            "--date", "2024-06-29")
    assert code == 2 and "--as-of and --date (its former name) both given" in err


def test_a_recovery_and_an_investigation_are_dated_by_as_of_and_not_before_their_case_or_dispute(cli_acme):
    assert cli_acme("case", "open", "C1", "--kind", "agency", "--handler", "华信", "--recovery-rate", "60",
                    "--as-of", "2024-06-01")[0] == 0  # I2's 1,500.00, 62 days past due
    code, _, err = cli_acme("case", "recover", "1", "--amount", "500", "--as-of", "2024-05-31")
    assert code == 2 and "a recovery on 2024-05-31 is before the case opened (2024-06-01)" in err
    code, out, _ = cli_acme("case", "recover", "1", "--amount", "500", "--as-of", "2024-06-20")
    assert code == 0 and "500.00 CNY recovered so far" in out
    assert '"recovered_on": "2024-06-20"' in cli_acme("audit", "--entity", "collection_case")[1]
    assert cli_acme("dispute", "open", "I4", "--reason", "price", "--owner", "li", "--as-of", "2024-06-10")[0] == 0
    code, _, err = cli_acme("dispute", "investigate", "1", "--as-of", "2024-06-09")
    assert code == 2 and "investigating on 2024-06-09 is before the dispute was opened (2024-06-10)" in err
    assert cli_acme("dispute", "investigate", "1", "--as-of", "2024-06-12")[0] == 0
    assert '"investigated_on": "2024-06-12"' in cli_acme("audit", "--entity", "dispute")[1]
