"""Status bands as the reader sees them: a colour, an icon and a French label, always together.

The colours form a blue / sand / orange diverging scheme plus a neutral grey, chosen to stay
apart for the three common colour-vision deficiencies and in greyscale:

- « force » is a mid blue, « point de vigilance » a burnt orange: blue against orange is the
  axis that protanopes and deuteranopes keep; tritanopes see them as teal against pink.
- « à discuter » is a pale sand, much lighter than both (L* ≈ 90 against ≈ 60), so it differs
  by lightness even where hue is lost.
- « à venir » (an indicator of a later stage than the territory's) is a neutral grey, never red
  nor orange: it is a readiness signal, not a failure.
- « sans seuil » (a neutral indicator, without thresholds) is a dusty mauve, no judgement.
- No value is white.

Simulated with Machado et al. (2009) at full severity, every pair of these fills stays at least
15 CIE76 ΔE apart (the closest: mauve / grey and sand / grey for tritanopes, grey / white);
each is in any case doubled by its icon, so colour is never the only carrier. All fills take
dark text (L* ≥ 55). ``tests/dashboard/test_status.py`` checks the distances.

The blue and orange are not the stage colours (Okabe–Ito, ``dashboard.theme``), so a status
cell is not read as a stage.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from data import fr
from indicators.bands import DISCUSS, STATUS_LABELS, STRENGTH, UNRATED, UPCOMING, WATCH

TEXT_COLOUR = "#1F2430"
MUTED_TEXT_COLOUR = "#5F6673"
UPCOMING_LINE_COLOUR = "#9A9A9A"


@dataclass(frozen=True)
class StatusStyle:
    """How one status reads: heatmap code, fill colour, icon and French label."""

    code: int
    colour: str
    icon: str
    label: str

    @property
    def badge(self) -> str:
        """« ✓ force »: the icon doubles the colour."""
        return f"{self.icon} {self.label}"


NO_VALUE = StatusStyle(0, "#FFFFFF", "–", "pas de valeur")
STATUS_STYLES: dict[str, StatusStyle] = {
    UPCOMING: StatusStyle(1, "#D0D0D0", "…", STATUS_LABELS[UPCOMING]),
    UNRATED: StatusStyle(2, "#C4A8C8", "○", STATUS_LABELS[UNRATED]),
    WATCH: StatusStyle(3, "#DB7D3E", "!", STATUS_LABELS[WATCH]),
    DISCUSS: StatusStyle(4, "#F5E3A0", "◐", STATUS_LABELS[DISCUSS]),
    STRENGTH: StatusStyle(5, "#5B8DC9", "✓", STATUS_LABELS[STRENGTH]),
}
# Every style by heatmap code, from 0 (no value) up.
STYLES_BY_CODE: tuple[StatusStyle, ...] = tuple(
    sorted([NO_VALUE, *STATUS_STYLES.values()], key=lambda style: style.code)
)


def status_style(status: str | None) -> StatusStyle:
    """The style of a stored status (``strength``, ``discuss``…); None or unknown → no value."""
    if status is None or (isinstance(status, float) and math.isnan(status)):
        return NO_VALUE
    return STATUS_STYLES.get(str(status), NO_VALUE)


# A value withheld from a reader because it rests on fewer than five people.
WITHHELD_BADGE = "⊘ non communiqué"
# The indicator cards of a territory, grouped by status: what needs attention first.
CARD_GROUPS: tuple[tuple[str | None, str], ...] = (
    (WATCH, "! Points de vigilance"),
    (DISCUSS, "◐ À discuter"),
    (STRENGTH, "✓ Forces"),
    (UNRATED, "○ Sans seuil"),
    (None, "Sans valeur ou non communiqué"),
)


def card_groups(statuses: Mapping[str, str | None]) -> list[tuple[str | None, str, list[str]]]:
    """The indicators of ``statuses`` (indicator_id → stored status, None when there is no
    value or it is withheld, in the order to show them within a group) as (status, French
    heading with its count, indicator ids) in ``CARD_GROUPS`` order, empty groups left out.
    An « à venir » indicator is not judged: it belongs to no group."""
    judged = {s for s, _ in CARD_GROUPS if s is not None}
    # Anything else but « à venir » (no value, withheld, an unknown status) goes to the last.
    grouped = {i: s if s in judged else None for i, s in statuses.items() if s != UPCOMING}
    groups = []
    for status, heading in CARD_GROUPS:
        ids = [i for i, s in grouped.items() if s == status]
        if ids:
            groups.append((status, f"{heading} ({len(ids)})", ids))
    return groups


def status_badge(status: str | None) -> str:
    """« ✓ force », « … à venir », « – pas de valeur »."""
    return status_style(status).badge


def discrete_colorscale() -> list[list[float | str]]:
    """A plotly colorscale giving each integer code its own flat colour, for
    ``zmin = -0.5`` and ``zmax = len(STYLES_BY_CODE) - 0.5``."""
    count = len(STYLES_BY_CODE)
    scale: list[list[float | str]] = []
    for index, style in enumerate(STYLES_BY_CODE):
        scale.append([index / count, style.colour])
        scale.append([(index + 1) / count, style.colour])
    return scale


def updated_note(moment: dt.datetime | None) -> str:
    """How fresh the computed figures of a page are: « Indicateurs à jour au 02/12/2026 à
    08:14. » (Paris time), or that they are not computed yet."""
    if moment is None:
        return "Indicateurs pas encore calculés."
    return f"Indicateurs à jour au {fr.date_time(moment)}."


def change_arrow(current: float | None, before: float | None) -> str:
    """« ▲ », « ▼ » or « = » before a change, the direction of the value (not a judgement:
    the status says whether it is good); nothing when either value is missing."""
    if fr.is_missing(current) or fr.is_missing(before):
        return ""
    now, then = float(current), float(before)  # type: ignore[arg-type]  # not missing
    return "▲ " if now > then else "▼ " if now < then else "= "
