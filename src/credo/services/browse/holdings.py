"""Which kinds of side records a customer has at all, from one statement.

A customer page shows a dozen sections besides the ledger (disputes, promises, plans, discount
offers, activities, contacts, tasks; the credit file's statements, facts, references and reviews;
credit lines, holds, insured limits, order events), and most customers have nothing in most of them. Inside a
`lookups.read_once` block one statement of EXISTS probes, each an index look-up, says which exist;
the page's reads of the others are skipped, as they could only find nothing (a probe asks for any
row of the customer, the read asks for some of them). Outside a block nothing is probed and every
read is made: one reader gains nothing from a probe.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import Callable

from sqlalchemy import Connection, Select, Table, exists, select

from credo.services import lookups
from credo.store import queries
from credo.store.collections_tables import activities, contacts, disputes, payment_plans, promises, tasks
from credo.store.credit_tables import credit_facts, credit_references, credit_reviews, credit_statements
from credo.store.discount_tables import discount_offers
from credo.store.limit_tables import credit_holds, credit_lines, order_events
from credo.store.risk_insurance_tables import insured_limits

TABLES: tuple[Table, ...] = (disputes, promises, payment_plans, discount_offers, activities, contacts, tasks,
                             credit_statements, credit_facts, credit_references, credit_reviews, credit_lines,
                             credit_holds, insured_limits, order_events)


def has(conn: Connection, company_id: int, customer_id: int, table: Table) -> bool:
    """Whether the customer may have rows of its own in the table: False only when the block's probe
    found none (a group's records are not the customer's: ask for those apart)."""
    if table not in TABLES or not lookups.active():
        return True
    found = lookups.once(("holdings", company_id, customer_id),
                         lambda: _probe(conn, company_id, customer_id))
    return table.name in found


def of(conn: Connection, company_id: int, customer_id: int) -> Callable[[Table], bool]:
    """`has` for one customer: `held = of(...)`, then `rows = read() if held(table) else []`."""
    return partial(has, conn, company_id, customer_id)


def _probe(conn: Connection, company_id: int, customer_id: int) -> frozenset[str]:
    row = conn.execute(_statement(), queries.one_customer(company_id, customer_id)).one()
    return frozenset(table.name for table, present in zip(TABLES, row) if present)


@lru_cache(maxsize=1)
def _statement() -> Select:
    """Built once with named parameters (company_id, customer_id), as the page's other prebuilt reads."""
    company_id, customer_id = queries.named("company_id"), queries.named("customer_id")
    return select(*[exists().where(t.c.company_id == company_id, t.c.customer_id == customer_id).label(t.name)
                    for t in TABLES])
