"""What every page shares: who is signed in (the session cookie, CSRF on every form POST), the
permission a page needs, the company, the language, rendering, and errors as pages (403, 404 ...).

Pages answer HTML, so their routes use `PageRoute`: a named error becomes an error page in the
visitor's language, a missing session a redirect to the sign-in page. Status codes come from the
API's one table (`credo.api.problems.status_of`)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from credo.api.deps import SAFE_METHODS, SESSION_COOKIE, Db
from credo.api.problems import TooManyRequests, status_of, validation_errors
from credo.domain.access import ROLE_LABELS, Permission, allows
from credo.errors import CredoError, Forbidden, InvalidInput, NotSignedIn
from credo.services import access, users
from credo.services.access import Scope
from credo.services.companies import Company, get_company, list_companies
from credo.services.users import Principal
from credo.web.i18n import LANG_COOKIE, LANGUAGES, Language, N_, choose_language, load_catalogs

CSRF_FIELD = "csrf_token"
P = Permission
# The menu: entries (path, label, permission), and groups (label, entries) shown as a drop-down;
# each entry is shown to the roles that hold its permission, a group when one of its entries is.
MENU = (
    ("/", N_("Dashboard"), P.ledger_read),
    (N_("Ledger"), (
        ("/customers", N_("Customers"), P.ledger_read),
        ("/invoices", N_("Invoices"), P.ledger_read),
        ("/payments", N_("Payments"), P.ledger_read),
        ("/imports", N_("Imports"), P.ledger_write),
    )),
    (N_("Credit"), (
        ("/credit/queue", N_("Credit queue"), P.limits_approve),
        ("/credit/requests", N_("Limit requests"), P.limits_approve),
    )),
    (N_("Collections"), (
        ("/worklist", N_("Worklist"), P.collections_work),
        ("/dunning", N_("Dunning"), P.dunning_run),
        ("/disputes", N_("Disputes"), P.ledger_read),
        ("/cases", N_("Escalations"), P.ledger_read),
        ("/waivers", N_("Interest waivers"), P.ledger_read),
    )),
    (N_("Risk"), (
        ("/risk/alerts", N_("Early warnings"), P.credit_read),
        ("/risk/provision", N_("Provisions"), P.reports_read),
        ("/risk/write-offs", N_("Write-offs"), P.reports_read),
        ("/risk/insurance", N_("Credit insurance"), P.credit_read),
    )),
    ("/reports", N_("Reports"), P.ledger_read),
    (N_("Administration"), (
        ("/settings", N_("Settings"), P.settings_manage),
        ("/closes", N_("Period close"), P.reports_read),
        ("/users", N_("Users"), P.users_manage),
        ("/audit", N_("Audit log"), P.audit_read),
    )),
)


class Pages:
    """Built once by `credo.web.install`: the templates and the catalogs (app.state.pages)."""

    def __init__(self, time_zone: str = "UTC") -> None:
        self.zone = ZoneInfo(time_zone)
        # auto_reload off: the templates ship with the package and do not change under a running
        # server, and checking each one's file for every page and fragment was 3 % of a customer page.
        self.templates = Environment(loader=PackageLoader("credo.web", "templates"), auto_reload=False,
                                     autoescape=select_autoescape(("html",)), trim_blocks=True, lstrip_blocks=True)
        self.templates.tests["nonzero"] = lambda amount: Decimal(amount) != 0
        self.templates.filters["decimal"] = Decimal  # an amount or rate as a report holds it, or as JSON text
        self.templates.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
        self.catalogs = load_catalogs()

    def language(self, code: str) -> Language:
        return Language(code, self.catalogs.get(code, {}), self.zone)


@dataclass(frozen=True)
class View:
    """The visitor of one page: who (None before signing in), the session's CSRF token, the language."""

    request: Request
    who: Principal | None
    csrf_token: str | None
    lang: Language

    def can(self, permission: Permission) -> bool:
        return self.who is not None and allows(self.who.role, permission)

    @property
    def today(self) -> date:
        """The business day now, in the company's time zone (credo.clock)."""
        return self.request.app.state.settings.today()

    @property
    def person(self):
        """The visitor as a person of the maker-checker: the one identity (user:li) and the role."""
        from credo.services.approvals import Person

        return Person(f"user:{self.who.username}", self.who.role.value)

    @property
    def scope(self) -> Scope:
        return Scope.of(self.who)

    @property
    def role_label(self) -> str:
        english, chinese = ROLE_LABELS[self.who.role]
        return english if self.lang.code == "en" else chinese

    def menu(self) -> list[dict[str, Any]]:
        """The menu for this visitor: links {href, label, active} and groups {label, active, entries};
        a group left with one entry for this role is shown as that entry."""
        path = self.request.url.path

        def link(href: str, label: str) -> dict[str, Any]:
            active = path == href if href == "/" else path == href or path.startswith(href + "/")
            return {"href": href, "label": label, "active": active}

        shown: list[dict[str, Any]] = []
        for first, second, *permission in MENU:
            if permission:
                if self.can(permission[0]):
                    shown.append(link(first, second))
                continue
            entries = [link(href, label) for href, label, needed in second if self.can(needed)]
            if len(entries) == 1:
                shown.append(entries[0])
            elif entries:
                shown.append({"label": first, "active": any(e["active"] for e in entries), "entries": entries})
        return shown

    def here(self) -> str:
        """This page's path and query: where a language switch or a sign-in comes back to."""
        query = self.request.url.query
        return self.request.url.path + ("?" + query if query else "")

    def link(self, path: str, **params) -> str:
        """A path with the parameters that have a value."""
        kept = {k: v for k, v in params.items() if v not in (None, "", False)}
        return path + ("?" + urlencode(kept) if kept else "")

    def with_query(self, **changes) -> str:
        """This page with some query parameters changed (None removes one): pages, sorting."""
        params = dict(self.request.query_params)
        params.update({k: v for k, v in changes.items()})
        return self.link(self.request.url.path, **params)

    def csrf(self) -> Markup:
        return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, self.csrf_token or "")


