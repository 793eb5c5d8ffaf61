"""AppTest of the programme scope: a lead of Faire ensemble reaching by its address for a
territory of TEC, and a funder of two programmes for one of the third, are shown their own."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from data.services.sign_in import SignedInUser
from tests.dashboard.conftest import signed_in

FE_LEAD = SignedInUser(0, "pilotage.fonda@tec-demo.fr", "Julien", "lead", None)
TWO_PROGRAMME_FUNDER = SignedInUser(0, "financeur.collectif@tec-demo.fr", "F", "funder", None)


@pytest.mark.parametrize(
    ("user", "foreign", "offered", "title"),
    [
        # config/programmes/faire-ensemble.yaml: Morlaix then Mulhouse (same start, by id).
        (FE_LEAD, "roya", ["Pays de Morlaix", "Mulhouse"], "Pays de Morlaix"),
        # config/programmes/tec.yaml and faire-ensemble.yaml in start order (then by id), each
        # with its programme's short name; none of the catalyseurs'.
        (
            TWO_PROGRAMME_FUNDER,
            "catalyseur-01",
            [
                "Vallée de la Roya (TEC)",  # December 2023
                "Entre-deux-Mers (TEC)",  # March 2024
                "Secteur de Forbach (TEC)",  # June 2024
                "Quartier prioritaire de Nantes (TEC)",  # June 2024
                "Territoire en Auvergne-Rhône-Alpes (à nommer) (TEC)",  # January 2025: aura
                "Pays de Morlaix (Faire ensemble)",  # January 2025: morlaix
                "Mulhouse (Faire ensemble)",  # January 2025: mulhouse
                "Territoire en Haute-Garonne (à nommer) (TEC)",  # April 2025
            ],
            "Vallée de la Roya",
        ),
    ],
    ids=["lead-of-faire-ensemble", "funder-of-two"],
)
def test_a_deep_link_to_another_programme_s_territory_opens_one_of_the_user_s(
    app: AppTest, user: SignedInUser, foreign: str, offered: list[str], title: str
) -> None:
    signed_in(app, user).run()
    app.query_params["territoire"] = foreign
    app.switch_page("views/territory.py").run()
    assert not app.exception, app.exception
    picker = next(s for s in app.sidebar.selectbox if s.label == "Territoire")
    assert picker.value != foreign
    assert app.query_params["territoire"] == picker.value
    assert picker.options == offered
    assert app.title[0].value == title


def test_the_lead_of_faire_ensemble_may_change_the_accounts_of_its_programme_only(
    app: AppTest,
) -> None:
    signed_in(app, FE_LEAD).run()
    app.switch_page("views/admin.py").run()
    assert not app.exception, app.exception
    # data/demo/accounts.py: listed, the funder of TEC and Faire ensemble is not its to change.
    listed = set(app.dataframe[0].value["E-mail"])
    assert "financeur.collectif@tec-demo.fr" in listed
    assert set(app.selectbox(key="admin_pick").options) == {
        "binome.morlaix@tec-demo.fr",
        "binome.mulhouse@tec-demo.fr",
        "pilotage.fonda@tec-demo.fr",
    }
