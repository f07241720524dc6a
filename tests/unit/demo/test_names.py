"""Name parts for the demo: Chinese and English company names, contacts, emails, phones."""

import random
import re

import pytest

from credo.demo import names


def test_a_chinese_name_is_city_word_industry_and_legal_form():
    name = names.chinese_company(random.Random(1), "恒通")
    assert any(name.startswith(city) for city, _ in names.CITIES)
    assert "恒通" in name and name.endswith("有限公司")


@pytest.mark.parametrize("country, ending", [("DE", ("GmbH", "KG", "AG")), ("SG", ("Pte Ltd",)),
                                             ("CN", ("Co., Ltd.",)), ("HK", ("Ltd", "Limited"))])
def test_an_english_name_ends_in_its_countrys_legal_form(country, ending):
    rng = random.Random(3)
    for _ in range(20):
        assert names.english_company(rng, country).endswith(ending)


def test_unique_never_gives_a_value_twice_and_says_when_it_runs_out():
    rng, used = random.Random(5), set()
    values = [names.unique(rng, used, lambda r: r.choice("abc")) for _ in range(3)]
    assert sorted(values) == ["a", "b", "c"]
    with pytest.raises(ValueError, match="ran out"):
        names.unique(rng, used, lambda r: r.choice("abc"))


def test_a_taken_email_gets_a_digit():
    used: set[str] = set()
    assert names.contact_email("wang.wei", "zh", used) == "wang.wei@example.cn"
    assert names.contact_email("wang.wei", "zh", used) == "wang.wei2@example.cn"
    assert names.contact_email("anna.becker", "en", used) == "anna.becker@example.com"


def test_hong_kong_contacts_put_the_family_name_first():
    name, local = names.english_contact(random.Random(2), "HK")
    family, given = name.split(" ", 1)
    assert family in names.EN_LAST["HK"] and local == f"{given.replace(' ', '').lower()}.{family.lower()}"


@pytest.mark.parametrize("country, pattern", [
    ("CN", r"\+86 1\d\d \d{4} \d{4}"), ("HK", r"\+852 \d{4} \d{4}"), ("SG", r"\+65 \d{4} \d{4}"),
    ("US", r"\+1 \d{3} 555 01\d\d"), ("DE", r"\+49 \d\d \d{7}"),
])
def test_phone_numbers_have_their_countrys_shape(country, pattern):
    assert re.fullmatch(pattern, names.phone(random.Random(4), country))
