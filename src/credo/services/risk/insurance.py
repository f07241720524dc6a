"""Credit insurance (信用保险): policies, the insured limits asked for and granted per buyer, the
insured and uninsured part of each buyer's exposure, the buyers sold to beyond their insured limit,
the insured fraction provisioning takes, and the reporting and claim deadlines of overdue buyers
(with the daily job's reminders). The rules are domain.risk.insurance's; claims are in
insurance_claims.py. Every change is audit-logged; every figure is as of a date, from records dated
on or before it. An insured limit asked for or decided is never dated in a closed period: refused,
or with `to_open_period` dated the first open day (services/periods.py); a policy alone insures
nothing before a decision under it, so its dates are not guarded."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, insert, select

from credo import clock
from credo.domain.money import ZERO, from_minor, is_currency_code, quantize, to_minor
from credo.domain.risk.insurance import (LimitDecision, PolicyTerms, alert_day, insured_split as split_of,
                                         limit_in_force, report_alert_day, report_covers, uninsured_reason)
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.browse import holdings
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.periods import Booking, book_on
from credo.services.credit.exposure import open_orders, receivable_minor
from credo.services.reports.common import Converter, money_text, sum_minor
from credo.store import queries
from credo.store.risk_insurance_tables import insurance_claims, insurance_policies, insured_limits, overdue_reports
from credo.store.tables import customers


def _now() -> datetime:
    return clock.now()


def _iso(day: date | None) -> str | None:
    return day and day.isoformat()


def short(text: str | None, limit: int, what: str) -> str | None:
    """A free text kept to its column's length (None when empty); longer is refused, not cut."""
    text = (text or "").strip()
    if len(text) > limit:
        raise InvalidInput(f"{what}: at most {limit} characters")
    return text or None


# --- policies ---------------------------------------------------------------------------------

def terms_of(row) -> PolicyTerms:
    return PolicyTerms(row.insurer, row.number, row.period_from, row.period_to, row.currency,
                       Decimal(row.coverage_share), from_minor(row.deductible, row.currency), row.max_credit_days,
                       row.report_overdue_days, row.claim_days, row.claim_from, row.alert_days)


def _policy_json(row) -> dict:
    return {"id": row.id, "insurer": row.insurer, "number": row.number, "period_from": row.period_from.isoformat(),
            "period_to": row.period_to.isoformat(), "currency": row.currency, "coverage_share": row.coverage_share,
            "deductible": money_text(from_minor(row.deductible, row.currency)),
            "max_credit_days": row.max_credit_days, "report_overdue_days": row.report_overdue_days,
            "claim_days": row.claim_days, "claim_from": row.claim_from, "alert_days": row.alert_days}


def add_policy(conn: Connection, company: Company, actor: str, *, insurer: str, number: str, period_from: date,
               period_to: date, coverage_share: str, deductible: Decimal = ZERO, currency: str | None = None,
               max_credit_days: int, report_overdue_days: int, claim_days: int, claim_from: str = "report",
               alert_days: int = 7) -> dict:
    """Record a policy (its number unique in the company); audit-logged."""
    currency = (currency or company.base_currency).upper()
    short(insurer, 200, "insurer")
    short(number, 64, "policy number")
    if not is_currency_code(currency):
        raise InvalidInput(f"currency {currency!r} is not a three-letter ISO code")
    try:
        share = Decimal(str(coverage_share).strip().rstrip("%"))
        if str(coverage_share).strip().endswith("%"):
            share /= 100
        terms = PolicyTerms(insurer.strip(), number.strip(), period_from, period_to, currency, share,
                            Decimal(deductible), max_credit_days, report_overdue_days, claim_days, claim_from,
                            alert_days)
        minor = to_minor(terms.deductible, currency)
    except (InvalidOperation, ValueError) as error:
        raise InvalidInput(f"policy: {error}") from None
    p = insurance_policies.c
    if conn.execute(select(p.id).where(p.company_id == company.id, p.number == terms.number)).first():
        raise Conflict(f"policy {terms.number} is recorded already")
    values = dict(company_id=company.id, insurer=terms.insurer, number=terms.number, period_from=period_from,
                  period_to=period_to, currency=currency, coverage_share=str(share), deductible=minor,
                  max_credit_days=max_credit_days, report_overdue_days=report_overdue_days, claim_days=claim_days,
                  claim_from=claim_from, alert_days=alert_days, created_at=_now(), actor=actor)
    conn.execute(insert(insurance_policies).values(**values))
    found = _policy_json(policy_row(conn, company, terms.number))
    audit.record(conn, actor=actor, action="create", entity="insurance_policy", key=terms.number,
                 company_id=company.id, after={k: v for k, v in found.items() if k != "id"})
    return found