def page_language(request: Request, who: Principal | None = None) -> Language:
    code = choose_language(request.cookies.get(LANG_COOKIE), who.language if who else None,
                           request.headers.get("accept-language"))
    return request.app.state.pages.language(code)


async def form_token(request: Request) -> str | None:
    """The CSRF token a form POST carries (None for GET and for a body that is not a form)."""
    if request.method in SAFE_METHODS:
        return None
    try:
        form = await request.form()
    except Exception:  # not a form at all: no token
        return None
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


def signed_in(request: Request, conn: Db, sent: Annotated[str | None, Depends(form_token)]) -> View:
    """The visitor of a session cookie; NotSignedIn without one, Forbidden for a form without its token."""
    cookie = request.cookies.get(SESSION_COOKIE)
    found = users.session_principal(conn, cookie) if cookie else None
    if found is None:
        raise NotSignedIn("sign in first")
    who, csrf = found
    view = View(request, who, csrf, page_language(request, who))
    request.state.view = view
    if request.method not in SAFE_METHODS and not (sent and secrets.compare_digest(sent, csrf)):
        raise Forbidden("the form came without its security token (CSRF): reload the page and send it again")
    return view


def viewer(permission: Permission):
    """A dependency: the visitor, if the role holds the permission; a 403 page otherwise (async: it
    reads nothing, and FastAPI runs a plain function in a worker thread, a hop per request)."""
    async def check(view: Annotated[View, Depends(signed_in)]) -> View:
        access.require(view.who, permission)
        return view
    check.__name__ = f"viewer_{permission.name}"
    return Depends(check)


COMPANY_COOKIE = "credo_company"


def page_company(request: Request, conn: Db) -> Company:
    """The company the pages show: the one picked in the header (a cookie), else CREDO_COMPANY,
    else the first by code; the header lists them all when there are several."""
    found = list_companies(conn)
    if not found:
        return get_company(conn, None)  # says: run credo init
    wanted = request.cookies.get(COMPANY_COOKIE) or request.app.state.settings.company or found[0].code
    chosen = next((c for c in found if c.code == wanted), found[0])
    request.state.companies, request.state.company = found, chosen
    return chosen


CompanyDep = Annotated[Company, Depends(page_company)]


def day(text: str | None, name: str) -> date | None:
    """A date typed in a form (YYYY-MM-DD; empty: none)."""
    if not text or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{name} {text!r}: use a date such as 2024-06-30") from None


def render(view: View, template: str, status: int = 200, **data) -> HTMLResponse:
    return HTMLResponse(fragment(view, template, **data), status_code=status)


def fragment(view: View, template: str, **data) -> Markup:
    """A template rendered to HTML for another page to include (and a cache to keep)."""
    pages: Pages = view.request.app.state.pages
    return Markup(pages.templates.get_template(template).render(
        view=view, lang=view.lang, _=view.lang.gettext, P=Permission, languages=LANGUAGES, **data))


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    view = getattr(request.state, "view", None) or View(request, None, None, page_language(request))
    titles = {403: N_("Not allowed"), 404: N_("Not found"), 409: N_("Conflict"), 429: N_("Too many attempts")}
    title = titles.get(status, N_("This cannot be done"))
    return render(view, "error.html", status, code=status, title=title, detail=detail)


def sign_in_redirect(request: Request) -> RedirectResponse:
    target = "/"  # after a form sent with an expired session: the form is gone, start afresh
    if request.method in SAFE_METHODS:
        target = request.url.path + ("?" + request.url.query if request.url.query else "")
    return RedirectResponse("/sign-in?next=" + quote(target, safe="/"), status_code=303)


class PageRoute(APIRoute):
    """A route that answers HTML for its errors (and sends the signed-out to the sign-in page)."""

    def get_route_handler(self):
        handler = super().get_route_handler()

        async def answer(request: Request):
            try:
                return await handler(request)
            except NotSignedIn:
                return sign_in_redirect(request)
            except TooManyRequests as error:
                return error_page(request, 429, str(error))
            except CredoError as error:
                return error_page(request, status_of(error), str(error))
            except RequestValidationError as error:
                return error_page(request, 422, validation_errors(error)[1])

        return answer
