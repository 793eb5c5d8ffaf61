"""Status colours, icons and labels: apart for colour-blind readers, never colour alone."""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
import pytest

from dashboard.status import STYLES_BY_CODE, card_groups, status_badge, updated_note

# Machado, Oliveira & Fernandes (2009) at full severity, applied to linear RGB.
CVD = {
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _lab(colour: str, matrix: np.ndarray) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(matrix @ linear, 0, 1)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_status_colours_stay_apart_for_colour_blind_readers(vision: str) -> None:
    matrix = CVD.get(vision, np.eye(3))
    fills = {style.label: _lab(style.colour, matrix) for style in STYLES_BY_CODE}
    for (a, lab_a), (b, lab_b) in itertools.combinations(fills.items(), 2):
        distance = float(np.linalg.norm(lab_a - lab_b))
        assert distance >= 15, f"{a} / {b}: ΔE {distance:.1f} for {vision}"


def test_every_status_has_its_own_icon_and_label() -> None:
    icons = [style.icon for style in STYLES_BY_CODE]
    assert len(set(icons)) == len(icons)
    assert [style.code for style in STYLES_BY_CODE] == list(range(len(STYLES_BY_CODE)))
    assert status_badge("strength") == "✓ force"
    assert status_badge("upcoming") == "… à venir"
    assert status_badge(None) == "– pas de valeur"


def test_the_freshness_note_reads_the_computation_time_in_paris() -> None:
    # 07:14 UTC on 2 December is 08:14 in Paris (UTC+1 in winter); SQLite's naive times are UTC.
    assert (
        updated_note(dt.datetime(2026, 12, 2, 7, 14)) == "Indicateurs à jour au 02/12/2026 à 08:14."
    )
    summer = dt.datetime(2026, 7, 1, 22, 30, tzinfo=dt.UTC)  # 00:30 the next day, UTC+2
    assert updated_note(summer) == "Indicateurs à jour au 02/07/2026 à 00:30."
    assert updated_note(None) == "Indicateurs pas encore calculés."


def test_cards_are_grouped_by_status_points_de_vigilance_first() -> None:
    statuses = {
        "a": "strength",
        "b": "watch",
        "c": None,  # no value, or withheld
        "d": "discuss",
        "e": "watch",
        "f": "upcoming",  # not judged: in no group
        "g": "unrated",
    }
    assert card_groups(statuses) == [
        ("watch", "! Points de vigilance (2)", ["b", "e"]),
        ("discuss", "◐ À discuter (1)", ["d"]),
        ("strength", "✓ Forces (1)", ["a"]),
        ("unrated", "○ Sans seuil (1)", ["g"]),
        (None, "Sans valeur ou non communiqué (1)", ["c"]),
    ]
    # Empty groups are left out.
    assert card_groups({"a": "strength"}) == [("strength", "✓ Forces (1)", ["a"])]