def policy_row(conn: Connection, company: Company, number: str):
    p = insurance_policies.c
    row = conn.execute(select(insurance_policies).where(p.company_id == company.id, p.number == number)).first()
    if row is None:
        raise NotFound(f"no insurance policy {number!r}")
    return row


def list_policies(conn: Connection, company: Company) -> list[dict]:
    p = insurance_policies.c
    rows = conn.execute(select(insurance_policies).where(p.company_id == company.id)
                        .order_by(p.period_from, p.number)).all()
    return [_policy_json(row) for row in rows]


# --- insured limits ---------------------------------------------------------------------------

def _limit_query():
    l, c, p = insured_limits.c, customers.c, insurance_policies.c
    return (select(insured_limits, c.code.label("customer"), c.name, p.number.label("policy"))
            .select_from(insured_limits.join(customers, c.id == l.customer_id)
                         .join(insurance_policies, p.id == l.policy_id)))


def _limit_json(row) -> dict:
    return {"id": row.id, "policy": row.policy, "customer": row.customer, "name": row.name, "kind": row.kind,
            "request_id": row.request_id, "dated_on": row.dated_on.isoformat(),
            "amount": money_text(from_minor(row.amount, row.currency)), "currency": row.currency,
            "refused": row.kind == "decision" and row.amount == 0, "valid_from": _iso(row.valid_from),
            "valid_until": _iso(row.valid_until), "reference": row.reference, "note": row.note, "actor": row.actor}


def _minor(amount: Decimal, currency: str, what: str) -> int:
    try:
        minor = to_minor(Decimal(amount), currency)
    except (InvalidOperation, ValueError) as error:
        raise InvalidInput(f"{what} {amount}: {error}") from None
    if minor < 0:
        raise InvalidInput(f"{what} cannot be negative: {amount}")
    return minor


def _add_limit(conn, company, actor, values: dict, action: str, booked: Booking) -> dict:
    values |= dict(company_id=company.id, created_at=_now(), actor=actor, dated_on=booked.day)
    limit_id = conn.execute(insert(insured_limits).values(**values)).inserted_primary_key[0]
    found = _limit_json(conn.execute(_limit_query().where(insured_limits.c.id == limit_id)).one())
    audit.record(conn, actor=actor, action=action, entity="insured_limit", key=str(limit_id), company_id=company.id,
                 after={k: v for k, v in found.items() if k not in ("id", "name", "actor") and v is not None}
                 | booked.note)
    return found


def request_limit(conn: Connection, company: Company, scope: Scope, actor: str, *, policy: str, customer: str,
                  amount: Decimal, requested_on: date, note: str | None = None, to_open_period: bool = False) -> dict:
    """Record a request to the insurer for a buyer's limit (in the policy's currency); audit-logged."""
    prow, crow = policy_row(conn, company, policy), customer_row(conn, company, scope, customer)
    minor = _minor(amount, prow.currency, "requested amount")
    if minor == 0:
        raise InvalidInput("a limit request needs an amount above zero")
    booked = book_on(conn, company.id, requested_on, f"the insured limit request of {customer}",
                     to_open_period=to_open_period)
    return _add_limit(conn, company, actor, dict(policy_id=prow.id, customer_id=crow.id, kind="request",
                                                 amount=minor, currency=prow.currency,
                                                 note=short(note, 500, "note")), "request", booked)


