"""Orders (open orders count in the exposure) and their deliveries: each passes the credit check
where the company's settings put one (`services.credit.gate`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import select

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.limit_schemas import DeliveryIn, OrderIn
from credo.api.params import IdempotencyKey, PageDep
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, answer_once, body_bytes
from credo.domain.access import Permission
from credo.services import idempotency, records
from credo.services.imports import ImportOptions
from credo.services.browse.customers import customer_row
from credo.services.browse.orders import list_orders
from credo.services.credit.gate import deliver
from credo.services.credit.order_history import history
from credo.services.credit.queue import list_queue
from credo.services.users import Principal
from credo.store.limit_tables import orders

router = APIRouter(tags=["orders"], responses=ERRORS)
Writer = allowed(Permission.orders_write)


@router.get("/orders", summary="Orders: open ones count in the exposure, blocked ones wait in the credit queue",
            dependencies=[allowed(Permission.ledger_read)])
def orders_list(conn: Db, company: CompanyDep, scope: ScopeDep, page: PageDep,
                customer: Annotated[str | None, Query(description="Customer code")] = None,
                status: Annotated[str | None, Query(description="open, blocked, cancelled or invoiced")] = None,
                ) -> dict:
    return list_orders(conn, company, scope, page, customer=customer, status=status).to_json()


@router.get("/orders/{number}/history", summary="An order's history: each state it took and the day it took effect",
            dependencies=[allowed(Permission.ledger_read)])
def order_history(number: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return history(conn, company, number, scope)


@router.post("/orders", summary="Enter an order (the rules of an orders import, the credit check included)",
             status_code=201)
def order_create(body: OrderIn, request: Request, conn: Db, company: CompanyDep, scope: ScopeDep,
                 key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Writer):
    def produce() -> idempotency.Answer:
        customer_row(conn, company, scope, body.customer_code)  # 404 outside the portfolio
        done = records.record(conn, company, "orders", body.values(), actor_of(who),
                              ImportOptions(to_open_period=body.to_open_period))
        status = conn.execute(select(orders.c.status).where(orders.c.company_id == company.id,
                                                            orders.c.number == done.key)).scalar()
        queued = [item for item in list_queue(conn, company, scope, number=done.key) if item["point"] == "order"]
        answer = {"kind": done.kind, "key": done.key, "outcome": done.outcome, "status": status,
                  "queue_item": queued[-1] if queued else None}
        return idempotency.Answer(201 if done.outcome == "created" else 200, answer)
    return answer_once(request, conn, who, key, raw, produce)


@router.post("/orders/{number}/delivery", summary="Deliver an open order, after the credit check where it runs")
def order_deliver(number: str, body: DeliveryIn, request: Request, conn: Db, company: CompanyDep, scope: ScopeDep,
                  key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Writer):
    return answer_once(request, conn, who, key, raw, lambda: idempotency.Answer(
        200, deliver(conn, company, scope, number, body.date, actor_of(who))))
