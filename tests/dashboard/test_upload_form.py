"""The Import page offers the territory's XLSForm beside the blank templates, and its uploader
takes the workbooks the import reads (.ods and .xls besides .csv and .xlsx)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import binome, signed_in


def test_the_import_page_offers_the_form_and_takes_ods_and_xls(app: AppTest) -> None:
    signed_in(app, binome("roya")).run()
    app.switch_page("views/upload.py").run()

    assert not app.exception
    labels = [b.proto.label for b in app.get("download_button")]
    assert labels[-1] == "Formulaire KoboToolbox / ODK (XLSForm)"
    assert labels[:4] == [
        "Liste des acteurs (CSV)",
        "Liste des acteurs (XLSX)",
        "Enquête (CSV)",
        "Enquête (XLSX)",
    ]
    (uploader,) = app.get("file_uploader")
    assert {".ods", ".xls", ".xlsx", ".csv"} <= set(uploader.proto.type)