def grant_limit(conn: Connection, company: Company, scope: Scope, actor: str, *, policy: str, customer: str,
                amount: Decimal, decided_on: date, valid_from: date | None = None, valid_until: date | None = None,
                request_id: int | None = None, reference: str | None = None, note: str | None = None,
                to_open_period: bool = False) -> dict:
    """Record the insurer's decision: the amount granted (possibly less than asked; 0 refuses),
    valid from a day (default: the decision's) until a day or open-ended; audit-logged. Provisions
    and exposures as of a day read the decisions dated by then, so the decision's day is guarded."""
    prow, crow = policy_row(conn, company, policy), customer_row(conn, company, scope, customer)
    minor = _minor(amount, prow.currency, "granted amount")
    booked = book_on(conn, company.id, decided_on, f"the insured limit of {customer}", to_open_period=to_open_period)
    valid_from = valid_from or booked.day
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput(f"valid until {valid_until} is before valid from {valid_from}")
    if request_id is not None:
        l = insured_limits.c
        asked = conn.execute(select(l.id).where(l.id == request_id, l.company_id == company.id, l.kind == "request",
                                                l.policy_id == prow.id, l.customer_id == crow.id)).first()
        if asked is None:
            raise NotFound(f"no limit request {request_id} of {customer} under policy {policy}")
    return _add_limit(conn, company, actor, dict(
        policy_id=prow.id, customer_id=crow.id, kind="decision", request_id=request_id,
        amount=minor, currency=prow.currency, valid_from=valid_from, valid_until=valid_until,
        reference=short(reference, 100, "reference"), note=short(note, 500, "note")),
        "refuse" if minor == 0 else "grant", booked)


def list_limits(conn: Connection, company: Company, scope: Scope = EVERYONE, customer: str | None = None,
                policy: str | None = None) -> list[dict]:
    """Every request and decision, oldest first (the history)."""
    l = insured_limits.c
    query = _limit_query().where(l.company_id == company.id, scope.customers())
    if customer is not None:
        query = query.where(customers.c.code == customer)
    if policy is not None:
        query = query.where(insurance_policies.c.number == policy)
    return [_limit_json(row) for row in conn.execute(query.order_by(l.dated_on, l.id))]


# --- cover: which policy and limit apply to a buyer -----------------------------------------------

@dataclass(frozen=True)
class Cover:
    customer_id: int
    code: str
    name: str
    policy: object  # the policy's row
    terms: PolicyTerms
    decisions: tuple[LimitDecision, ...]

    def limit_on(self, day: date) -> Decimal | None:
        return limit_in_force(self.decisions, day)

    def insures(self, issue_date: date, due_date: date) -> bool:
        return uninsured_reason(self.terms, self.decisions, issue_date, due_date) is None


def covers(conn: Connection, company: Company, as_of: date, scope: Scope = EVERYONE,
           customer_id: int | None = None) -> list[Cover]:
    """Each buyer with a limit decision under a policy in force on the date (of several, the one
    started last), by customer code; decisions made after the date are not read. `customer_id`:
    that buyer's only (a customer page's assessment, not every insured buyer's)."""
    if customer_id is not None and not holdings.has(conn, company.id, customer_id, insured_limits):
        return []
    l, c, p = insured_limits.c, customers.c, insurance_policies.c
    query = (
        select(l.customer_id, c.code, c.name, l.policy_id, l.amount, l.currency, l.dated_on, l.valid_from,
               l.valid_until)
        .select_from(insured_limits.join(customers, c.id == l.customer_id).join(insurance_policies, p.id == l.policy_id))
        .where(l.company_id == company.id, l.kind == "decision", l.dated_on <= as_of, p.period_from <= as_of,
               p.period_to >= as_of, scope.customers())
        .order_by(c.code, l.dated_on, l.id))
    rows = conn.execute(query if customer_id is None else query.where(l.customer_id == customer_id)).all()
    if not rows:
        return []
    policies = {row.id: row for row in conn.execute(select(insurance_policies)
                                                    .where(insurance_policies.c.company_id == company.id))}
    by_buyer: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    names: dict[int, tuple[str, str]] = {}
    for row in rows:
        by_buyer[row.customer_id][row.policy_id].append(LimitDecision(
            from_minor(row.amount, row.currency), row.dated_on, row.valid_from, row.valid_until))
        names[row.customer_id] = (row.code, row.name)
    found = []
    for customer_id, per_policy in by_buyer.items():
        policy_id = max(per_policy, key=lambda pid: (policies[pid].period_from, pid))
        prow = policies[policy_id]
        found.append(Cover(customer_id, *names[customer_id], prow, terms_of(prow), tuple(per_policy[policy_id])))
    return sorted(found, key=lambda cover: cover.code)


