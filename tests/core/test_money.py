"""Money: integer minor units plus a currency; parsing refuses what it cannot hold exactly,
allocation never loses or invents a cent, formatting is for people."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spotter.core.money import CURRENCIES, Money, MoneyError

currencies = st.sampled_from(sorted(CURRENCIES))
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "USD", 1250),
        ("12.5", "USD", 1250),
        ("12", "USD", 1200),
        (" 7.10 ", "eur", 710),
        ("-5.25", "GBP", -525),
        ("0.01", "USD", 1),
        ("1000", "JPY", 1000),
        ("1.234", "KWD", 1234),
        ("12.500", "USD", 1250),
        ("1e2", "USD", 10000),
        (Decimal("3.33"), "USD", 333),
        (4, "USD", 400),
    ],
)
def test_parse(text, currency, minor):
    money = Money.parse(text, currency)
    assert money == Money(minor, currency.upper())


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("12.345", "USD"),
        ("0.001", "EUR"),
        ("10.5", "JPY"),
        ("1.2345", "KWD"),
        ("abc", "USD"),
        ("", "USD"),
        ("NaN", "USD"),
        ("Infinity", "USD"),
        ("1,000.00", "USD"),
        ("12.50", "XXX"),
        ("12.50", "usdollar"),
    ],
)
def test_parse_refuses(text, currency):
    with pytest.raises(MoneyError):
        Money.parse(text, currency)


@given(amount=amounts, currency=currencies)
def test_parse_round_trips_the_decimal_value(amount, currency):
    money = Money(amount, currency)
    assert Money.parse(str(money.decimal), currency) == money
    assert Money.parse(money.decimal, currency) == money


@given(amount=amounts, currency=currencies, extra=st.integers(min_value=1, max_value=9))
def test_parse_refuses_more_decimals_than_the_currency_has(amount, currency, extra):
    exponent = CURRENCIES[currency]
    text = f"{Money(amount, currency).decimal:f}"
    text += ("" if "." in text else ".") + "0" * (exponent - len(text.partition(".")[2]))
    with pytest.raises(MoneyError):
        Money.parse(text + str(extra), currency)


@given(amount=amounts, currency=currencies, parts=st.integers(min_value=1, max_value=50))
def test_allocate_sums_exactly(amount, currency, parts):
    shares = Money(amount, currency).allocate(parts)
    assert len(shares) == parts
    assert sum(s.amount for s in shares) == amount
    assert all(s.currency == currency for s in shares)
    assert max(s.amount for s in shares) - min(s.amount for s in shares) <= 1
    assert [s.amount for s in shares] == sorted((s.amount for s in shares), reverse=True)


def test_allocate_examples():
    assert [m.amount for m in Money(1000, "USD").allocate(3)] == [334, 333, 333]
    assert [m.amount for m in Money(-100, "USD").allocate(3)] == [-33, -33, -34]
    with pytest.raises(MoneyError):
        Money(100, "USD").allocate(0)


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money(123456, "USD"), "$1,234.56"),
        (Money(-500, "USD"), "-$5.00"),
        (Money(5, "EUR"), "€0.05"),
        (Money(1000, "JPY"), "¥1,000"),
        (Money(1234, "KWD"), "1.234 KWD"),
        (Money(0, "GBP"), "£0.00"),
        (Money(150000, "CHF"), "1,500.00 CHF"),
        (Money(-1, "ISK"), "-1 ISK"),
    ],
)
def test_format(money, text):
    assert money.format() == text


@given(amount=amounts, currency=currencies)
def test_format_shows_every_minor_unit(amount, currency):
    digits = "".join(ch for ch in Money(amount, currency).format() if ch.isdigit())
    assert int(digits) == abs(amount)


def test_arithmetic_stays_in_one_currency():
    assert Money(150, "USD") + Money(25, "USD") == Money(175, "USD")
    assert Money(150, "USD") - Money(200, "USD") == Money(-50, "USD")
    with pytest.raises(MoneyError):
        Money(1, "USD") + Money(1, "EUR")
    with pytest.raises(MoneyError):
        Money(1, "USD") - Money(1, "EUR")


def test_multiply_rounds_half_to_even():
    assert Money(5, "USD").multiply(Decimal("0.5")).amount == 2  # 2.5 -> 2
    assert Money(15, "USD").multiply(Decimal("0.5")).amount == 8  # 7.5 -> 8
    assert Money(1999, "USD").multiply(3) == Money(5997, "USD")
    assert Money(1000, "USD").multiply(Decimal("0.19")) == Money(190, "USD")


def test_amounts_are_whole_minor_units():
    for bad in (12.5, "1250", True, Decimal("12.50")):
        with pytest.raises(MoneyError):
            Money(bad, "USD")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        Money(100, "ABC")
