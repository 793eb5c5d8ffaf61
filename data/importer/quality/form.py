"""The survey suite, end: an export of a form Coopérascope generated (data.importer.xlsform),
recognised by the form id and version it carries, compared with the territory's actors list."""

from __future__ import annotations

from data.domain.checks import enumerate_fr, plural
from data.importer.quality.expectations import Failure
from data.importer.quality.registry import SURVEY, Text, python_check
from data.importer.quality.survey import SurveyInput
from data.importer.xlsform import FormId, form_id_for


def _forms(s: SurveyInput) -> dict[FormId, list[int]]:
    forms: dict[FormId, list[int]] = {}
    for marker, rows in s.parsed.forms.items():
        form = FormId.parse(marker)
        if form is not None:
            forms.setdefault(form, []).extend(rows)
    return forms


@python_check(
    "form_territory",
    SURVEY,
    "Un export du formulaire Coopérascope vient du formulaire de ce territoire.",
)
def form_territory(s: SurveyInput) -> Failure | None:
    own = form_id_for(s.ctx.territory_id, []).form_id
    rows = sorted(r for form, found in _forms(s).items() if form.form_id != own for r in found)
    return Failure(count=len(rows), rows=rows) if rows else None


@form_territory.message
def _form_territory_message(f: Failure, s: SurveyInput) -> Text:
    own = form_id_for(s.ctx.territory_id, []).form_id
    others = sorted({form.form_id for form in _forms(s) if form.form_id != own})
    return (
        f"{plural(f.count, 'réponse vient', 'réponses viennent')} du formulaire d'un autre "
        f"territoire ({enumerate_fr(others)}), pas de celui de « {s.ctx.territory_name} » "
        f"({own}).",
        "Vérifiez le territoire choisi pour l'import, ou exportez les réponses du formulaire "
        "de ce territoire.",
    )


@python_check(
    "form_orgs_missing",
    SURVEY,
    "Le formulaire de l'export a toutes les organisations de la liste des acteurs.",
)
def form_orgs_missing(s: SurveyInput) -> Failure | None:
    forms = _forms(s)
    current = form_id_for(s.ctx.territory_id, s.ctx.actors).version
    if not forms or all(form.version == current for form in forms):
        return None
    missing = [a.name for a in s.ctx.actors if a.org_id not in s.parsed.rated_orgs]
    return Failure(count=len(missing), values=missing) if missing else None


@form_orgs_missing.message
def _form_orgs_missing_message(f: Failure, s: SurveyInput) -> Text:
    versions = sorted({form.version for form in _forms(s)})
    names = enumerate_fr([f"« {name} »" for name in f.values], limit=20)
    one = f.count == 1
    return (
        f"Le formulaire de cet export (version {enumerate_fr(versions)}) a été construit avec "
        f"une liste des acteurs plus ancienne : {plural(f.count, 'organisation')} de la liste "
        f"actuelle n'y {'était' if one else 'étaient'} pas, et personne n'a pu dire ses "
        f"relations avec {'elle' if one else 'elles'} : {names}. Les réponses sont importées.",
        "Pour la prochaine vague, téléchargez à nouveau le formulaire (page Import) et "
        "déployez cette nouvelle version dans KoboToolbox ou ODK Central.",
    )
