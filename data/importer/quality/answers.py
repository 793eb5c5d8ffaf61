"""The survey suite, continued: the checks of the answers (statements, contributions, roster
ratings), then those of the wave as a whole, declared in the order a report lists them (after
those of :mod:`.survey`)."""

from __future__ import annotations

from data import fr
from data.domain.checks import plural, quoted
from data.domain.months import add_months
from data.importer.frames import TRUST_FAMILIES
from data.importer.quality.expectations import Failure, Probe, gxe
from data.importer.quality.registry import SURVEY, Text, expectation_check, python_check
from data.importer.quality.structure import cell_values
from data.importer.quality.survey import SurveyInput, respondent_probe

# -- answers -------------------------------------------------------------------------------


@expectation_check(
    "missing_share",
    SURVEY,
    "Aucun répondant ne laisse sans réponse plus de la part d'affirmations fixée (max_share).",
)
def missing_share(s: SurveyInput) -> list[Probe]:
    return [
        respondent_probe(
            s,
            gxe.ExpectColumnValuesToBeBetween(column="_missing_share", max_value=s.max_share),
            "respondent_id",
            "respondent_raw",
        )
    ]


@missing_share.message
def _missing_share_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'répondant a', 'répondants ont')} laissé plus de "
        f"{fr.percent(s.max_share)} des affirmations sans réponse.",
        "Leurs réponses sont importées. Vérifiez que le fichier est complet (colonnes "
        "ou lignes coupées) ; sinon, rien à faire.",
    )


@expectation_check("likert_range", SURVEY, "Les réponses aux affirmations vont de 1 à 5.")
def likert_range(s: SurveyInput) -> list[Probe]:
    return [
        Probe(
            "likert",
            gxe.ExpectColumnValuesToBeInSet(column="value", value_set=[1, 2, 3, 4, 5]),
            column_col="_column",
            raw_col="raw",
        )
    ]


@likert_range.message
def _likert_range_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'réponse')} aux affirmations hors de l'échelle 1 à 5 ou "
        f"illisible{'s' if f.count > 1 else ''} : {quoted(cell_values(f))}.",
        "Une réponse va de 1 (pas du tout d'accord) à 5 (tout à fait d'accord), en "
        "nombre entier ; laissez la cellule vide s'il n'y a pas de réponse.",
    )


@expectation_check(
    "contrib_values", SURVEY, "Les cases « ressources apportées » valent 0 ou 1 (oui, non…)."
)
def contrib_values(s: SurveyInput) -> list[Probe]:
    return [
        Probe(
            "contrib",
            gxe.ExpectColumnValuesToBeInSet(column="value", value_set=[0, 1]),
            column_col="_column",
            raw_col="raw",
        )
    ]


@contrib_values.message
def _contrib_values_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'case')} « ressources apportées » illisible"
        f"{'s' if f.count > 1 else ''} : {quoted(cell_values(f))}.",
        "Écrivez 1 (ou oui, x) si l'organisation apporte cette ressource, 0 (ou non, "
        "ou rien) sinon.",
    )


# -- roster ---------------------------------------------------------------------------------


def _roster_probe(expectation: object, raw: str, column: str = "level_col") -> Probe:
    return Probe("roster", expectation, column_col=column, raw_col=raw)


@expectation_check("level_range", SURVEY, "Les niveaux de collaboration vont de 0 à 5.")
def level_range(s: SurveyInput) -> list[Probe]:
    return [
        _roster_probe(
            gxe.ExpectColumnValuesToBeInSet(column="level", value_set=[0, 1, 2, 3, 4, 5]),
            "level_raw",
        )
    ]


@level_range.message
def _level_range_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'niveau', 'niveaux')} de collaboration hors de l'échelle "
        f"0 à 5 ou illisible{'s' if f.count > 1 else ''} : {quoted(cell_values(f))}.",
        "Niveaux : 0 aucune relation, 1 réseau, 2 coopération, 3 coordination, "
        "4 coalition, 5 collaboration ; cellule vide si la question n'a pas été posée.",
    )


@expectation_check("trust_range", SURVEY, "Les réponses de confiance vont de 1 à 4.")
def trust_range(s: SurveyInput) -> list[Probe]:
    return [
        _roster_probe(
            gxe.ExpectColumnValuesToBeInSet(column=family, value_set=[1, 2, 3, 4]),
            f"{family}_raw",
            f"{family}_col",
        )
        for family in TRUST_FAMILIES
    ]


@trust_range.message
def _trust_range_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'réponse')} de confiance hors de l'échelle 1 à 4 ou "
        f"illisible{'s' if f.count > 1 else ''} : {quoted(cell_values(f))}.",
        "La confiance va de 1 (pas du tout) à 4 (tout à fait) ; cellule vide si la "
        "question n'a pas été posée.",
    )


@expectation_check("self_rating", SURVEY, "Aucun répondant n'évalue sa propre organisation.")
def self_rating(s: SurveyInput) -> list[Probe]:
    return [
        _roster_probe(
            gxe.ExpectColumnValuesToBeInSet(column="_self", value_set=[False]), "level_raw"
        )
    ]


