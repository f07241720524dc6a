"""Customers and customer groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, IdempotencyKey, PageDep, Today
from credo.api.problems import ERRORS
from credo.api.schemas import CustomerIn, CustomerOut, PageOut, Recorded
from credo.api.writes import actor_of, answer_once, body_bytes, recorded_answer
from credo.domain.access import Permission
from credo.services import records
from credo.services.browse.customers import (CustomerFilter, customer_360, customer_360_key, list_customers,
                                             list_groups)
from credo.services.users import Principal

router = APIRouter(tags=["customers"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)


@router.get("/customers", summary="Customers with their open and overdue balances today",
            response_model=PageOut[CustomerOut], dependencies=[Reader])
def customers_list(conn: Db, company: CompanyDep, scope: ScopeDep, page: PageDep, today: Today,
                   q: Annotated[str | None, Query(description="Code or name contains")] = None,
                   group: str | None = None, collector: str | None = None, salesperson: str | None = None,
                   segment: str | None = None, currency: str | None = None,
                   overdue: Annotated[bool | None, Query(description="Only customers with overdue invoices")] = None,
                   ) -> dict:
    where = CustomerFilter(q, group, collector, salesperson, segment, currency, overdue)
    return list_customers(conn, company, scope, today, where, page).to_json()


@router.get("/customers/{code}", summary="Customer 360: master data, aging, exposure, payment behaviour",
            dependencies=[Reader])
def customer_get(code: str, request: Request, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                 months: Annotated[int, Query(ge=1, le=120, description="Months of payment behaviour")] = 12) -> dict:
    snapshots = request.app.state.snapshots
    with snapshots.reading(conn) as version:  # settings and FX rates as the ledger's state has them
        return snapshots.get(conn, customer_360_key(company, scope, code, as_of, months),
                             lambda: customer_360(conn, company, scope, code, as_of, months), version)


@router.post("/customers", summary="Create or update a customer (the rules of a customers import)",
             status_code=201, response_model=Recorded)
def customer_create(body: CustomerIn, request: Request, conn: Db, company: CompanyDep, key: IdempotencyKey = None,
                    raw: bytes = Depends(body_bytes),
                    who: Principal = allowed(Permission.customers_write)):
    return answer_once(request, conn, who, key, raw, lambda: recorded_answer(
        records.record(conn, company, "customers", body.values(), actor_of(who))))


@router.get("/customer-groups", summary="Customer groups (集团客户) and how many customers each holds",
            dependencies=[Reader])
def groups_list(conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return list_groups(conn, company, scope)
