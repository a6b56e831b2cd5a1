"""The currency a business charges in: derived from where it is when it is created (its time
zone, else its phone-number country), editable in its settings. Money stays integer cents
(minor units); this only chooses the symbol and the code."""

from __future__ import annotations

# code → (symbol, name). Every one of these has 100 minor units, so cents stay cents.
CURRENCIES: dict[str, tuple[str, str]] = {
    "USD": ("$", "US dollar"),
    "GBP": ("£", "Pound sterling"),
    "EUR": ("€", "Euro"),
    "CAD": ("CA$", "Canadian dollar"),
    "AUD": ("A$", "Australian dollar"),
    "NZD": ("NZ$", "New Zealand dollar"),
    "CHF": ("CHF ", "Swiss franc"),
    "SEK": ("SEK ", "Swedish krona"),
    "NOK": ("NOK ", "Norwegian krone"),
    "DKK": ("DKK ", "Danish krone"),
    "ZAR": ("R", "South African rand"),
    "INR": ("₹", "Indian rupee"),
    "SGD": ("S$", "Singapore dollar"),
    "MXN": ("MX$", "Mexican peso"),
}
CURRENCY_CHOICES = [(code, f"{code} ({name})") for code, (_symbol, name) in CURRENCIES.items()]
DEFAULT_CURRENCY = "USD"

_EURO_CITIES = {
    "Amsterdam", "Andorra", "Athens", "Berlin", "Bratislava", "Brussels", "Busingen", "Dublin",
    "Helsinki", "Lisbon", "Ljubljana", "Luxembourg", "Madrid", "Malta", "Mariehamn", "Monaco",
    "Paris", "Riga", "Rome", "San_Marino", "Tallinn", "Vatican", "Vienna", "Vilnius", "Zagreb",
}  # fmt: skip
_ZONES: dict[str, str] = {
    "Europe/London": "GBP",
    "Europe/Belfast": "GBP",
    "Europe/Guernsey": "GBP",
    "Europe/Isle_of_Man": "GBP",
    "Europe/Jersey": "GBP",
    "Atlantic/Madeira": "EUR",
    "Atlantic/Canary": "EUR",
    "Atlantic/Azores": "EUR",
    "Europe/Zurich": "CHF",
    "Europe/Vaduz": "CHF",
    "Europe/Stockholm": "SEK",
    "Europe/Oslo": "NOK",
    "Europe/Copenhagen": "DKK",
    "Africa/Johannesburg": "ZAR",
    "Asia/Kolkata": "INR",
    "Asia/Calcutta": "INR",
    "Asia/Singapore": "SGD",
    "Pacific/Auckland": "NZD",
    "Pacific/Chatham": "NZD",
    "America/Mexico_City": "MXN",
    "America/Cancun": "MXN",
    "America/Monterrey": "MXN",
    "America/Tijuana": "MXN",
}
_CANADA = {
    "Toronto", "Vancouver", "Montreal", "Edmonton", "Winnipeg", "Halifax", "St_Johns", "Regina",
    "Moncton", "Whitehorse", "Yellowknife", "Iqaluit", "Glace_Bay", "Goose_Bay",
}  # fmt: skip
_REGIONS = {
    "US": "USD", "GB": "GBP", "IE": "EUR", "FR": "EUR", "DE": "EUR", "ES": "EUR", "IT": "EUR",
    "NL": "EUR", "BE": "EUR", "PT": "EUR", "AT": "EUR", "FI": "EUR", "GR": "EUR", "CA": "CAD",
    "AU": "AUD", "NZ": "NZD", "CH": "CHF", "SE": "SEK", "NO": "NOK", "DK": "DKK", "ZA": "ZAR",
    "IN": "INR", "SG": "SGD", "MX": "MXN",
}  # fmt: skip


def currency_for_place(*, timezone_name: str, region: str = "") -> str:
    """Europe/London → GBP, Europe/Paris → EUR, Australia/Sydney → AUD; else the region's,
    else US dollars."""
    if timezone_name in _ZONES:
        return _ZONES[timezone_name]
    area, _, city = timezone_name.partition("/")
    if area == "Europe" and city in _EURO_CITIES:
        return "EUR"
    if area == "Australia":
        return "AUD"
    if area == "America" and city in _CANADA:
        return "CAD"
    if area == "Canada":
        return "CAD"
    return _REGIONS.get(region.upper(), DEFAULT_CURRENCY)


def money_format(cents: int | None, currency: str) -> str:
    """5500, "GBP" → "£55.00"; -1234567, "EUR" → "-€12,345.67"."""
    if cents is None:
        return ""
    symbol = CURRENCIES.get(currency, (f"{currency} ", ""))[0]
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{symbol}{units:,}.{rest:02d}"
