"""The company's own scorecard and credit policy: what `credo credit scorecard|policy set` stores
(each change a new version in credit_settings, audited), or the defaults that ship when none is set."""

from __future__ import annotations

import json
from typing import Any, Callable

from sqlalchemy import Connection, func, insert, select

from credo import clock
from credo.domain.credit.defaults import DEFAULT_POLICY, EXPERT_SCORECARD
from credo.domain.credit.policy import Policy, policy_from_dict, policy_to_dict
from credo.domain.credit.scorecard import Scorecard
from credo.errors import InvalidInput
from credo.services import audit, lookups
from credo.services.companies import Company
from credo.store.credit_tables import credit_settings

KINDS = ("scorecard", "policy")


def _stored(conn: Connection, company: Company, kind: str):
    s = credit_settings.c
    return conn.execute(select(s.version, s.body).where(s.company_id == company.id, s.kind == kind)
                        .order_by(s.version.desc()).limit(1)).first()


def setting(conn: Connection, company: Company, kind: str) -> dict[str, Any]:
    """The scorecard or policy in force: {"kind", "version" (0: the default), "body"}."""
    _check_kind(kind)
    found = _stored(conn, company, kind)
    if found is not None:
        return {"kind": kind, "version": found.version, "body": json.loads(found.body)}
    body = EXPERT_SCORECARD if kind == "scorecard" else policy_to_dict(DEFAULT_POLICY)
    return {"kind": kind, "version": 0, "body": body}


def scorecard_for(conn: Connection, company: Company) -> tuple[Scorecard, str]:
    """The company's scorecard and its name with the version (the default's when none is set;
    a `lookups.lasting` value: each new version is audited)."""
    def read() -> tuple[Scorecard, str]:
        found = setting(conn, company, "scorecard")
        card = Scorecard.from_dict(found["body"])
        return card, f"{card.name} (version {found['version']})" if found["version"] else card.name

    return lookups.lasting(("scorecard", company.id), read)


def policy_for(conn: Connection, company: Company) -> Policy:
    return lookups.lasting(("credit policy", company.id),
                           lambda: policy_from_dict(setting(conn, company, "policy")["body"]))


def set_setting(conn: Connection, company: Company, kind: str, body: Any, actor: str) -> dict[str, Any]:
    """Check and store a new version; the same body as the one in force writes nothing."""
    _check_kind(kind)
    readers: dict[str, Callable[[Any], Any]] = {"scorecard": Scorecard.from_dict, "policy": policy_from_dict}
    try:
        if not isinstance(body, dict):
            raise ValueError("a JSON object")
        readers[kind](body)
    except (KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise InvalidInput(f"{kind}: not valid ({type(error).__name__}: {error})") from None
    current = setting(conn, company, kind)
    if current["version"] and current["body"] == body:
        return current
    s = credit_settings.c
    version = (conn.execute(select(func.max(s.version)).where(s.company_id == company.id, s.kind == kind))
               .scalar() or 0) + 1
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    conn.execute(insert(credit_settings).values(company_id=company.id, kind=kind, version=version, body=text,
                                                set_at=clock.now(), actor=actor))
    audit.record(conn, actor=actor, action="update", entity=f"credit_{kind}", key=str(version),
                 company_id=company.id, before={"version": current["version"]}, after={"version": version,
                                                                                      "body": text})
    return {"kind": kind, "version": version, "body": body}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise InvalidInput(f"unknown credit setting {kind!r}: use scorecard or policy")
