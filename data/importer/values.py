"""Read cell text as numbers, yes/no, dates, sectors and organisations.

Files hold few distinct values per column (1 to 5, a handful of dates), so each distinct text
is parsed once and the column is mapped through a dictionary. A value that cannot be read is
not dropped silently: numbers become :data:`INVALID`, which every range check refuses, and the
report quotes the text that was read.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from data.config import SurveyFile
from data.importer.formats import ActorRef, key, normal
from data.importer.settings import ImportFormats

INVALID = -99.0  # a cell that holds something that is not a valid number
T = TypeVar("T")

# A whole number as a survey writes it: a few digits (a longer run is no answer of a scale,
# and Python's int() would refuse past 4,300 digits, float() overflow past 308).
_INTEGER = re.compile(r"^[+-]?\d{1,15}(?:[.,]0+)?$")
_LEADING_CODE = re.compile(r"^(\d)\s*(?:[-–—:)=]|\.\s)\s*\D")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_FRENCH = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[ T]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?$"
)
_SERIAL = re.compile(r"^\d{5}(?:[.,]\d+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def map_unique(
    values: Sequence[T], parse: Callable[[T | None], object], dtype: Any = object
) -> np.ndarray:
    """Apply ``parse`` once per distinct value (empty cells included) and spread the results."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    parsed = [parse(u) for u in uniques]
    parsed.append(parse(None))  # code -1: an empty cell
    table = np.empty(len(parsed), dtype=dtype)
    table[:] = parsed
    return table[codes]


