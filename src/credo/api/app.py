"""The web application: the REST API under /api/v1 (the pages join it under /). Nothing is built
at import time: `create_app(settings)` makes the engine and the routes for those settings."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from credo import __version__, web
from credo.api import problems
from credo.api.headers import SecurityHeaders
from credo.api.ratelimit import WINDOW_SECONDS, SlidingWindow
from credo.api.routes import admin, arrangements, credit, customers, documents, dunning, imports, interest
from credo.api.routes import limits, orders, reports, session, worklist
from credo.api.routes import closes, discounts, risk_alerts, risk_insurance, risk_provision, risk_write_offs
from credo.config import Settings
from credo.services.snapshots import Snapshots
from credo.store.db import make_engine

API_PREFIX = "/api/v1"
ROUTERS = (session.router, customers.router, credit.router, documents.router, orders.router, limits.router,
           imports.router, reports.router, dunning.router, admin.router, arrangements.router, interest.router,
           worklist.router, discounts.router, risk_provision.router, risk_write_offs.router, risk_insurance.router,
           risk_alerts.router, closes.router)
DESCRIPTION = """credo's REST API: the receivables ledger, imports and reports.

Authenticate with an API token (`Authorization: Bearer credo_...`, made with `credo token create`)
or the session cookie of `POST /api/v1/session` (then send `X-CSRF-Token` on every write).
Amounts are decimal strings. Errors are problem details (RFC 9457, application/problem+json).
A POST that books money honours `Idempotency-Key`: sent again, it answers the same and books nothing.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.apply_clock()
    pool = {} if settings.database_url.startswith("sqlite") else {
        "pool_size": settings.database_pool_size, "max_overflow": settings.database_max_overflow}
    engine = make_engine(settings.database_url, pool_pre_ping=True, **pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        engine.dispose()

    app = FastAPI(title="credo", version=__version__, description=DESCRIPTION, lifespan=lifespan,
                  openapi_url=f"{API_PREFIX}/openapi.json", docs_url=None, redoc_url=None)
    app.state.engine = engine
    app.state.settings = settings
    app.state.sign_in_window = SlidingWindow(settings.sign_in_attempts, WINDOW_SECONDS)
    app.state.snapshots = Snapshots(512)  # figures and customer pages per ledger version (services/snapshots.py)
    problems.install(app)
    app.add_middleware(SecurityHeaders)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    web.install(app)  # the pages under /
    return app
