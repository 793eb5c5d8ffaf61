"""French formatting of numbers, percentages, dates, months and times (1 234,5 ; 23/11/2026 ;
novembre 2026 ; 20:46 in Paris), with babel's French locale data.

Rounding is half up on the decimal a person reads (0,125 → 0,13), which babel, rounding half to
even, would not do: numbers are rounded here, then formatted by babel.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import NumberPattern, parse_pattern

LOCALE = "fr_FR"
_LOCALE = Locale.parse(LOCALE)
# Europe/Paris: the programme's clock, for every time a user reads.
PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u202f"  # narrow no-break space, the French thousands separator (as babel writes it)
MINUS = "\u2212"  # the typographic minus sign
MISSING = "–"  # what a person reads where there is no value (an en dash)
# Decimals shown for each indicator unit (config/indicators.yaml ``unit``).
UNIT_DECIMALS = {"count": 0, "ratio": 0, "score_1_5": 1, "score_1_4": 1, "index": 2, "delta": 2}
# Decimals an export keeps for each unit, one more than the screen (a spreadsheet is read
# closely and computed with) but for counts; a ratio is exported in percent.
EXPORT_DECIMALS = {"count": 0, "ratio": 1, "score_1_5": 2, "score_1_4": 2, "index": 3, "delta": 3}
EXPORT_DEFAULT_DECIMALS = 3  # a unit the catalogue no longer has


# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash.
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def literal(text: object) -> str:
    """Text a person typed (a narrative, a comment, a name, a cell of an uploaded file), ready
    to go into Markdown and to be shown exactly as typed.

    Every punctuation character is escaped, so nothing in it is markup: no image or link that
    loads anything (``![](https://…)``, ``<img>``, bare addresses that would become links), no
    LaTeX (``$``), no emoji or colour directive (``:red[…]``), no heading or list. Line breaks
    stay line breaks.
    """
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", str(text))
    return "  \n".join(line.strip() for line in escaped.splitlines())


def literal_html(text: object) -> str:
    """Text a person typed, for a Plotly label (which reads a subset of HTML: ``<a href>``,
    ``<b>``…): shown as typed, never a link."""
    return html.escape(str(text), quote=False)


def is_missing(value: object) -> bool:
    """None, NaN, NaT or pd.NA: a value to show as « – »."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is not "missing"
        return False


def decimal(value: object) -> Decimal | None:
    """A number as an exact decimal of its shortest representation; None when missing.

    ``Decimal(repr(0.285))`` is 0.285, so rounding it half up gives what a person expects
    (0,29) where rounding the binary float would not (0.28499…).
    """
    if isinstance(value, Decimal):
        return value
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return Decimal(repr(number))


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def number(value: object, decimals: int = 0) -> str:
    """``1234.5`` → ``1 234,5`` (rounded half up); negative with « − »; missing → ``–``."""
    exact = decimal(value)
    if exact is None:
        return MISSING
    rounded = round_half_up(exact, decimals)
    return (MINUS if rounded < 0 else "") + _digits(abs(rounded), decimals)


@functools.cache
def _number_pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


@functools.lru_cache(maxsize=8192)
def _digits(magnitude: Decimal, decimals: int) -> str:
    """babel's ``format_decimal`` of a rounded magnitude, its pattern parsed once: a page
    writes thousands of numbers (hover texts), many of them alike."""
    return _number_pattern(decimals).apply(magnitude, _LOCALE, decimal_quantization=False)


def percent(fraction: object, decimals: int = 0) -> str:
    """``0.256`` → ``26 %``."""
    exact = decimal(fraction)
    if exact is None:
        return MISSING
    return f"{number(exact * 100, decimals)}\u00a0%"


def indicator_value(value: object, unit: str | None) -> str:
    """An indicator value as French text for its unit: ratio 0.256 → « 26 % », score 3.45 →
    « 3,5 », index 0.625 → « 0,63 », count 1234 → « 1 234 », delta → « +0,05 » / « −0,03 »;
    missing → « – »."""
    exact = decimal(value)
    if exact is None:
        return MISSING
    if unit == "ratio":
        return percent(exact)
    decimals = UNIT_DECIMALS.get(unit or "", 2)
    text = number(exact, decimals)
    if unit == "delta" and round_half_up(exact, decimals) > 0:
        return "+" + text
    return text


def indicator_figure(value: object, unit: str | None) -> float | None:
    """An indicator value as the number an export gives, in its unit as a person reads it
    (a ratio in percent) rounded half up to :data:`EXPORT_DECIMALS`: ratio 0.25666… →
    25.7, score 3.456 → 3.46, index 0.6255 → 0.626, count 1234.0 → 1234.0; missing → None."""
    exact = decimal(value)
    if exact is None:
        return None
    if unit == "ratio":
        exact *= 100
    return float(round_half_up(exact, EXPORT_DECIMALS.get(unit or "", EXPORT_DEFAULT_DECIMALS)))


def date(value: dt.date | None) -> str:
    """``2026-11-23`` → ``23/11/2026``."""
    return format_date(value, "dd/MM/y", locale=LOCALE) if value else MISSING


@functools.lru_cache(maxsize=1024)
def month(value: dt.date) -> str:
    """``2026-11-01`` → ``novembre 2026``."""
    return format_date(value, "LLLL y", locale=LOCALE)


@functools.lru_cache(maxsize=1024)
def month_short(value: dt.date) -> str:
    """``2026-11-01`` → ``nov. 2026``."""
    return format_date(value, "LLL y", locale=LOCALE)


def paris(moment: dt.datetime) -> dt.datetime:
    """``moment`` on the programme's clock; a naive datetime is read as UTC (how SQLite gives
    back what was written in UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(PARIS)


def time(moment: dt.datetime) -> str:
    """The time of ``moment`` in Paris: ``20:46``."""
    return format_datetime(paris(moment), "HH:mm", locale=LOCALE)


def date_time(moment: dt.datetime) -> str:
    """``23/11/2026 à 20:46``, in Paris."""
    local = paris(moment)
    return f"{date(local.date())} à {time(local)}"


def format_change(unit: str | None, current: object, before: object) -> str:
    """The change from ``before`` to ``current`` in the value's own terms: percentage points
    for ratios (0,256 after 0,226 → « +3 pts »), the unit's decimals otherwise (« −0,2 »);
    « stable » when it rounds to zero; « – » when either side is missing."""
    now, then = decimal(current), decimal(before)
    if now is None or then is None:
        return MISSING
    if unit == "ratio":
        points = round_half_up((now - then) * 100, 0)
        if points == 0:
            return "stable"
        suffix = "\u00a0pt" if abs(points) == 1 else "\u00a0pts"
        sign = "+" if points > 0 else MINUS
        return f"{sign}{number(float(abs(points)), 0)}{suffix}"
    decimals = UNIT_DECIMALS.get(unit or "", 2)
    difference = round_half_up(now - then, decimals)
    if difference == 0:
        return "stable"
    sign = "+" if difference > 0 else MINUS
    return sign + number(float(abs(difference)), decimals)