class ValueReader:
    """Parsers configured from ``import_formats.yaml`` and ``survey.yaml``."""

    def __init__(self, formats: ImportFormats, survey: SurveyFile) -> None:
        self.missing = {v.casefold().strip() for v in formats.missing_values}
        self.true = {normal(v) or v for v in formats.true_values}
        self.false = {normal(v) or v for v in formats.false_values}
        self.zone = ZoneInfo(formats.timezone)
        self.resources = [r.id for r in survey.resource_types]
        # A resource by its id or its label, in normal form (a label may be several words).
        self.resource_names = {normal(r.id): r.id for r in survey.resource_types}
        for resource in survey.resource_types:
            self.resource_names.setdefault(normal(resource.label), resource.id)
        self._longest_name = max((len(n.split()) for n in self.resource_names), default=1)
        self.scales: dict[str, dict[str, int]] = {
            "likert": _labels(formats.value_labels.likert),
            "trust": _labels(formats.value_labels.trust),
            "level": {normal(label): level for level, label in survey.collaboration_levels.items()},
        }
        self.sectors: dict[str, str] = {}
        for sector in survey.sectors:
            self.sectors[normal(sector.id)] = sector.id
            self.sectors[normal(sector.label)] = sector.id
        for sector_id, names in formats.sector_synonyms.items():
            for name in names:
                self.sectors.setdefault(normal(name), sector_id)

    def is_missing(self, raw: str | None) -> bool:
        return raw is None or raw.strip().casefold() in self.missing

    # -- numbers ---------------------------------------------------------------------------

    def integer(self, raw: str | None, scale: str) -> float:
        """A whole number of a scale, ``nan`` when empty, :data:`INVALID` when unreadable."""
        if self.is_missing(raw):
            return math.nan
        assert raw is not None
        text = raw.strip()
        if _INTEGER.match(text):
            return float(int(re.split(r"[.,]", text)[0]))
        labelled = self.scales.get(scale, {}).get(normal(text))
        if labelled is not None:
            return float(labelled)
        code = _LEADING_CODE.match(text)
        if code:
            return float(code.group(1))
        return INVALID

    def integers(self, raws: Sequence[str | None], scale: str) -> np.ndarray:
        return map_unique(raws, lambda r: self.integer(r, scale), float)

    def flag(self, raw: str | None) -> float:
        """A ticked box: 1, 0, ``nan`` when empty, :data:`INVALID` otherwise."""
        if raw is None or not raw.strip():
            return math.nan
        text = normal(raw) or raw.strip()
        if text in self.true:
            return 1.0
        if text in self.false or raw.strip().casefold() in self.missing:
            return 0.0
        if _INTEGER.match(raw.strip()):
            return float(int(re.split(r"[.,]", raw.strip())[0])) or 0.0
        return INVALID

    def flags(self, raws: Sequence[str | None]) -> np.ndarray:
        return map_unique(raws, self.flag, float)

    def resource_tokens(self, raw: str) -> list[tuple[str, str | None]]:
        """The resources ticked in one cell of a select-multiple column, as ``(text read,
        resource id or None)``: ids or labels separated by spaces, commas or semicolons. A
        survey tool exporting labels joins them with spaces (« Financement Apports en
        nature »): the longest label that matches is read first."""
        tokens = [t for t in re.split(r"[\s,;]+", raw.strip()) if t]
        found: list[tuple[str, str | None]] = []
        start = 0
        while start < len(tokens):
            for size in range(min(self._longest_name, len(tokens) - start), 0, -1):
                words = tokens[start : start + size]
                resource = self.resource_names.get(normal(" ".join(words)))
                if resource is not None:
                    found.append((" ".join(words), resource))
                    start += size
                    break
            else:
                found.append((tokens[start], None))
                start += 1
        return found

    # -- dates -----------------------------------------------------------------------------

    def date(self, raw: str | None, utc: bool = False) -> dt.date | str | None:
        """A date, ``None`` when empty, or the string ``"invalid"`` / ``"us"`` (month first)."""
        if self.is_missing(raw):
            return None
        assert raw is not None
        text = raw.strip()
        try:
            match = _ISO.match(text)
            if match:
                year, month, day, hour, minute, second, zone = match.groups()
                moment = dt.datetime(
                    int(year),
                    int(month),
                    int(day),
                    int(hour or 0),
                    int(minute or 0),
                    int(second or 0),
                )
                if zone:
                    offset = _offset(zone)
                    return moment.replace(tzinfo=offset).astimezone(self.zone).date()
                if utc and hour is not None:
                    return moment.replace(tzinfo=dt.UTC).astimezone(self.zone).date()
                return moment.date()
            match = _FRENCH.match(text)
            if match:
                day, month, year = (int(g) for g in match.groups()[:3])
                if year < 100:
                    year += 2000
                if month > 12 and day <= 12:
                    return "us"
                return dt.date(year, month, day)
            if _SERIAL.match(text):
                serial = float(text.replace(",", "."))
                if 30000 <= serial <= 80000:
                    return EXCEL_EPOCH + dt.timedelta(days=int(serial))
        except ValueError:
            return "invalid"
        return "invalid"

    # -- labels ----------------------------------------------------------------------------

    def sector(self, raw: str | None) -> str | None:
        """A sector id, ``None`` when empty, the text itself when unknown."""
        if raw is None or not raw.strip():
            return None
        return self.sectors.get(normal(raw), raw.strip())

    def known_sector(self, raw: str | None) -> str | None:
        if raw is None:
            return None
        return self.sectors.get(normal(raw))


class OrgReader:
    """An organisation named in a cell: its org_id, its name, or a tool's code for it."""

    def __init__(self, actors: Iterable[ActorRef]) -> None:
        self.by_key: dict[str, str] = {}
        self.by_normal: dict[str, str] = {}
        actors = list(actors)
        for actor in actors:
            self.by_key.setdefault(key(actor.org_id), actor.org_id)
        for actor in actors:
            self.by_normal.setdefault(normal(actor.name), actor.org_id)
            self.by_key.setdefault(key(actor.name), actor.org_id)

    def __call__(self, raw: str | None) -> str | None:
        if raw is None or not raw.strip():
            return None
        text = raw.strip()
        return self.by_key.get(key(text)) or self.by_normal.get(normal(text)) or text


def respondent_key(raw: str | None) -> str | None:
    """A respondent id: trimmed, without the ``uuid:`` prefix ODK and Kobo's meta add."""
    if raw is None:
        return None
    text = raw.strip()
    if text[:5].casefold() == "uuid:":
        text = text[5:].strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    return text or None


def _labels(mapping: dict[int, tuple[str, ...]]) -> dict[str, int]:
    return {normal(label): value for value, labels in mapping.items() for label in labels}


def _offset(zone: str) -> dt.tzinfo:
    if zone == "Z":
        return dt.UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return dt.timezone(sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
