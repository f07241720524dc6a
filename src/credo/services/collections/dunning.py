"""The dunning run (催收): what is due as of a date, one proposal per customer (`domain.dunning`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

from sqlalchemy import Connection

from credo.domain.dunning import DunningPolicy, Handover, Proposal, Skipped, propose
from credo.domain.money import quantize
from credo.services.collections.policies import policies_for
from credo.services.companies import Company, business_day_rule
from credo.services.credit.lines import ratings_in_force
from credo.services.collections.facts import DunningFacts, OpenItem, gather
from credo.services.reports.common import Tabular, money_text


@dataclass(frozen=True)
class DunningReport:
    as_of: date
    currency: str
    proposals: tuple[Proposal, ...]
    skipped: tuple[Skipped, ...]
    facts: DunningFacts
    handovers: tuple[Handover, ...] = ()  # customers past a step's maximum stay: a task for a person

    def item(self, invoice: str) -> OpenItem:
        return self.facts.items[invoice]

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "currency": self.currency,
            "proposals": [self._proposal_json(p) for p in self.proposals],
            "skipped": [{"customer": s.customer, "reason": s.reason, "detail": s.detail} for s in self.skipped
                        if s.reason != "nothing_due"],
            "handovers": [{"customer": h.customer, "name": self.facts.names[h.customer][1], "policy": h.policy,
                           "level": h.step.level, "step": h.step.name, "step_zh": h.step.name_in("zh"),
                           "since": h.since.isoformat(), "days": (self.as_of - h.since).days,
                           "invoices": list(h.invoices)} for h in self.handovers],
        }

    def _proposal_json(self, p: Proposal) -> dict:
        return {
            "customer": p.customer, "name": self.facts.names[p.customer][1], "policy": p.policy,
            "level": p.step.level, "step": p.step.name, "step_zh": p.step.name_in("zh"),
            "actions": [a.value for a in p.step.actions],
            "template": p.step.template, "fee": money_text(quantize(p.step.fee, self.currency)), "attach_statement": p.step.attach_statement,
            "open_amount": money_text(p.open_amount), "net_amount": money_text(p.net_amount), "new": list(p.new),
            "to_do": [a.value for a in p.to_do],
            "items": [self._item_json(i) for i in p.items],
        }

    def _item_json(self, line) -> dict:
        """One invoice of a proposal in its own currency: `open_amount` is what dunning asks for (the
        disputed part out, as in the proposal's totals), `disputed` that part."""
        item = self.item(line.invoice)
        return {"invoice": line.invoice, "due_date": line.due_date.isoformat(), "days_past_due": line.days_past_due,
                "level": line.level, "open_amount": money_text(item.in_dunning),
                "disputed": money_text(item.disputed), "currency": item.currency, "new": bool(line.times)}

    def table(self) -> Tabular:
        columns = ["customer", "name", "policy", "level", "step", "actions", "items", "new", "net"]
        rows = [[p.customer, self.facts.names[p.customer][1], p.policy, p.step.level, p.step.name,
                 ",".join(a.value for a in p.step.actions), len(p.items), len(p.new), p.net_amount]
                for p in self.proposals]
        return Tabular(f"Dunning as of {self.as_of} ({self.currency}): {len(self.proposals)} customers",
                       columns, rows)


def dunning_proposals(conn: Connection, company: Company, as_of: date,
                      policies: Sequence[DunningPolicy] | None = None,
                      ratings: Mapping[int, str] | None = None) -> DunningReport:
    """Every action due as of the date, without carrying any out (the run's proposal step), by the
    company's policies (or `policies`). A customer's rating is its credit line's in force on the
    date, unless `ratings` gives them."""
    if policies is None:
        policies = policies_for(conn, company)
    if ratings is None:
        ratings = ratings_in_force(conn, company, as_of)
    facts = gather(conn, company, as_of, ratings)
    rule = business_day_rule(company)
    run = propose(facts.customers, policies, as_of, rule) if rule else propose(facts.customers, policies, as_of)
    return DunningReport(as_of, facts.currency, run.proposals, run.skipped, facts, run.handovers)
