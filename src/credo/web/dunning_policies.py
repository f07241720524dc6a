"""The dunning policies page (催收策略): each ladder as a table a credit manager reads, and the JSON
behind them to change (each save a new version, the same check as `credo dunning policies set`)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Form

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.collections.policies import policies_setting, set_policies
from credo.web.arrangements import _changed
from credo.web.collections import ACTION_LABELS
from credo.web.view import CompanyDep, PageRoute, View, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Dunner = viewer(P.dunning_run)


def _page(view: View, conn, company, status: int = 200, error: str | None = None, typed: str | None = None):
    found = policies_setting(conn, company)
    text = typed if typed is not None else json.dumps(found["policies"], ensure_ascii=False, indent=2)
    return render(view, "dunning_policies.html", status, setting=found, text=text, error=error,
                  actions=ACTION_LABELS, saved=view.request.query_params.get("saved"))


@router.get("/dunning/policies")
def policies_page(conn: Db, company: CompanyDep, view: View = Dunner):
    return _page(view, conn, company)


@router.post("/dunning/policies")
def policies_save(conn: Db, company: CompanyDep, view: View = Dunner, body: Annotated[str, Form()] = ""):
    def save():
        try:
            data = json.loads(body)
        except ValueError as error:
            raise InvalidInput(f"dunning policies: not JSON ({error})") from None
        return set_policies(conn, company, data, f"user:{view.who.username}")
    return _changed(conn, save, lambda status, error: _page(view, conn, company, status, error, body),
                    view.link("/dunning/policies", saved="1"))