# --- the split, the excess, the fractions --------------------------------------------------------

def exposures(conn: Connection, company: Company, as_of: date, among, convert: Converter) -> dict[str, Decimal]:
    """customer code -> exposure in the base currency, for the customers `among` selects: the same
    set-based queries and rounding as services/credit/exposure.exposure() (which adds them up), one
    pass for them all rather than one per customer."""
    def per_customer(query) -> dict[str, int]:
        return {key: amounts[0] for key, (_, amounts) in sum_minor(conn, query, convert, 1).items()}

    owed = {key: debit - credit for key, (debit, credit) in receivable_minor(conn, company, as_of, among, convert).items()}
    ordered = per_customer(open_orders(company.id, as_of, among))
    return {key: convert.decimal(owed.get(key, 0)) + convert.decimal(ordered.get(key, 0))
            for key in owed.keys() | ordered.keys()}


def _insured_customers(company: Company):
    """The ids of the customers with any insured limit row: what the set-based queries are limited to."""
    return queries.among_customers(company.id, customers.c.id.in_(select(insured_limits.c.customer_id).where(
        insured_limits.c.company_id == company.id)))


def insured_split(conn: Connection, company: Company, as_of: date, scope: Scope = EVERYONE) -> list[dict]:
    """Per insured buyer (a decision under a policy in force), its exposure in the base currency
    (as services/credit/exposure.py counts it) split into insured = min(exposure, limit in force) x
    coverage share, and uninsured; with the insured fraction and the excess over the limit."""
    convert = Converter.load(conn, company, as_of)
    found = covers(conn, company, as_of, scope)
    exposed = exposures(conn, company, as_of, _insured_customers(company), convert) if found else {}
    out = []
    for cover in found:
        limit = cover.limit_on(as_of)
        limit_base = None if limit is None else quantize(limit * convert.rate(cover.terms.currency), convert.currency)
        split = split_of(exposed.get(cover.code, convert.decimal(0)), limit_base, cover.terms.coverage_share,
                         convert.currency)
        out.append({"customer": cover.code, "customer_id": cover.customer_id, "name": cover.name,
                    "policy": cover.terms.number, "insurer": cover.terms.insurer, "currency": convert.currency,
                    "coverage_share": str(cover.terms.coverage_share), "exposure": money_text(split.exposure),
                    "limit": None if limit_base is None else money_text(limit_base),
                    "insured": money_text(split.insured), "uninsured": money_text(split.uninsured),
                    "fraction": str(split.fraction), "excess": money_text(split.excess)})
    return out


def beyond_insured_limit(conn: Connection, company: Company, as_of: date, scope: Scope = EVERYONE) -> list[dict]:
    """The insured buyers whose exposure exceeds the granted limit in force (a refused or lapsed
    limit counts as 0), with the excess; the largest excess first."""
    rows = [row for row in insured_split(conn, company, as_of, scope) if Decimal(row["excess"]) > 0]
    return sorted(rows, key=lambda row: (-Decimal(row["excess"]), row["customer"]))


