"""Phone numbers for SMS: E.164, with Chinese mobile numbers normalised the ways people write them."""

import pytest

from credo.channels.sms import TextMessage, normalise_phone
from credo.errors import InvalidInput


@pytest.mark.parametrize("written", [
    "13800138000", "138 0013 8000", "138-0013-8000", "(138) 0013 8000", "+86 138 0013 8000", "86 13800138000",
    "008613800138000", "+86-138-0013-8000", "１３８ ００１３ ８０００", "\u3000138\u30000013\u30008000 ",
])
def test_a_chinese_mobile_number_written_any_usual_way_becomes_e164(written):
    assert normalise_phone(written) == "+8613800138000"


@pytest.mark.parametrize("written, e164", [
    ("+44 20 7946 0958", "+442079460958"), ("+1 (415) 555-0100", "+14155550100"), ("0049 30 901820", "+4930901820"),
    ("+852 9123 4567", "+85291234567"),
])
def test_a_number_with_its_country_code_is_kept_in_e164(written, e164):
    assert normalise_phone(written) == e164


@pytest.mark.parametrize("written", [
    "", "12345", "1380013800", "23800138000", "021 6234 5678", "+86 138 0013 800", "+0 123 4567", "138001380001x",
    "+1234567890123456",
])
def test_a_number_that_is_not_e164_nor_a_chinese_mobile_number_is_refused(written):
    with pytest.raises(InvalidInput, match="expected E.164"):
        normalise_phone(written)


def test_a_text_message_holds_its_number_in_e164_and_refuses_an_empty_text_or_key():
    assert TextMessage("138 0013 8000", "您好", "k").to == "+8613800138000"
    with pytest.raises(InvalidInput, match="needs a text"):
        TextMessage("13800138000", " ", "k")
    with pytest.raises(InvalidInput, match="idempotency key"):
        TextMessage("13800138000", "您好", "")
