"""The server-rendered pages (Chinese and English) under /, beside the API under /api/v1.

Thin like the API: each page parses its form or query, checks the role and portfolio, calls the
same service as the API route, and renders a template. `install(app)` is all create_app calls."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from credo.web import admin, arrangements, closes, collections, credit, credit_forms, ledger, reports, session, worklist
from credo.web import discounts, dunning_policies, escalations, interest, risk_insurance, risk_provision
from credo.web import risk_warnings, risk_write_offs
from credo.web.view import Pages

ROUTERS = (session.router, ledger.router, reports.router, credit.router, collections.router, admin.router,
           arrangements.router, worklist.router, credit_forms.router, escalations.router, discounts.router,
           interest.router, dunning_policies.router, risk_provision.router, risk_write_offs.router,
           risk_insurance.router, risk_warnings.router, closes.router)


def install(app: FastAPI) -> None:
    """The pages' routes, the templates and catalogs (read once, here), and /static: credo's own
    files and plotly's JavaScript from the installed plotly package."""
    app.state.pages = Pages(app.state.settings.time_zone)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(packages=[("credo.web", "static"), ("plotly", "package_data")]), name="static")
