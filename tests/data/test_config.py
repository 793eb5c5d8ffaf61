"""The YAML configuration is validated at load; errors name the file and the key, in French."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from data.config import (
    _PYDANTIC_FR,
    DEFAULT_CONFIG_DIR,
    ConfigError,
    Factor,
    Programme,
    SurveyFile,
    Territory,
    load_config,
    load_yaml,
)
from data.importer.settings import CheckSetting, Limits, QualityFile
from indicators.catalogue import Bands, IndicatorDef
from tests.conftest import edit


def test_shipped_configuration_has_three_programmes_tec_first() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    # TEC first, then the others from the oldest start: Faire ensemble (January 2023), then the
    # catalyseurs (September 2026).
    assert [p.id for p in config.programmes] == ["tec", "faire-ensemble", "catalyseurs"]
    assert [t.id for t in config.programme("tec").territories] == [
        "roya",
        "entre-deux-mers",
        "forbach",
        "nantes-qpv",
        "aura",
        "haute-garonne",
    ]
    assert [t.id for t in config.programme("faire-ensemble").territories] == [
        "morlaix",
        "mulhouse",
    ]
    assert len(config.programme("catalyseurs").territories) == 10  # seed 003: ten territories
    assert len(config.territories) == 6 + 2 + 10
    assert [s.id for s in config.reference_model.stages] == [
        "emergence",
        "structuration",
        "consolidation",
        "coalition",
    ]
    # 7 factors × 3 items (SURVEY.md).
    assert len(config.survey.likert_items) == 21
    assert config.reference_model.rank("consolidation") == 3
    assert config.programme_of("mulhouse").id == "faire-ensemble"
    assert config.stage_model_of("roya").id == "default"


def test_faire_ensemble_phases_are_judged_like_the_reference_stages() -> None:
    config = load_config(DEFAULT_CONFIG_DIR)
    model = config.stage_model_of("morlaix")
    # Seed 004: impulsion, structuration, consolidation, capitalisation et transmission.
    assert [(s.id, model.reference_stage(s.id)) for s in model.stages] == [
        ("impulsion", "emergence"),
        ("structuration", "structuration"),
        ("consolidation", "consolidation"),
        ("capitalisation", "coalition"),
    ]
    reference = config.reference_model
    assert model.from_reference("coalition", reference).id == "capitalisation"
    # A stage of any model, in another model's terms.
    assert config.in_model(model, "emergence") == "impulsion"
    assert config.in_model(reference, "capitalisation") == "coalition"
    assert config.in_model(reference, None) is None
    assert config.display_model(["morlaix", "mulhouse"]).id == "faire-ensemble"
    assert config.display_model(["morlaix", "roya"]).id == "default"
    assert model.reference_milestones()["fe_governance"] == "governance"


def _tec(config: Path) -> Path:
    return config / "programmes" / "tec.yaml"


def test_short_names_and_labels_fit_where_space_is_tight() -> None:
    # Heatmap headers, cards and phone tables use them: territories' short names at most 20
    # characters, indicators' short labels at most 24, each one given and none shared.
    config = load_config(DEFAULT_CONFIG_DIR)
    shorts = [t.short_name for t in config.territories]
    assert shorts == [
        "Roya",
        "Entre-deux-Mers",
        "Forbach",
        "Nantes QPV",
        "Auvergne-Rhône-Alpes",  # 20 characters, the longest allowed
        "Haute-Garonne",
        "Morlaix",
        "Mulhouse",
        *(f"Catalyseur {i}" for i in range(1, 11)),
    ]
    assert max(len(s) for s in shorts) == 20 and len(set(shorts)) == len(shorts)
    labels = [d.short_label for d in config.load_catalogue().indicators.values()]
    assert len(labels) == 32 and None not in labels
    assert max(len(s) for s in labels) <= 24
    assert len(set(labels)) == 32
    assert config.load_catalogue()["centralization_change"].short == "Évolution centralisation"


def test_a_short_name_or_label_too_long_is_refused(config_copy: Path) -> None:
    # « Auvergne-Rhône-Alpes » is 20 characters; one more is refused.
    edit(
        _tec(config_copy),
        "short_name: Auvergne-Rhône-Alpes",
        "short_name: Auvergne-Rhône-Alpes!",
    )
    with pytest.raises(ConfigError, match=r"territories\.4\.short_name.*au plus 20"):
        load_config(config_copy)


def test_bad_date_names_file_and_key(config_copy: Path) -> None:
    edit(_tec(config_copy), "start_date: 2024-06-01", "start_date: juin 2024")
    with pytest.raises(ConfigError) as error:
        load_config(config_copy)
    message = str(error.value)
    assert "programmes/tec.yaml" in message
    # forbach is the third territory (index 2).
    assert "« territories.2.start_date »" in message
    assert "date invalide" in message


def test_start_date_must_be_a_first_of_month(config_copy: Path) -> None:
    edit(_tec(config_copy), "start_date: 2024-03-01", "start_date: 2024-03-15")
    with pytest.raises(ConfigError, match=r"territories\.1\.start_date.*premier jour"):
        load_config(config_copy)


def test_unknown_key_is_a_typo(config_copy: Path) -> None:
    edit(_tec(config_copy), "    region: Grand Est", "    regoin: Grand Est")
    with pytest.raises(ConfigError) as error:
        load_config(config_copy)
    assert "« territories.2.regoin » : clé inconnue" in str(error.value)
    assert "« territories.2.region » : valeur obligatoire absente" in str(error.value)


def test_duplicate_territory_id(config_copy: Path) -> None:
    edit(_tec(config_copy), "id: forbach", "id: roya")
    with pytest.raises(ConfigError, match="identifiant en double dans territories : « roya »"):
        load_config(config_copy)


def test_a_territory_id_is_unique_across_programmes(config_copy: Path) -> None:
    edit(config_copy / "programmes" / "faire-ensemble.yaml", "id: morlaix", "id: roya")
    with pytest.raises(ConfigError) as error:
        load_config(config_copy)
    assert "faire-ensemble.yaml" in str(error.value)
    assert "« roya » : cet identifiant est déjà celui d'un territoire du programme « tec »" in str(
        error.value
    )


def test_a_programme_file_is_named_after_its_id(config_copy: Path) -> None:
    (config_copy / "programmes" / "tec.yaml").rename(config_copy / "programmes" / "tek.yaml")
    with pytest.raises(ConfigError, match=r"« tec » diffère du nom du fichier ; nommez"):
        load_config(config_copy)


def test_no_programme_file(config_copy: Path) -> None:
    for path in (config_copy / "programmes").glob("*.yaml"):
        path.unlink()
    with pytest.raises(ConfigError, match="Aucun programme configuré"):
        load_config(config_copy)


def test_unknown_stage_model(config_copy: Path) -> None:
    edit(_tec(config_copy), "stage_model: default", "stage_model: rameau")
    with pytest.raises(ConfigError, match=r"programme\.stage_model.*« rameau » inconnu"):
        load_config(config_copy)


def test_judged_as_must_name_a_reference_stage(config_copy: Path) -> None:
    edit(config_copy / "stages.yaml", "judged_as: coalition", "judged_as: pérennité")
    with pytest.raises(ConfigError, match=r"judged_as"):
        load_config(config_copy)
    edit(config_copy / "stages.yaml", "judged_as: pérennité", "judged_as: consolidation")
    # Two phases judged like consolidation: the order of the reference model is lost.
    with pytest.raises(ConfigError, match="étapes de référence différentes, dans l'ordre"):
        load_config(config_copy)


def test_counts_as_must_name_a_reference_milestone(config_copy: Path) -> None:
    edit(config_copy / "stages.yaml", "counts_as: governance", "counts_as: gouvernance")
    with pytest.raises(ConfigError, match=r"counts_as nomme des jalons inconnus.*gouvernance"):
        load_config(config_copy)


def test_hidden_indicators_must_be_in_the_catalogue(config_copy: Path) -> None:
    edit(
        config_copy / "programmes" / "faire-ensemble.yaml",
        "hidden_indicators: [portrait_progress]",
        "hidden_indicators: [portrait]",
    )
    with pytest.raises(ConfigError, match=r"hidden_indicators.*« portrait »"):
        load_config(config_copy).load_catalogue()


def test_broken_yaml_gives_line(config_copy: Path) -> None:
    edit(config_copy / "stages.yaml", "  - id: default", "  - id: [default")
    with pytest.raises(ConfigError, match=r"stages\.yaml \(ligne \d+, colonne \d+\)"):
        load_config(config_copy)


def test_missing_file(config_copy: Path) -> None:
    (config_copy / "survey.yaml").unlink()
    with pytest.raises(ConfigError, match=r"introuvable.*survey\.yaml"):
        load_config(config_copy)


def test_collaboration_levels_must_be_0_to_5(config_copy: Path) -> None:
    edit(config_copy / "survey.yaml", "  5: Collaboration\n", "")
    with pytest.raises(ConfigError, match="niveaux de collaboration"):
        load_config(config_copy)


# One case per pydantic error type the configuration models can raise: the model, a YAML text,
# the French line expected (written by hand from the field's declaration).
PROGRAMME = (
    "id: tec\nname: TEC\nshort_name: TEC\noperators: [FdF]\nstage_model: default\n"
    "survey_interval_months: 6\n"
)
TERRITORY = "id: t\nname: T\nregion: R\nbinome: {foundation_officer: A, kiif_member: B}\n"
INDICATOR = "definition: D\nstage: s\nfamily: network\nunit: count\ndirection: neutral\n"
SURVEY = "resource_types: []\nfactors: []\ntrust_items: {}\n"
FRENCH_MESSAGES = [
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: 0",
        "« duration_months » : doit être supérieur à 0",
        id="greater_than",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: 121",
        "« duration_months » : doit être inférieur ou égal à 120",
        id="less_than_equal",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: trois",
        "« duration_months » : nombre entier attendu",
        id="int_parsing",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: 2.5",
        "« duration_months » : nombre entier attendu, sans décimale",
        id="int_from_float",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: [36]",
        "« duration_months » : nombre entier attendu",
        id="int_type",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: 36\nbinomes_see_other_territories: peut-être",
        "« binomes_see_other_territories » : true ou false attendu",
        id="bool_parsing",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: 36\nbinomes_see_other_territories: [oui]",
        "« binomes_see_other_territories » : true ou false attendu",
        id="bool_type",
    ),
    pytest.param(
        Programme,
        PROGRAMME.replace("\nname: TEC", "\nname: [TEC]") + "duration_months: 36",
        "« name » : texte attendu",
        id="string_type",
    ),
    pytest.param(
        Programme,
        PROGRAMME.replace("\nname: TEC", "\nname: !!binary /w==") + "duration_months: 36",
        "« name » : texte attendu (ce n'est pas de l'UTF-8)",
        id="string_unicode",
    ),
    pytest.param(
        Programme,
        PROGRAMME.replace("id: tec", "id: TEC") + "duration_months: 36",
        "« id » : identifiant invalide (minuscules, chiffres, « - » ou « _ »)",
        id="string_pattern_mismatch",
    ),
    pytest.param(
        Programme,
        PROGRAMME.replace("[FdF]", "FdF") + "duration_months: 36",
        "« operators » : liste attendue",
        id="tuple_type",
    ),
    pytest.param(
        Programme,
        PROGRAMME + "duration_months: '" + "9" * 5000 + "'",
        "« duration_months » : nombre entier trop grand",
        id="int_parsing_size",
    ),
    pytest.param(
        Territory,
        TERRITORY + "start_date: juin 2024",
        "« start_date » : date invalide, attendu AAAA-MM-JJ",
        id="date_from_datetime_parsing",
    ),
    pytest.param(
        Territory,
        TERRITORY + "start_date: 2024-06-01 10:00:00",
        "« start_date » : date sans heure attendue (AAAA-MM-JJ)",
        id="date_from_datetime_inexact",
    ),
    pytest.param(
        Territory,
        TERRITORY + "start_date: [2024]",
        "« start_date » : date invalide, attendu AAAA-MM-JJ",
        id="date_type",
    ),
    pytest.param(
        Territory,
        "id: t\nname: T\nregion: R\nstart_date: 2024-06-01\nbinome: Anne et Paul",
        "« binome » : dictionnaire attendu (clé : valeur)",
        id="model_type",
    ),
    pytest.param(
        Territory, "- t", "« (racine) » : dictionnaire attendu (clé : valeur)", id="model_type-root"
    ),
    pytest.param(
        Factor,
        "id: f\nlabel: F\nitems: {f_1: Un}",
        "« items » : trop peu d'éléments (au moins 2)",
        id="too_short",
    ),
    pytest.param(
        Factor,
        "id: f\nlabel: F\nitems: [f_1, f_2]",
        "« items » : dictionnaire attendu (clé : valeur)",
        id="dict_type",
    ),
    pytest.param(
        Limits,
        "max_file_mb: 0\nmax_unzipped_mb: 1",
        "« max_file_mb » : doit être supérieur à 0",
        id="greater_than-float",
    ),
    pytest.param(
        Limits,
        "max_file_mb: beaucoup\nmax_unzipped_mb: 1",
        "« max_file_mb » : nombre attendu",
        id="float_parsing",
    ),
    pytest.param(
        Limits,
        "max_file_mb: [1]\nmax_unzipped_mb: 1",
        "« max_file_mb » : nombre attendu",
        id="float_type",
    ),
    pytest.param(
        Limits,
        "max_file_mb: 1\nmax_unzipped_mb: 1\nheader_search_rows: 0",
        "« header_search_rows » : doit être supérieur ou égal à 1",
        id="greater_than_equal",
    ),
    pytest.param(
        CheckSetting,
        "severity: error\nmax_share: 1.5",
        "« max_share » : doit être inférieur ou égal à 1",
        id="less_than_equal-float",
    ),
    pytest.param(
        CheckSetting,
        "severity: grave",
        "« severity » : valeur non permise (attendu : 'error' ou 'warning')",
        id="literal_error",
    ),
    pytest.param(
        QualityFile,
        "limits: {max_file_mb: 1, max_unzipped_mb: 1}\nsuites: {autres: {}}",
        "« suites.autres » : nom de clé invalide : "
        "valeur non permise (attendu : 'actors' ou 'survey')",
        id="literal_error-key",
    ),
    pytest.param(
        IndicatorDef,
        INDICATOR + "label: ''\nmin_n: 0",
        "« label » : texte trop court (au moins 1 caractère(s))",
        id="string_too_short",
    ),
    pytest.param(
        IndicatorDef,
        INDICATOR + "label: L\nshort_label: Vingt-cinq caractères, un\nmin_n: 0",
        "« short_label » : texte trop long (au plus 24 caractère(s))",
        id="string_too_long",
    ),
    pytest.param(
        IndicatorDef,
        INDICATOR + "label: L\nmin_n: -1",
        "« min_n » : doit être supérieur ou égal à 0",
        id="greater_than_equal-int",
    ),
    pytest.param(
        Bands,
        "strength: 0.5\ndiscuss: 0.25\nsource: x",
        "« source » : clé inconnue (faute de frappe ?)",
        id="extra_forbidden",
    ),
    pytest.param(Bands, "strength: 0.5", "« discuss » : valeur obligatoire absente", id="missing"),
    pytest.param(
        SurveyFile,
        SURVEY + "sectors: [{id: a, label: A}]\ncollaboration_levels: {zero: a}",
        "« collaboration_levels.zero » : nom de clé invalide : nombre entier attendu",
        id="int_parsing-key",
    ),
    pytest.param(
        SurveyFile,
        SURVEY
        + "sectors: [{id: a, label: A}, {id: a, label: B}]\n"
        + "collaboration_levels: {0: a, 1: b, 2: c, 3: d, 4: e, 5: f}",
        "« (racine) » : identifiant en double dans sectors : « a »",
        id="value_error",
    ),
]


@pytest.mark.parametrize(("model", "text", "line"), FRENCH_MESSAGES)
def test_every_validation_error_is_said_in_french(
    tmp_path: Path, model: type[BaseModel], text: str, line: str
) -> None:
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_yaml(model, path)
    lines = str(error.value).splitlines()
    assert lines[0] == f"Configuration invalide dans {path} :"
    assert lines[1:] == [f"  clé {line}", "Corrigez ce fichier puis relancez la commande."]


def test_every_error_type_of_the_cases_has_its_french_text() -> None:
    # Each case above gives one error, whose type is the case's id up to « - »: all are in the
    # French table, so none falls back to the generic text.
    kinds = {case.id.split("-")[0] for case in FRENCH_MESSAGES}
    assert kinds <= set(_PYDANTIC_FR)
    assert "valeur invalide" not in "".join(case.values[2] for case in FRENCH_MESSAGES)


def test_a_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "file.yaml"
    path.write_bytes("name: Coopérascope".encode("latin-1"))
    with pytest.raises(ConfigError, match=r"file\.yaml : YAML illisible — .*pas encodé en UTF-8"):
        load_yaml(Programme, path)


def test_the_validation_context_reaches_the_validators(tmp_path: Path) -> None:
    path = tmp_path / "indicator.yaml"
    path.write_text(
        "label: L\ndefinition: D\nstage: maturite\nfamily: network\nunit: count\n"
        "direction: neutral\nmin_n: 0",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="« stage » : étape « maturite » inconnue"):
        load_yaml(IndicatorDef, path, context={"stages": ("emergence", "coalition")})
    # Without stages to check against, any stage id is accepted.
    assert load_yaml(IndicatorDef, path).stage == "maturite"


def test_a_value_yaml_cannot_build_is_located(tmp_path: Path) -> None:
    path = tmp_path / "territory.yaml"
    # « start_date » is on the 4th line; its value starts at the 13th column.
    path.write_text("id: t\nname: T\nregion: R\nstart_date: 2024-02-30\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_yaml(Territory, path)
    assert str(error.value).startswith(
        f"{path} (ligne 4, colonne 13) : YAML illisible — "
        "valeur impossible à lire « 2024-02-30 » (day is out of range for month)"
    )
