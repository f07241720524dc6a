"""The company's dunning policies (催收策略): the ladders credo ships, or the company's own, stored as
JSON with each change a new version (audited). A dunning run uses the version in force when it runs;
what it sent records the step's level and name, so a later change never re-sends a step."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, insert, select

from credo import clock
from credo.channels.mail_templates import template_names
from credo.domain.dunning import DunningPolicy
from credo.domain.dunning_data import policies_from_data, policies_to_data
from credo.domain.dunning_defaults import DEFAULT_POLICIES
from credo.errors import InvalidInput
from credo.services import audit
from credo.services.companies import Company
from credo.store.collections_tables import dunning_policy_versions


def policies_setting(conn: Connection, company: Company) -> dict[str, Any]:
    """{"version" (0: the policies that ship), "policies": [...] as data}."""
    v = dunning_policy_versions.c
    found = conn.execute(select(v.version, v.body).where(v.company_id == company.id)
                         .order_by(v.version.desc()).limit(1)).first()
    if found is None:
        return {"version": 0, "policies": policies_to_data(DEFAULT_POLICIES)}
    return {"version": found.version, "policies": json.loads(found.body)}


def policies_for(conn: Connection, company: Company) -> tuple[DunningPolicy, ...]:
    """The policies a run uses, most specific first."""
    found = policies_setting(conn, company)
    if not found["version"]:
        return DEFAULT_POLICIES
    return policies_from_data(found["policies"], template_names())


def set_policies(conn: Connection, company: Company, data: Any, actor: str) -> dict[str, Any]:
    """Check the policies and store them as a new version; the ones in force again write nothing.
    InvalidInput names the policy, step and field at fault."""
    try:
        policies = policies_from_data(data, template_names())
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    body = policies_to_data(policies)  # the checked form: decimals as text, sets sorted
    current = policies_setting(conn, company)
    if current["policies"] == body:
        return current
    v = dunning_policy_versions.c
    version = (conn.execute(select(func.max(v.version)).where(v.company_id == company.id)).scalar() or 0) + 1
    text = json.dumps(body, ensure_ascii=False, sort_keys=True)
    conn.execute(insert(dunning_policy_versions).values(company_id=company.id, version=version, body=text,
                                                        set_at=clock.now(), actor=actor))
    audit.record(conn, actor=actor, action="update", entity="dunning_policies", key=str(version),
                 company_id=company.id, before={"version": current["version"]},
                 after={"version": version, "policies": ",".join(p["code"] for p in body)})
    return {"version": version, "policies": body}