def insured_fractions(conn: Connection, company: Company, as_of: date) -> dict[int, Decimal]:
    """customer_id -> the insured share of its balance as of the date (6 decimals): what
    provisioning takes to provide only for the uninsured part. Buyers not listed are uninsured."""
    return {row["customer_id"]: Decimal(row["fraction"]) for row in insured_split(conn, company, as_of)}


def granted_limit(conn: Connection, company: Company, customer_id: int, as_of: date) -> Decimal | None:
    """The buyer's granted insured limit in force as of the date, in the base currency (None: none):
    the cap the credit assessment's recommended limit takes."""
    for cover in covers(conn, company, as_of, customer_id=customer_id):
        if cover.customer_id == customer_id:
            limit = cover.limit_on(as_of)
            if limit is None:
                return None
            convert = Converter.load(conn, company, as_of)
            return quantize(limit * convert.rate(cover.terms.currency), convert.currency)
    return None


# --- overdue buyers reported to the insurer ------------------------------------------------------

def _report_json(row) -> dict:
    return {"id": row.id, "policy": row.policy, "customer": row.customer, "name": row.name,
            "reported_on": row.reported_on.isoformat(), "reference": row.reference, "note": row.note,
            "actor": row.actor}


def _report_query():
    r, c, p = overdue_reports.c, customers.c, insurance_policies.c
    return (select(overdue_reports, c.code.label("customer"), c.name, p.number.label("policy"))
            .select_from(overdue_reports.join(customers, c.id == r.customer_id)
                         .join(insurance_policies, p.id == r.policy_id)))


def report_overdue(conn: Connection, company: Company, scope: Scope, actor: str, *, policy: str, customer: str,
                   reported_on: date, reference: str | None = None, note: str | None = None) -> dict:
    """Record that the buyer was reported overdue to the insurer on the day (covering the invoices
    overdue then); the same report again writes nothing (`created` False)."""
    prow, crow = policy_row(conn, company, policy), customer_row(conn, company, scope, customer)
    r = overdue_reports.c
    same = _report_query().where(r.policy_id == prow.id, r.customer_id == crow.id, r.reported_on == reported_on)
    found = conn.execute(same).first()
    if found is not None:
        return {**_report_json(found), "created": False}
    conn.execute(insert(overdue_reports).values(
        company_id=company.id, policy_id=prow.id, customer_id=crow.id, reported_on=reported_on,
        reference=short(reference, 100, "reference"), note=short(note, 500, "note"), created_at=_now(), actor=actor))
    made = _report_json(conn.execute(same).one())
    audit.record(conn, actor=actor, action="report", entity="insurance_overdue_report", key=str(made["id"]),
                 company_id=company.id, after={"policy": policy, "customer": customer, "reported_on": reported_on,
                                               "reference": reference})
    return {**made, "created": True}


def list_reports(conn: Connection, company: Company, scope: Scope = EVERYONE, as_of: date | None = None) -> list[dict]:
    r = overdue_reports.c
    query = _report_query().where(r.company_id == company.id, scope.customers())
    if as_of is not None:
        query = query.where(r.reported_on <= as_of)
    return [_report_json(row) for row in conn.execute(query.order_by(r.reported_on, r.id))]


# --- deadlines ---------------------------------------------------------------------------------

