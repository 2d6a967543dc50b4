"""Money in integer minor units plus an ISO 4217 currency; never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

# ISO 4217 currencies we accept, with their minor-unit exponent.
CURRENCIES: dict[str, int] = {
    "AED": 2,
    "ARS": 2,
    "AUD": 2,
    "BGN": 2,
    "BHD": 3,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CLP": 0,
    "CNY": 2,
    "COP": 2,
    "CZK": 2,
    "DKK": 2,
    "EGP": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KES": 2,
    "KRW": 0,
    "KWD": 3,
    "MAD": 2,
    "MXN": 2,
    "MYR": 2,
    "NGN": 2,
    "NOK": 2,
    "NZD": 2,
    "OMR": 3,
    "PEN": 2,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "QAR": 2,
    "RON": 2,
    "RSD": 2,
    "SAR": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TND": 3,
    "TRY": 2,
    "TWD": 2,
    "UAH": 2,
    "USD": 2,
    "VND": 0,
    "ZAR": 2,
}

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "AUD": "A$", "CAD": "C$"}


class MoneyError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units (cents)
    currency: str

    def __post_init__(self) -> None:
        if self.currency not in CURRENCIES:
            raise MoneyError(f"unsupported currency {self.currency!r}")
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise MoneyError("amount must be an integer number of minor units")

    @classmethod
    def parse(cls, value: str | Decimal | int, currency: str) -> Money:
        """From a major-unit amount ("12.50"); refuses more decimals than the currency has."""
        currency = currency.upper()
        exponent = CURRENCIES.get(currency)
        if exponent is None:
            raise MoneyError(f"unsupported currency {currency!r}")
        try:
            dec = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise MoneyError(f"not an amount: {value!r}") from exc
        if not dec.is_finite():
            raise MoneyError(f"not an amount: {value!r}")
        scaled = dec.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{currency} has {exponent} decimal places")
        return cls(int(scaled), currency)

    @property
    def decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-CURRENCIES[self.currency])

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def _same(self, other: Money) -> None:
        if self.currency != other.currency:
            raise MoneyError(f"cannot combine {self.currency} and {other.currency}")

    def multiply(self, factor: Decimal | int) -> Money:
        """Scaled and rounded half-to-even (banker's rounding) to a whole minor unit."""
        value = (Decimal(self.amount) * Decimal(factor)).quantize(Decimal(1), ROUND_HALF_EVEN)
        return Money(int(value), self.currency)

    def allocate(self, parts: int) -> list[Money]:
        """Split into ``parts`` amounts that add up exactly (the remainder goes first)."""
        if parts < 1:
            raise MoneyError("parts must be at least 1")
        base, rest = divmod(self.amount, parts)
        return [Money(base + (1 if i < rest else 0), self.currency) for i in range(parts)]

    def format(self) -> str:
        exponent = CURRENCIES[self.currency]
        number = f"{abs(self.decimal):,.{exponent}f}"
        sign = "-" if self.amount < 0 else ""
        symbol = _SYMBOLS.get(self.currency)
        return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {self.currency}"
