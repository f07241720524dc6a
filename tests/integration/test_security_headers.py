"""Every answer, page or API, carries the security headers: the forms cannot be framed, nothing is
sniffed into another type, scripts come from credo's origin alone (there is no inline script)."""

from __future__ import annotations

import re
from pathlib import Path

WANTED = {"x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "credo" / "web" / "templates"


def check(answer) -> None:
    for name, value in WANTED.items():
        assert answer.headers.get(name) == value, (answer.url, name)
    policy = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-eval" not in policy


def test_pages_api_errors_and_static_files_carry_the_security_headers(people, pages, server):
    client = pages("credit_manager", "zh")
    for path in ("/", "/customers", "/reports/aging", "/risk/provision", "/closes", "/static/credo.js", "/nowhere"):
        check(client.get(path))
    with server.client() as anonymous:
        check(anonymous.get("/sign-in"))
        check(anonymous.get("/api/v1/customers"))  # 401 too


def test_no_template_has_an_inline_script_or_handler():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
