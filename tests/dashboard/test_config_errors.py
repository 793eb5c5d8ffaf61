"""The pages show the French message of an invalid indicator catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.conftest import edit
from tests.dashboard.conftest import LEAD, signed_in


def test_an_invalid_catalogue_is_explained_in_french(
    app: AppTest, config_copy: Path, use_config: Callable[[Path], None]
) -> None:
    catalogue = config_copy / "indicators.yaml"
    edit(catalogue, "unit: ratio", "unit: percent")
    use_config(config_copy)
    signed_in(app, LEAD).run()
    assert len(app.exception) == 1
    message = app.exception[0].message
    assert message.startswith(f"Configuration invalide dans {catalogue} :")
    assert ".unit » : valeur non permise (attendu : 'count', 'ratio'" in message
    assert message.endswith("Corrigez ce fichier puis relancez la commande.")
