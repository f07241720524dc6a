"""A customer's credit file and assessments (信用档案, 信用评估): read as of a date, computed, recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi import Path as FastPath

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, person_of
from credo.domain.access import Permission
from credo.services.browse.customers import customer_row
from credo.services.credit.assessment import assess
from credo.services.credit.credit_file import read_credit_file
from credo.services.credit.recorded import record_assessment, recorded_assessments
from credo.services.credit.review import review_customer
from credo.services.credit.setup import set_setting, setting
from credo.services.users import Principal

router = APIRouter(tags=["credit"], responses=ERRORS)
Reader = allowed(Permission.credit_read)
MonthlyPurchases = Annotated[Decimal | None, Query(ge=0, description=(
    "Expected monthly purchases in the base currency (default: the last 12 months' sales / 12)"))]
InsuredLimit = Annotated[Decimal | None, Query(ge=0, description="The credit insurer's limit: a cap on the advice")]


@router.get("/customers/{code}/credit-file", summary="The customer's credit file as of a date",
            dependencies=[Reader])
def credit_file_get(code: str, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> dict:
    return read_credit_file(conn, company, customer_row(conn, company, scope, code), as_of).to_json()


@router.get("/customers/{code}/assessment", summary="Assess the customer as of a date (computed, not stored)",
            dependencies=[Reader])
def assessment_get(code: str, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                   monthly_purchases: MonthlyPurchases = None, insured_limit: InsuredLimit = None) -> dict:
    return assess(conn, company, scope, code, as_of, monthly_purchases=monthly_purchases,
                  insured_limit=insured_limit).to_json()


@router.post("/customers/{code}/assessments", summary="Assess the customer and record the assessment",
             status_code=201)
def assessment_record(code: str, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                      monthly_purchases: MonthlyPurchases = None, insured_limit: InsuredLimit = None,
                      who: Principal = allowed(Permission.credit_manage)) -> dict:
    row = customer_row(conn, company, scope, code)
    found = assess(conn, company, scope, code, as_of, monthly_purchases=monthly_purchases,
                   insured_limit=insured_limit)
    answer = record_assessment(conn, company, row.id, found, actor_of(who))
    conn.commit()
    return answer


@router.get("/customers/{code}/assessments", summary="The customer's recorded assessments, newest first",
            dependencies=[Reader])
def assessments_list(code: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> list[dict]:
    return recorded_assessments(conn, company, scope, code)


@router.post("/customers/{code}/reviews", summary="Review the customer: assess, record, and request the advised line",
             status_code=201)
def review_post(code: str, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                to_open_period: Annotated[bool, Query(description=(
                    "as_of in a closed period (on or before the lock date): review as of the first open day "
                    "instead of refusing it (409)"))] = False,
                who: Principal = allowed(Permission.credit_manage)) -> dict:
    answer = review_customer(conn, company, scope, code, as_of, person_of(who), to_open_period=to_open_period)
    conn.commit()
    return answer


Kind = Annotated[str, FastPath(pattern="^(scorecard|policy)$", description="scorecard or policy")]


@router.get("/credit/models/{kind}", summary="The expert scorecard or the credit policy in force (version 0: "
            "the default)", dependencies=[Reader])
def credit_model_get(kind: Kind, conn: Db, company: CompanyDep) -> dict:
    return setting(conn, company, kind)


@router.put("/credit/models/{kind}", summary="Set the company's own scorecard or policy (a new version, checked)")
def credit_model_put(kind: Kind, body: dict[str, Any], conn: Db, company: CompanyDep,
                     who: Principal = allowed(Permission.credit_manage)) -> dict:
    answer = set_setting(conn, company, kind, body, actor_of(who))
    conn.commit()
    return answer
