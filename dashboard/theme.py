"""One visual language everywhere: stage colours (Okabe–Ito, colour-blind safe), always doubled
by a numbered label, and plotly defaults in French."""

from __future__ import annotations

import pandas as pd

from data.config import StageModel, get_config

# Okabe & Ito (2008) palette, ordered; distinguishable with the common colour-vision deficiencies.
STAGE_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7", "#D55E00")
NEUTRAL = "#8A94A6"
# Eight categorical colours for territories (Okabe–Ito plus black), paired with marker symbols.
SERIES_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
SERIES_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "hexagon")


def stage_colour(model: StageModel, stage_id: str | None) -> str:
    if stage_id is None:
        return NEUTRAL
    return STAGE_COLOURS[(model.rank(stage_id) - 1) % len(STAGE_COLOURS)]


def stage_tint(model: StageModel, stage_id: str | None, alpha: float = 0.28) -> str:
    """A light tint of the stage colour, for a table cell behind dark text."""
    colour = stage_colour(model, stage_id).lstrip("#")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red}, {green}, {blue}, {alpha})"


def stage_label(model: StageModel, stage_id: str | None) -> str:
    """``2 · Structuration``: the number carries the order when colour cannot."""
    if stage_id is None:
        return "non déclarée"
    return f"{model.rank(stage_id)} · {model.stage(stage_id).short_label}"


STAGE_COLUMNS = ("declared_stage", "inferred_stage", "judged_stage")


def shown_in(model: StageModel, stages: pd.DataFrame) -> pd.DataFrame:
    """``stages`` (stored in the reference model: ``reads.territory_stages``) with their stage
    columns in ``model``'s terms, to show (``AppConfig.in_model``)."""
    config = get_config()
    return stages.assign(
        **{
            column: pd.Series(
                [config.in_model(model, s) if isinstance(s, str) else None for s in stages[column]],
                index=stages.index,
                dtype=object,
            )
            for column in STAGE_COLUMNS
            if column in stages
        }
    )


PLOTLY_LAYOUT = {
    "separators": ", ",  # decimal comma, thin space for thousands
    "font": {"family": "DejaVu Sans, Arial, sans-serif", "size": 13},
    "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
    "legend": {"orientation": "h", "y": -0.18},
    "hoverlabel": {"namelength": -1},
}
