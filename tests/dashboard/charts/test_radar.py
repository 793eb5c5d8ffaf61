"""The factor radar on hand-built scores."""

from __future__ import annotations

import pandas as pd

from dashboard import charts


def test_radar_one_closed_trace_per_year_with_wilder_rings() -> None:
    labels = {"confiance": "Confiance", "vision": "Vision partagée", "ressources": "Ressources"}
    scores = pd.DataFrame(
        [
            (2025, "vision", 3.2, 10),
            (2024, "confiance", 2.5, 12),
            (2025, "ressources", 2.8, 3),
            (2024, "vision", 2.9, 12),
            (2025, "confiance", 4.1, 10),
            (2024, "ressources", 2.0, 11),
            (2025, "autre", 1.0, 10),  # not a listed factor: ignored
        ],
        columns=["year", "factor_id", "value", "n"],
    )
    figure = charts.factor_radar(scores, labels)
    assert len(figure.data) == 4
    rings, years = figure.data[:2], figure.data[2:]
    assert [r.r[0] for r in rings] == [4.0, 3.0]
    assert "force" in rings[0].name and "point de vigilance" in rings[1].name
    assert [t.name for t in years] == ["2024 (n = 11 à 12)", "2025 (n = 3 à 10)"]
    assert list(years[0].r) == [2.5, 2.9, 2.0, 2.5]
    assert list(years[1].r) == [4.1, 3.2, 2.8, 4.1]
    assert years[0].theta[0] == years[0].theta[-1]
    # 2025's « Ressources » rests on 3 respondents: hollow marker.
    assert years[1].marker.symbol[2].endswith("-open")
    assert not years[1].marker.symbol[0].endswith("-open")
