"""A customer's contact persons (联系人): name, role (finance, purchasing, owner, ...), email,
phone in E.164, language, and whether dunning goes to them. A contact is deactivated, never
deleted; `dunning_contacts` is whom the dunning send step writes to."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.channels.sms import normalise_phone
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.store.collections_tables import contacts
from credo.store.tables import customers

LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class ContactPerson:
    name: str
    role: str | None = None
    email: str | None = None
    phone: str | None = None
    language: str | None = None
    receives_dunning: bool = False


def checked(person: ContactPerson) -> ContactPerson:
    """The person with its fields trimmed and checked: a name, an email with an @, an E.164 phone."""
    name = person.name.strip()
    if not name:
        raise InvalidInput("a contact needs a name")
    email = (person.email or "").strip() or None
    if email is not None and ("@" not in email.strip("@") or " " in email):
        raise InvalidInput(f"email {email!r} is not an address")
    phone = normalise_phone(person.phone) if (person.phone or "").strip() else None
    language = (person.language or "").strip().lower() or None
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"language {person.language!r}: zh or en")
    return ContactPerson(name[:200], (person.role or "").strip().lower()[:64] or None, email, phone, language,
                         bool(person.receives_dunning))


def _json(row, code: str) -> dict:
    return {"id": row.id, "customer": code, "name": row.name, "role": row.role, "email": row.email,
            "phone": row.phone, "language": row.language, "receives_dunning": bool(row.receives_dunning),
            "active": bool(row.active)}


def _values(person: ContactPerson) -> dict:
    return {f.name: getattr(person, f.name) for f in fields(person)}


def add_contact(conn: Connection, company: Company, scope: Scope, code: str, person: ContactPerson,
                actor: str) -> dict:
    row = customer_row(conn, company, scope, code)
    values = _values(checked(person))
    contact_id = conn.execute(insert(contacts).values(company_id=company.id, customer_id=row.id, active=True,
                                                      created_at=clock.now(), actor=actor,
                                                      **values)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="create", entity="contact", key=str(contact_id), company_id=company.id,
                 after={"customer": code, **values})
    return _json(_row(conn, company, scope, contact_id), code)


def _row(conn: Connection, company: Company, scope: Scope, contact_id: int):
    k = contacts.c
    row = conn.execute(select(contacts, customers.c.code.label("customer"))
                       .select_from(contacts.join(customers, customers.c.id == k.customer_id))
                       .where(k.company_id == company.id, k.id == contact_id, scope.customers())).first()
    if row is None:
        raise NotFound(f"no contact {contact_id}")
    return row


def update_contact(conn: Connection, company: Company, scope: Scope, contact_id: int, actor: str,
                   **changes) -> dict:
    """Change the fields given (name, role, email, phone, language, receives_dunning)."""
    row = _row(conn, company, scope, contact_id)
    before = ContactPerson(row.name, row.role, row.email, row.phone, row.language, bool(row.receives_dunning))
    try:
        after = checked(replace(before, **{k: v for k, v in changes.items() if v is not None}))
    except TypeError as error:
        raise InvalidInput(f"contact: {error}") from None
    conn.execute(update(contacts).where(contacts.c.id == contact_id).values(**_values(after)))
    audit.record(conn, actor=actor, action="update", entity="contact", key=str(contact_id), company_id=company.id,
                 before=_values(before), after=_values(after))
    return _json(_row(conn, company, scope, contact_id), row.customer)


def deactivate_contact(conn: Connection, company: Company, scope: Scope, contact_id: int, actor: str) -> dict:
    row = _row(conn, company, scope, contact_id)
    conn.execute(update(contacts).where(contacts.c.id == contact_id).values(active=False))
    audit.record(conn, actor=actor, action="deactivate", entity="contact", key=str(contact_id),
                 company_id=company.id, before={"active": bool(row.active)}, after={"active": False})
    return _json(_row(conn, company, scope, contact_id), row.customer)


def list_contacts(conn: Connection, company: Company, scope: Scope, code: str, inactive: bool = False) -> list[dict]:
    """A customer's contact persons (the active ones, unless `inactive`), by name."""
    row = customer_row(conn, company, scope, code)
    k = contacts.c
    query = select(contacts).where(k.company_id == company.id, k.customer_id == row.id)
    if not inactive:
        query = query.where(k.active.is_(True))
    return [_json(r, code) for r in conn.execute(query.order_by(k.name, k.id))]


@dataclass(frozen=True)
class Recipient:
    name: str | None
    email: str | None
    phone: str | None
    language: str


def dunning_contacts(conn: Connection, company: Company, customer_id: int) -> list[Recipient]:
    """Whom dunning writes to: the active contacts that receive it (language: their own, else the
    customer's), else the customer's own contact email and phone; [] when there is neither."""
    c, k = customers.c, contacts.c
    customer = conn.execute(select(c.contact_name, c.contact_email, c.contact_phone, c.language).where(
        c.company_id == company.id, c.id == customer_id)).first()
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    rows = conn.execute(select(k.name, k.email, k.phone, k.language).where(
        k.company_id == company.id, k.customer_id == customer_id, k.active.is_(True), k.receives_dunning.is_(True))
        .order_by(k.id)).all()
    found = [Recipient(r.name, r.email, r.phone, r.language or customer.language) for r in rows if r.email or r.phone]
    if found:
        return found
    if customer.contact_email or customer.contact_phone:
        return [Recipient(customer.contact_name, customer.contact_email, customer.contact_phone, customer.language)]
    return []