@self_rating.message
def _self_rating_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(len(set(f.rows)), 'répondant a', 'répondants ont')} évalué leur "
        "propre organisation : ces évaluations sont ignorées.",
        "Rien à faire si le formulaire pose la question pour toutes les organisations ; "
        "sinon, laissez vide la colonne de sa propre organisation.",
    )


@expectation_check(
    "unknown_rated_org", SURVEY, "Les organisations évaluées sont sur la liste des acteurs."
)
def unknown_rated_org(s: SurveyInput) -> list[Probe]:
    return [
        _roster_probe(
            gxe.ExpectColumnValuesToBeInSet(column="rated_known", value_set=[True]), "rated_org"
        )
    ]


@unknown_rated_org.message
def _unknown_rated_org_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'évaluation porte', 'évaluations portent')} sur des "
        f"organisations absentes de la liste des acteurs ({quoted(cell_values(f))}) : "
        "elles sont ignorées.",
        "Ajoutez ces organisations à la liste des acteurs (importez-la à nouveau), "
        "puis importez à nouveau ce fichier, ou corrigez l'identifiant dans l'en-tête "
        "de la colonne.",
    )


@expectation_check(
    "trust_needs_tie",
    SURVEY,
    "La confiance n'est donnée que pour un niveau de collaboration d'au moins 1.",
)
def trust_needs_tie(s: SurveyInput) -> list[Probe]:
    return [
        _roster_probe(
            gxe.ExpectColumnValuesToBeInSet(column="_trust_without_tie", value_set=[False]),
            "level_raw",
        )
    ]


@trust_needs_tie.message
def _trust_needs_tie_message(f: Failure, s: SurveyInput) -> Text:
    return (
        f"{plural(f.count, 'organisation évaluée', 'organisations évaluées')} en "
        "confiance alors que le niveau de collaboration est 0 ou vide : ces réponses de "
        "confiance sont ignorées.",
        "La confiance ne se demande que pour un niveau de collaboration d'au moins 1. "
        "Vérifiez le niveau indiqué (la cellule citée) ou videz les cellules de confiance.",
    )


# -- the file as a whole --------------------------------------------------------------------


@python_check(
    "incomplete_responses",
    SURVEY,
    "Les réponses jamais envoyées (sans date d'envoi) sont signalées et laissées de côté.",
)
def incomplete_responses(s: SurveyInput) -> Failure | None:
    rows = s.parsed.incomplete_rows
    return Failure(rows=list(rows)) if rows else None


@incomplete_responses.message
def _incomplete_responses_message(f: Failure, s: SurveyInput) -> Text:
    count = len(f.rows)
    return (
        f"{plural(count, 'réponse jamais envoyée', 'réponses jamais envoyées')} (sans "
        "date d'envoi) laissée" + ("s" if count > 1 else "") + " de côté.",
        "Ce sont des questionnaires commencés mais pas terminés. Rien à faire, sauf si "
        "vous voulez les compter : complétez alors leur date d'envoi.",
    )


@python_check(
    "respondents_removed",
    SURVEY,
    "Les répondants déjà importés dans la vague sont tous dans le fichier qui la remplace.",
)
def respondents_removed(s: SurveyInput) -> Failure | None:
    kept = set(s.respondents["respondent_id"].dropna())
    removed = sorted(s.ctx.stored_respondents - kept)
    return Failure(count=len(removed), values=list(removed)) if removed else None


@respondents_removed.message
def _respondents_removed_message(f: Failure, s: SurveyInput) -> Text:
    one = f.count == 1
    return (
        f"{plural(f.count, 'répondant déjà importé', 'répondants déjà importés')} "
        f"dans la vague {s.ctx.wave_number} {'est absent' if one else 'sont absents'} de ce "
        f"fichier : {quoted(f.values)}. La vague est remplacée par ce fichier : "
        f"{'ses' if one else 'leurs'} réponses sont retirées.",
        "Si ce fichier ne contient qu'une partie des réponses de la vague, importez "
        "plutôt l'export complet. Le fichier précédent reste archivé : l'importer à "
        "nouveau rétablit ses réponses.",
    )


# A wave comes about every six months: one ending less than this after the previous one is
# more likely that wave again (or a partial export) than a new one.
MIN_WAVE_GAP_MONTHS = 3


@python_check(
    "wave_spacing",
    SURVEY,
    "La vague se termine au moins trois mois après la vague précédente.",
)
def wave_spacing(s: SurveyInput) -> Failure | None:
    previous = s.ctx.previous
    if previous is None or s.last is None or s.last < previous.last:
        return None  # no previous wave, no dates, or out of order (the wave_order check)
    return None if s.last >= add_months(previous.last, MIN_WAVE_GAP_MONTHS) else Failure(count=1)


@wave_spacing.message
def _wave_spacing_message(f: Failure, s: SurveyInput) -> Text:
    previous = s.ctx.previous
    assert previous is not None and s.last is not None
    return (
        f"La vague {s.ctx.wave_number} se termine le {fr.date(s.last)}, moins de trois mois "
        f"après la vague {previous.number} (terminée le {fr.date(previous.last)}), alors "
        "qu'une vague vient environ tous les six mois.",
        f"Vérifiez qu'il s'agit bien d'une nouvelle vague. Si ce fichier corrige la vague "
        f"{previous.number}, choisissez la vague {previous.number} : il la remplacera.",
    )
