"""Bad-debt provisioning (坏账准备): the provision as of a date, specific provisions for named
customers and the company's provision settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.risk_provision_schemas import BandIn, ProvisionSettingsIn, SpecificEndIn, SpecificIn
from credo.api.routes.reports import FILE_RESPONSE, Format, FormatQuery, rendered
from credo.api.writes import actor_of, committed
from credo.domain.access import Permission
from credo.domain.risk.provisioning import Band, RateTable
from credo.errors import InvalidInput
from credo.services.risk import provision_settings as settings
from credo.services.risk.provision import company_provision
from credo.services.users import Principal

router = APIRouter(tags=["risk"], responses=ERRORS)
Reader = allowed(Permission.reports_read)
Manager = allowed(Permission.provisions_manage)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]


@router.get("/risk/provision", summary="The bad-debt provision (坏账准备) per bucket and per customer as of a date",
            dependencies=[Reader], responses=FILE_RESPONSE)
def provision(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
              method: Annotated[str | None, Query(description="matrix or aging-table (default: the settings')")] = None,
              lookback: Annotated[int | None, Query(ge=1, le=120, description="Months of roll-rate history")] = None,
              forward_factor: Annotated[str | None, Query(description="Multiplies every rate, e.g. 1.05")] = None,
              by: Annotated[str, Query(description="bucket or customer: the lines of a workbook")] = "bucket",
              format: FormatQuery = Format.json):
    factor = None if forward_factor is None else settings.factor_of(forward_factor, "forward_factor")
    report = company_provision(conn, company, as_of, method=method, lookback_months=lookback,
                               forward_factor=factor, scope=scope, by=by)
    return rendered(report, format, f"provision-{as_of}")


@router.get("/risk/specific-provisions", summary="Specific provisions, history included (or those in force on a day)",
            dependencies=[Reader])
def specific_list(conn: Db, company: CompanyDep, scope: ScopeDep,
                  as_of: Annotated[str | None, Query(description="Only those in force on this day (YYYY-MM-DD)")] = None,
                  customer: Annotated[str | None, Query(description="One customer's code")] = None) -> list[dict]:
    from datetime import date

    try:
        day = None if as_of is None else date.fromisoformat(as_of)
    except ValueError:
        raise InvalidInput(f"as_of {as_of!r} is not a date: use YYYY-MM-DD") from None
    return settings.list_specific(conn, company, as_of=day, customer=customer, scope=scope)


@router.post("/risk/specific-provisions", summary="Add a specific provision (a rate or an amount) for a customer",
             status_code=201)
def specific_set(body: SpecificIn, conn: Db, company: CompanyDep, today: Today, scope: ScopeDep,
                 who: Principal = Manager) -> dict:
    return committed(conn, settings.set_specific(
        conn, company, actor_of(who), customer=body.customer_code, rate=body.rate, amount=body.amount,
        reason=body.reason, valid_from=body.valid_from or today, valid_until=body.valid_until, scope=scope,
        to_open_period=body.to_open_period))


@router.post("/risk/specific-provisions/{provision_id}/end", summary="End a specific provision (kept as history)")
def specific_end(provision_id: RowId, body: SpecificEndIn, conn: Db, company: CompanyDep, today: Today,
                 scope: ScopeDep, who: Principal = Manager) -> dict:
    return committed(conn, settings.end_specific(conn, company, actor_of(who), provision_id, body.until or today,
                                                 scope))


@router.get("/risk/provision-settings", summary="Method, look-back, forward factor and rate tables of the provision",
            dependencies=[Reader])
def settings_get(conn: Db, company: CompanyDep) -> dict:
    return settings.provision_settings_of(conn, company).to_json()


def _table(bands: list[BandIn] | None) -> RateTable | None:
    if bands is None:
        return None
    try:
        return RateTable(tuple(Band(b.bucket, b.low, b.high, settings.fraction_of(b.rate, f"{b.bucket}: rate"))
                               for b in bands))
    except ValueError as error:
        raise InvalidInput(f"rates: {error}") from None


@router.put("/risk/provision-settings", summary="Change the provision settings given (the others stay)")
def settings_put(body: ProvisionSettingsIn, conn: Db, company: CompanyDep, who: Principal = Manager) -> dict:
    return committed(conn, settings.change_provision_settings(
        conn, company, actor_of(who), method=body.method, lookback_months=body.lookback_months,
        forward_factor=body.forward_factor, limits=body.limits, loss_rate=body.loss_rate,
        matrix_rates=_table(body.matrix_rates), derive=body.derive, aging_rates=_table(body.aging_rates),
        specific_rule=body.specific_rule).to_json())


