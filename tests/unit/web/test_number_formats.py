"""The pages' amounts: credo's cached layout writes exactly what Babel writes, in both languages."""

from decimal import Decimal

import pytest
from babel.numbers import format_currency, format_decimal
from hypothesis import given, settings
from hypothesis import strategies as st

from credo.domain.money import exponent
from credo.web.i18n import LANGUAGES, Language

CURRENCIES = ("CNY", "USD", "EUR", "JPY", "HKD", "GBP", "KRW", "BHD", "CHF", "INR")


def babel_money(value: Decimal, currency: str, code: str) -> str:
    return format_currency(value, currency, locale=LANGUAGES[code][0])


def babel_amount(value: Decimal, currency: str, code: str) -> str:
    places = exponent(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return format_decimal(value, format=pattern, locale=LANGUAGES[code][0])


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_worked_examples(code):
    lang = Language(code)
    expected = {"zh-CN": ("¥1,500.00", "-¥1,234,567.50", "US$0.00", "-JP¥12,346"),
                "en": ("CN¥1,500.00", "-CN¥1,234,567.50", "$0.00", "-¥12,346")}[code]
    got = (lang.money(Decimal("1500"), "CNY"), lang.money(Decimal("-1234567.5"), "CNY"),
           lang.money(Decimal("0"), "USD"), lang.money(Decimal("-12345.6"), "JPY"))
    assert got == expected
    assert lang.amount("1234.5", "CNY") == "1,234.50" and lang.amount(None, "CNY") == ""


@settings(max_examples=300, deadline=None)
@given(value=st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), allow_nan=False,
                         allow_infinity=False),
       currency=st.sampled_from(CURRENCIES), code=st.sampled_from(list(LANGUAGES)))
def test_same_text_as_babel(value, currency, code):
    lang = Language(code)
    assert lang.money(value, currency) == babel_money(value, currency, code)
    assert lang.amount(value, currency) == babel_amount(value, currency, code)


@pytest.mark.parametrize("text", ["0", "-0", "-0.001", "0.005", "0.015", "-0.005", "999999.995", "1e3"])
@pytest.mark.parametrize("currency", CURRENCIES)
@pytest.mark.parametrize("code", list(LANGUAGES))
def test_edges_as_babel(text, currency, code):
    value = Decimal(text)
    lang = Language(code)
    assert lang.money(value, currency) == babel_money(value, currency, code)
    assert lang.amount(value, currency) == babel_amount(value, currency, code)
