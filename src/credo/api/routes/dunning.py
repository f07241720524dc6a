"""The dunning run over HTTP: what is due as of a date, and carrying it out (credit managers)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from credo import clock
from credo.api.deps import CompanyDep, Db, allowed
from credo.api.params import AsOf
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, committed
from credo.domain.access import Permission
from credo.errors import Conflict
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.policies import policies_setting, set_policies
from credo.services.collections.sending import carry_out, window_open
from credo.services.settings import company_window
from credo.services.users import Principal

router = APIRouter(tags=["collections"], responses=ERRORS)
Dunner = allowed(Permission.dunning_run)


class PoliciesIn(BaseModel):
    policies: list[dict[str, Any]] = Field(description=(
        "The ladders, most specific first; the last must be a catch-all (no segments, no ratings). "
        "Start from GET /dunning/policies"))


class RunIn(BaseModel):
    ignore_window: bool = Field(False, description="Send even outside CREDO_SEND_WINDOW")


@router.get("/dunning", summary="The dunning actions due as of a date, one per customer", dependencies=[Dunner])
def dunning_get(conn: Db, company: CompanyDep, as_of: AsOf) -> dict:
    return dunning_proposals(conn, company, as_of).to_json()


@router.get("/dunning/policies", summary="The dunning policies in force (version 0: those that ship)",
            dependencies=[allowed(Permission.ledger_read)])
def policies_get(conn: Db, company: CompanyDep) -> dict:
    return policies_setting(conn, company)


@router.put("/dunning/policies", summary="Replace the dunning policies: checked, stored as the next version")
def policies_put(body: PoliciesIn, conn: Db, company: CompanyDep, who: Principal = Dunner) -> dict:
    return committed(conn, set_policies(conn, company, body.policies, actor_of(who)))


@router.post("/dunning/runs", summary="Carry out the dunning actions due (each step sent once, ever)")
def dunning_run(body: RunIn, request: Request, conn: Db, company: CompanyDep, as_of: AsOf,
                who: Principal = Dunner) -> dict:
    settings = request.app.state.settings
    now = clock.now()
    if not body.ignore_window and not window_open(conn, company, settings, now):
        raise Conflict(f"outside the sending window {company_window(conn, company, settings)} ({settings.time_zone}, and every "
                       "customer's own time zone)")
    report = dunning_proposals(conn, company, as_of)
    conn.commit()
    done = carry_out(conn, company, report, settings, actor_of(who), None if body.ignore_window else now)
    return {"as_of": as_of.isoformat(), "deliveries": [d.to_json() for d in done]}
