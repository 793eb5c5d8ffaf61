"""Shared inputs of the chart tests: a four-stage model, a small catalogue, two territories,
sectors, and the frames several chart families draw."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from data.config import Milestone, Stage, StageModel
from indicators.catalogue import Bands, Catalogue, IndicatorDef

NBSP = "\u00a0"
STAGES = ("emergence", "structuration", "consolidation", "coalition")
LABELS = ("Émergence", "Structuration", "Consolidation", "Coalition")
MODEL = StageModel(
    id="test",
    name="Modèle de test",
    stages=tuple(
        Stage(
            id=stage,
            label=label,
            short_label=label,
            description="…",
            evaluation_style="…",
            milestones=(Milestone(id=f"{stage}_m", label="jalon"),),
        )
        for stage, label in zip(STAGES, LABELS, strict=True)
    ),
)


def _indicator(label: str, stage: str, unit: str, family: str = "network") -> IndicatorDef:
    return IndicatorDef(
        label=label,
        definition="définition",
        stage=stage,
        family=family,
        unit=unit,
        direction="higher_better",
        min_n=5,
        bands={"default": Bands(strength=0.5, discuss=0.3)},
    )


# Catalogue order deliberately not stage order: columns must follow the stage, then this order.
CATALOGUE = Catalogue(
    indicators={
        "c1": _indicator("Confiance entre partenaires", "consolidation", "score_1_5"),
        "e1": _indicator("Interconnaissance", "emergence", "ratio"),
        "s1": _indicator("Centralisation", "structuration", "index"),
        "e2": _indicator("Acteurs mobilisés", "emergence", "count"),
    },
    stages=STAGES,
    criteria={},
    path=Path("test-indicators.yaml"),
    version="1-test",
)
NAMES = {"alpha": "Territoire Alpha", "beta": "Territoire Bêta"}

SECTORS = {
    "association": "Association",
    "entreprise": "Entreprise",
    "collectivite": "Collectivité / élu",
    "habitant": "Habitant",
}


def annotations(figure: go.Figure) -> list[str]:
    """The texts of a figure's annotations (panel titles, « Pas encore de données »…)."""
    return [a.text for a in figure.layout.annotations]


def ms(days: int) -> float:
    """``days`` in milliseconds: a bar's length on a plotly date axis."""
    return days * 24 * 3600 * 1000.0


def monthly() -> pd.DataFrame:
    """Three months of e1 (a ratio) for alpha and beta, and of c1 (a score, « à venir » for
    alpha's first two months); alpha's first e1 value rests on 3 answers."""
    rows = [
        ("alpha", "2025-01-01", "e1", 0.2, 3, True, "discuss"),
        ("alpha", "2025-02-01", "e1", 0.4, 9, False, "discuss"),
        ("alpha", "2025-01-01", "c1", 2.5, 9, False, "upcoming"),
        ("alpha", "2025-02-01", "c1", 3.0, 9, False, "upcoming"),
        ("alpha", "2025-03-01", "c1", 3.5, 9, False, "discuss"),
        ("beta", "2025-01-01", "e1", 0.5, 9, False, "strength"),
        ("beta", "2025-02-01", "e1", 0.6, 9, False, "strength"),
    ]
    frame = pd.DataFrame(
        rows, columns=["territory_id", "month", "indicator_id", "value", "n", "low_n", "status"]
    )
    return frame.assign(month=[dt.date.fromisoformat(m) for m in frame["month"]])


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """A frame with these columns and no row."""
    return pd.DataFrame({c: [] for c in columns})
