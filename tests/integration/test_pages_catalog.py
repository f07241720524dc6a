"""Every word the pages show goes through the Chinese catalog: extracted from the templates and the
web package the way Babel's tools do, each message has a translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

import credo.web
from credo.web.i18n import CATALOGS, Language, load_catalogs

WEB = Path(credo.web.__file__).parent
KEYWORDS = {"_": None, "N_": None, "gettext": None}


def extracted() -> set[str]:
    found = extract_from_dir(WEB, method_map=[("templates/**.html", "jinja2"), ("**.py", "python")],
                             keywords=KEYWORDS,
                             options_map={"templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}})
    return {message for _, _, message, _, _ in found}


def test_every_message_of_the_pages_has_a_chinese_translation_with_the_same_placeholders():
    messages = extracted()
    assert len(messages) > 150
    chinese = load_catalogs()["zh-CN"]
    missing = sorted(messages - set(chinese))
    assert missing == [], f"not in {CATALOGS['zh-CN'].name}: {missing}"
    for message in messages:
        assert set(re.findall(r"%\(\w+\)s", message)) == set(re.findall(r"%\(\w+\)s", chinese[message])), message


def test_the_catalog_holds_no_message_the_pages_no_longer_use():
    with CATALOGS["zh-CN"].open("rb") as handle:
        ids = {m.id for m in read_po(handle) if m.id}
    assert sorted(ids - extracted()) == []


def test_a_message_is_translated_and_filled_in_and_an_unknown_one_stays_english():
    chinese = Language("zh-CN", load_catalogs()["zh-CN"])
    assert chinese.gettext("%(days)s days", days="221.8") == "221.8 天"
    assert chinese.gettext("no such message") == "no such message"
    assert Language("en").gettext("%(days)s days", days="3") == "3 days"
