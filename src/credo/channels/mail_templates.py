"""Subjects and bodies of mail in Chinese and English, from Jinja2 templates.

`templates/mail/NAME.LANGUAGE.txt` is the text body; a top-level `{% set subject %}...{% endset %}`
in it is the subject. `NAME.LANGUAGE.html`, when present, is the HTML body (autoescaped).
Templates get the caller's context plus `formats` (locales.Formats of the language) to write
amounts and dates as the language does. A value the template names but the context lacks is an
error, never an empty gap in a letter to a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, UndefinedError

from credo.channels.locales import Formats
from credo.errors import InvalidInput, NotFound

TEMPLATES = Path(__file__).with_name("templates") / "mail"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str | None


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                       lstrip_blocks=True, keep_trailing_newline=True,
                       autoescape=lambda name: bool(name and name.endswith(".html")))


def template_names() -> list[str]:
    """The names a caller may render (each has a .zh.txt and an .en.txt)."""
    return sorted({path.name.split(".")[0] for path in TEMPLATES.glob("*.txt")})


def render_message(template_name: str, language: str, context: dict[str, Any]) -> RenderedMail:
    """The subject, text body and (if the template has one) HTML body of one mail."""
    values = {**context, "formats": Formats(language)}
    environment = _environment()
    try:
        text = environment.get_template(f"{template_name}.{language}.txt").make_module(values)
        html = _optional(environment, f"{template_name}.{language}.html", values)
    except TemplateNotFound:
        raise NotFound(f"no mail template {template_name!r} in {language!r} "
                       f"(there are: {', '.join(template_names())})") from None
    except UndefinedError as error:
        raise InvalidInput(f"mail template {template_name!r}: {error.message}") from None
    subject = " ".join(str(getattr(text, "subject", "")).split())
    if not subject:
        raise InvalidInput(f"mail template {template_name!r} ({language}) sets no subject")
    return RenderedMail(subject, str(text).strip() + "\n", html)


def _optional(environment: Environment, name: str, values: dict[str, Any]) -> str | None:
    if name not in environment.list_templates():
        return None
    return environment.get_template(name).render(values)
