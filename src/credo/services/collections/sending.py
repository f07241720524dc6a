"""Carrying out a dunning run (`credo dunning run --send`): each proposal's actions through the real
channels, and what was done recorded in `dunning_sends`, one row per invoice and step.

Each customer is its own transaction, committed once its actions are done: a message that went out
is recorded even when a later customer's fails, and a run that stops half way resends nothing that
was recorded. Each row keeps the channels that delivered (`delivered`); a step whose action failed
is recorded as failed, with the reason, and the next run tries the failed channels only (mail keeps
its Message-ID, SMS its idempotency key, so a receiver can tell a retry from a new message): a
channel that delivered is never used again for that send. A customer handed over to a person (its
stay on a step past the policy's maximum) gets one review task, however often the run comes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.channels import letters, mail, sms
from credo.channels.mail_templates import render_message
from credo.config import Settings
from credo.domain.dunning import Action, Handover, Proposal
from credo.errors import CredoError
from credo.services.access import EVERYONE
from credo.services.collections.dunning import DunningReport
from credo.services.collections.facts import OpenItem
from credo.services.collections.contacts import dunning_contacts
from credo.services.collections.statement import statement_of_account
from credo.services.collections.tasks import create_task
from credo.services.companies import Company, business_day_rule
from credo.services.settings import company_window
from credo.services.credit.lines import on_hold, set_hold
from credo.store.collections_tables import dunning_sends
from credo.store.tables import customers

TASKS = {Action.CALL: "call", Action.VISIT: "visit", Action.ACCOUNT_MANAGER: "account_manager",
         Action.AGENCY: "review", Action.LEGAL: "review"}
ESCALATION = {Action.ORDER_BLOCK: ("暂停信用额度和发货", "credit and deliveries suspended"),
              Action.AGENCY: ("委托专业机构催收", "the debt passed to a collection agency"),
              Action.LEGAL: ("通过法律途径解决", "legal action")}
TOTALS = ("合计", "逾期合计", "未付合计", "Total")  # a mail's totals line: the letter's table has them
TITLES = {"final_demand": ("最后催款通知", "Final demand"), "escalation": ("催款通知", "Notice"),
          "notice": ("逾期付款通知", "Overdue notice")}


@dataclass(frozen=True)
class Delivery:
    customer: str
    level: int
    step: str
    status: str  # sent | failed | waiting (outside its own sending window: not recorded) | handed_over
    done: tuple[str, ...]  # what was carried out, e.g. "email to a@b.cn", "task call"
    error: str | None
    step_zh: str = ""  # the step's Chinese name (the data's), for the pages
    delivered: tuple[str, ...] = ()  # the actions (Action.value) carried out by this attempt

    def to_json(self) -> dict:
        return {"customer": self.customer, "level": self.level, "step": self.step, "status": self.status,
                "done": list(self.done), "delivered": list(self.delivered), "error": self.error,
                "step_zh": self.step_zh or self.step}


def carry_out(conn: Connection, company: Company, report: DunningReport, settings: Settings,
              actor: str, moment: datetime | None = None) -> list[Delivery]:
    """Send every proposal of the report; `conn` commits as it goes (one customer at a time). With a
    `moment`, a customer is sent to only when it falls within the sending window in the customer's
    own time zone (else the company's); the others are left for a later run (status `waiting`,
    nothing recorded, so the next run proposes them again)."""
    out = []
    zones = customer_zones(conn, company) if moment is not None else {}
    working, window = working_days(company), company_window(conn, company, settings)
    for proposal in report.proposals:
        if moment is not None and not within_window(settings, moment, zones.get(proposal.customer), working, window):
            out.append(Delivery(proposal.customer, proposal.step.level, proposal.step.name, "waiting", (),
                                f"outside the sending window {window} "
                                f"({zones.get(proposal.customer) or settings.time_zone})", proposal.step.name_in("zh")))
            continue
        delivery = _deliver(conn, company, report, proposal, settings, actor)
        _record(conn, company, report, proposal, delivery, actor)
        conn.commit()
        out.append(delivery)
    for handover in report.handovers:
        delivery = _hand_over(conn, company, report, handover, actor)
        conn.commit()
        if delivery is not None:
            out.append(delivery)
    return out


def tally(done: list[Delivery]) -> dict[str, int]:
    """How a run's deliveries ended: sent, failed (their failed channels tried again by the next
    run), waiting (outside the customer's window) and handed_over (a review task for a person)."""
    counts = {"sent": 0, "failed": 0, "waiting": 0, "handed_over": 0}
    for delivery in done:
        counts[delivery.status] += 1
    return counts


def _hand_over(conn, company, report, handover: Handover, actor: str) -> Delivery | None:
    """One review task for the credit manager when a customer stayed on a step past the policy's
    maximum (source `dunning:{customer}:stay:{level}:{since}`, so once however often the run comes)."""
    customer_id, name = report.facts.names[handover.customer]
    days = (report.as_of - handover.since).days
    title = (f"{handover.step.name} since {handover.since} ({days} days), invoices "
             f"{', '.join(handover.invoices)} – {name}: decide the next step (agency, legal, plan, write-off)")
    task = create_task(conn, company, customer_id, "review", report.as_of, None, title[:300],
                       f"dunning:{handover.customer}:stay:{handover.step.level}:{handover.since}", actor)
    if not task["created"]:
        return None
    return Delivery(handover.customer, handover.step.level, handover.step.name, "handed_over",
                    (f"task review #{task['id']}",), None, handover.step.name_in("zh"))


def _deliver(conn, company, report, proposal: Proposal, settings, actor) -> Delivery:
    customer = conn.execute(select(customers).where(customers.c.company_id == company.id,
                                                    customers.c.code == proposal.customer)).one()
    key = "dunning:" + hashlib.sha256(",".join(sorted(proposal.new)).encode()).hexdigest()[:24]
    items = [report.item(line.invoice) for line in proposal.items]
    done, errors, delivered = [], [], []
    for action in proposal.to_do:  # a retry: only the channels that failed
        try:
            done.append(_act(conn, company, report, proposal, customer, items, action, key, settings, actor))
            delivered.append(action.value)
        except CredoError as error:  # a channel that refused, a missing address: that channel is retried
            errors.append(f"{action.value}: {error}")
    status = "failed" if errors else "sent"
    return Delivery(proposal.customer, proposal.step.level, proposal.step.name, status, tuple(done),
                    "; ".join(errors) or None, proposal.step.name_in("zh"), tuple(delivered))


def _act(conn, company, report, proposal, customer, items, action, key, settings, actor) -> str:
    recipients = dunning_contacts(conn, company, customer.id)
    language = (recipients[0].language if recipients else None) or customer.language or "zh"
    if action is Action.EMAIL:
        to = tuple(r.email for r in recipients if r.email)
        if not to:
            raise CredoError(f"customer {customer.code} has no email to write to (contacts or contact_email)")
        rendered = render_message(proposal.step.template, language,
                                  _context(company, report, customer, items, proposal))
        attachments = ()
        if proposal.step.attach_statement:
            statement = statement_of_account(conn, company, customer.code, report.as_of, language)
            attachments = (mail.Attachment(f"statement-{customer.code}-{report.as_of}.pdf",
                                           letters.render_letter(statement, settings), "application/pdf"),)
        sent = mail.send(mail.Message(to, rendered.subject, rendered.text, key, language,
                                      html=rendered.html, attachments=attachments), settings)
        return f"email to {', '.join(to)} ({sent.message_id})"
    if action is Action.SMS:
        phones = [r.phone for r in recipients if r.phone]
        if not phones:
            raise CredoError(f"customer {customer.code} has no phone to text (contacts or contact_phone)")
        text = _sms_text(company, customer, items, language)
        for n, phone in enumerate(phones):  # one key per number: a gateway dedupes by key
            sms.send(sms.TextMessage(phone, text, key if n == 0 else f"{key}:{n}"), settings)
        return f"sms to {', '.join(phones)}"
    if action is Action.LETTER:
        path = Path(settings.letters_dir) / report.as_of.isoformat() / f"{customer.code}-L{proposal.step.level}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_letter(company, report, customer, items, settings, proposal))
        return f"letter {path}"
    if action is Action.ORDER_BLOCK:
        if on_hold(conn, company, customer.id, report.as_of) is None:
            set_hold(conn, company, EVERYONE, customer.code, True, f"dunning: {proposal.step.name}", actor,
                     report.as_of)
        return "order block"
    return _task(conn, company, report, proposal, customer, action, actor)


def _task(conn, company, report, proposal, customer, action, actor) -> str:
    """A task for the collector (call, visit), the sales person (account manager) or the credit
    manager (agency, legal: open a case); once per step, however often it is tried."""
    kind = TASKS[action]
    assignee = customer.salesperson if action is Action.ACCOUNT_MANAGER else (
        None if kind == "review" else customer.collector)
    title = (f"{proposal.step.name}: {action.value.replace('_', ' ')} – {customer.name}, "
             f"{proposal.net_amount} {report.currency} in dunning")
    create_task(conn, company, customer.id, kind, report.as_of, assignee, title[:300],
                f"dunning:{proposal.customer}:{proposal.step.level}:{min(proposal.new)}:{action.value}", actor)
    return f"task {kind}" + (f" for {assignee}" if assignee else "")


def _context(company, report, customer, items: list[OpenItem], proposal: Proposal) -> dict:
    """What a template reads: the items with their amounts in dunning (disputed parts out, so the
    lines add up to the totals), and whether earlier reminders may be spoken of."""
    shown = [{"invoice_number": i.number, "due_date": i.due_date, "days_overdue": max((report.as_of - i.due_date).days, 0),
              "open_amount": i.in_dunning, "currency": i.currency} for i in items]
    totals: dict[str, Decimal] = {}
    for item in shown:
        totals[item["currency"]] = totals.get(item["currency"], Decimal(0)) + item["open_amount"]
    actions = proposal.step.actions
    zh, en = next((ESCALATION[a] for a in actions if a in ESCALATION), ("采取进一步措施", "further steps"))
    return {"customer": customer.name, "company": company.name, "as_of": report.as_of, "items": shown,
            "totals": totals, "action_zh": zh, "action_en": en, "reminded_before": proposal.reminded_before}


def _letter(company, report, customer, items, settings, proposal: Proposal) -> bytes:
    """The step's letter as PDF: its mail's wording around a table of the open items in dunning."""
    step = proposal.step
    language = customer.language or "zh"
    title = TITLES.get(step.template, ("催款通知", "Notice"))[0 if language == "zh" else 1]
    text = render_message(step.template, language, _context(company, report, customer, items, proposal)).text
    # The mail's wording around its list of invoices, the letter's table standing for the list.
    parts = [" ".join(part.split("\n")) for part in text.split("\n\n") if part.strip()]
    listed = [k for k, part in enumerate(parts) if part.startswith("-")]
    paragraphs = tuple(parts[:listed[0]]) if listed else tuple(parts)
    closing = tuple(part for part in parts[listed[-1] + 1:] if not part.startswith(TOTALS)) if listed else ()
    letter = letters.Letter(letters.Party(company.name), letters.Party(customer.name), report.as_of, language, title,
                            paragraphs, tuple(letters.OpenItem(i.number, i.issue_date, i.due_date,
                                                               max((report.as_of - i.due_date).days, 0),
                                                               i.in_dunning, i.in_dunning, i.currency)
                                              for i in items), closing)
    return letters.render_letter(letter, settings)


def _sms_text(company, customer, items: list[OpenItem], language: str) -> str:
    total = sum((i.in_dunning for i in items), Decimal(0))
    currency = items[0].currency if items else ""
    if language == "zh":
        return f"【{company.name}】{customer.name}：贵司有{len(items)}张发票逾期未付，合计{currency} {total:,}，请尽快付款。"
    return f"{company.name}: {len(items)} overdue invoice(s), {currency} {total:,} in all. Please pay at your earliest."


def _record(conn, company, report, proposal: Proposal, delivery: Delivery, actor: str) -> None:
    """One row per invoice and step: inserted the first time, updated on a retry; `delivered` gathers
    the channels that went out over the attempts, and the row is `sent` once every one of them has."""
    now = clock.now()
    invoice_ids = {i.number: i.invoice_id for i in (report.item(line.invoice) for line in proposal.items)}
    channels = [a.value for a in proposal.step.actions]
    s = dunning_sends.c
    for line in proposal.items:
        if not line.times:
            continue
        found = conn.execute(select(s.id, s.attempts, s.delivered, s.sent_at, s.run_on)
                             .where(s.company_id == company.id, s.send_key == line.key)).first()
        before = set(filter(None, (found.delivered or "").split(","))) if found is not None else set()
        delivered = before | set(line.done) | set(delivery.delivered)
        complete = set(channels) <= delivered
        # run_on: the day the step first reached the customer (the wait for the next step counts from it)
        values = dict(status="sent" if complete else "failed", error=delivery.error,
                      run_on=found.run_on if before else report.as_of,
                      channels=",".join(channels), delivered=",".join(c for c in channels if c in delivered),
                      sent_at=(found.sent_at if found is not None and found.sent_at else now) if delivered else None)
        if found is None:
            conn.execute(insert(dunning_sends).values(
                company_id=company.id, customer_id=report.facts.names[proposal.customer][0],
                invoice_id=invoice_ids[line.invoice], send_key=line.key, level=line.level, times=line.times,
                policy=proposal.policy, step=proposal.step.name, attempts=1, created_at=now, actor=actor, **values))
        else:
            conn.execute(update(dunning_sends).where(s.id == found.id).values(attempts=found.attempts + 1, **values))


def within_window(settings: Settings, moment: datetime, zone: str | None = None,
                  working_day: Callable[[date], bool] | None = None, window: str | None = None) -> bool:
    """Whether a moment (aware) falls within the sending window (`window`, the company's, else
    CREDO_SEND_WINDOW), in `zone` (a customer's own time zone) or else the company's
    (CREDO_TIME_ZONE), on a working day there (`working_day`: the company's calendar; none: every day)."""
    from zoneinfo import ZoneInfo

    local = moment.astimezone(ZoneInfo(zone or settings.time_zone))
    if working_day is not None and not working_day(local.date()):
        return False
    start, end = (datetime.strptime(part.strip(), "%H:%M").time()
                  for part in (window or settings.send_window).split("-"))
    return start <= local.time() < end


def working_days(company: Company) -> Callable[[date], bool]:
    """The company's working days: its holiday calendar's business days, else Monday to Friday."""
    return business_day_rule(company) or (lambda day: day.weekday() < 5)


def customer_zones(conn: Connection, company: Company) -> dict[str, str]:
    """customer code -> its own time zone, for the customers that have one."""
    c = customers.c
    query = select(c.code, c.time_zone).where(c.company_id == company.id, c.time_zone.is_not(None))
    return dict(conn.execute(query).all())


def window_open(conn: Connection, company: Company, settings: Settings, moment: datetime) -> bool:
    """Whether anyone can be sent to at the moment: the window is open in the company's time zone, or
    in the own time zone of some customer (carry_out then sends to those whose window is open)."""
    working, window = working_days(company), company_window(conn, company, settings)
    if within_window(settings, moment, None, working, window):
        return True
    return any(within_window(settings, moment, zone, working, window)
               for zone in set(customer_zones(conn, company).values()))