def deadlines(conn: Connection, company: Company, as_of: date, ahead_days: int | None = None,
              scope: Scope = EVERYONE) -> list[dict]:
    """Every overdue insured invoice's reporting deadline and every reported buyer's claim deadline
    whose reminder day has come (`ahead_days` before it, default each policy's alert days) and that
    is not done by the date: passed ones too (`passed`). Earliest deadline first.

    An invoice is insured when the policy covers it (domain: period and credit period) and the
    buyer held a granted limit above 0 under the policy on its invoice date. A report covers the
    invoices overdue on its day; a claim filed on or after the report (and by the date) does it."""
    found = []
    buyers = covers(conn, company, as_of, scope)
    if not buyers:
        return found
    convert = Converter.load(conn, company, as_of)
    items: dict[int, list] = defaultdict(list)
    for item in conn.execute(queries.open_invoice_items(company.id, as_of, _insured_customers(company))):
        items[item.customer_id].append(item)
    r, k = overdue_reports.c, insurance_claims.c
    reported: dict[tuple[int, int], list[date]] = defaultdict(list)
    for row in conn.execute(select(r.policy_id, r.customer_id, r.reported_on)
                            .where(r.company_id == company.id, r.reported_on <= as_of).order_by(r.reported_on)):
        reported[row.policy_id, row.customer_id].append(row.reported_on)
    claimed: dict[tuple[int, int], list[date]] = defaultdict(list)
    for row in conn.execute(select(k.policy_id, k.customer_id, k.filed_on)
                            .where(k.company_id == company.id, k.filed_on <= as_of)):
        claimed[row.policy_id, row.customer_id].append(row.filed_on)
    for cover in buyers:
        terms, ahead = cover.terms, cover.terms.alert_days if ahead_days is None else ahead_days
        insured = [item for item in items[cover.customer_id] if cover.insures(item.issue_date, item.due_date)]
        reports = reported[cover.policy.id, cover.customer_id]
        base = {"policy": terms.number, "insurer": terms.insurer, "customer": cover.code,
                "customer_id": cover.customer_id, "name": cover.name}
        for item in insured:
            if any(report_covers(day, item.due_date) for day in reports):
                continue
            if as_of >= report_alert_day(terms, item.due_date, ahead):
                deadline = terms.report_deadline(item.due_date)
                found.append({**base, "kind": "report", "invoice": item.number, "due_date": item.due_date.isoformat(),
                              "open_amount": money_text(from_minor(item.open_amount, item.currency)),
                              "currency": item.currency, "reported_on": None, "deadline": deadline.isoformat(),
                              "passed": deadline < as_of, "source": f"insurance-report:{terms.number}:{item.number}"})
        filed = claimed[cover.policy.id, cover.customer_id]
        for reported_on in reports:
            still_open = [item for item in insured if report_covers(reported_on, item.due_date)]
            if not still_open or any(day >= reported_on for day in filed):
                continue
            earliest = min(item.due_date for item in still_open)
            deadline = terms.claim_deadline(reported_on, earliest)
            if as_of >= alert_day(deadline, ahead):
                owed = convert.decimal(sum(convert.minor_into(item.currency)(item.open_amount) for item in still_open))
                found.append({**base, "kind": "claim", "invoice": None, "due_date": earliest.isoformat(),
                              "open_amount": money_text(owed), "currency": convert.currency,
                              "reported_on": reported_on.isoformat(), "deadline": deadline.isoformat(),
                              "passed": deadline < as_of,
                              "source": f"insurance-claim:{terms.number}:{cover.code}:{reported_on.isoformat()}"})
    return sorted(found, key=lambda d: (d["deadline"], d["customer"], d["kind"], d["invoice"] or ""))


def raise_deadline_tasks(conn: Connection, company: Company, as_of: date, actor: str,
                         ahead_days: int | None = None) -> dict:
    """The daily job: a follow-up task for the credit manager for each deadline whose reminder day
    has come, once each (the task's source is the deadline's: a second run raises nothing)."""
    from credo.services.collections.tasks import create_task

    made = 0
    for due in deadlines(conn, company, as_of, ahead_days):
        if due["kind"] == "report":
            title = (f"report overdue buyer {due['customer']} {due['name']} to {due['insurer']} (policy "
                     f"{due['policy']}) by {due['deadline']}: invoice {due['invoice']} due {due['due_date']}, "
                     f"{due['open_amount']} {due['currency']} open")
        else:
            title = (f"file the insurance claim on {due['customer']} {due['name']} with {due['insurer']} (policy "
                     f"{due['policy']}) by {due['deadline']}: reported {due['reported_on']}, "
                     f"{due['open_amount']} {due['currency']} open")
        made += create_task(conn, company, due["customer_id"], "follow_up", as_of, None, title[:300], due["source"],
                            actor)["created"]
    return {"insurance_tasks": made}
