"""The baromètre as an XLSForm, the form format KoboToolbox and ODK Central both load.

Built from the configuration (items and their French wording, resource types, the scales'
labels) and a territory's actors list: the respondent's organisation chosen from the list, the
21 statements, the resources as checkboxes, and one page per organisation of the list with the
level of collaboration (0–5) and, when it is 1 or more, the three trust questions.

Names are chosen so that an export reads back whatever the tool's settings:

- every question's name is the column the import expects (``conf_1``, ``contrib``,
  ``level__<org_id>``…), unique in the whole form, so that a header with its group path
  (``relations/p_mairie/level__mairie``, ``relations-p_mairie-level__mairie``, with whatever
  separator KoboToolbox was told to use) or without it names the same question;
- every label is the wording the import knows (``import_formats.yaml``'s ``labels``,
  ``survey.yaml``'s statements), so that an export with labels for headers reads back too, and
  every choice label is one the import reads as its value (« Tout à fait d'accord » → 5,
  « 3 – Coordination » → 3, an organisation's name → its org_id);
- a calculated field, :data:`FORM_FIELD`, carries the form's id and version into every export:
  the import recognises the form by it, and says which organisations of today's list the form
  did not have.

The form id is the territory's (``cooperascope_<territory>``) so that a new version replaces
the old one in the tool; the version is a short hash of the sorted org_ids of the list.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from data.config import AppConfig, get_config
from data.importer.formats import FORM_FIELD, FORM_NOTES, ActorRef
from data.importer.settings import ImportFormats, import_formats
from data.importer.templates import ActorsSource, load_actors

SURVEY_COLUMNS = (
    "type",
    "name",
    "label",
    "hint",
    "required",
    "required_message",
    "relevant",
    "appearance",
    "calculation",
)
REQUIRED = "Réponse obligatoire."
# Frey et al. (2006), as SURVEY.md explains each level to respondents.
LEVEL_MEANINGS = {
    0: "aucune relation",
    1: "se connaître, s'informer",
    2: "échanger, s'entraider ponctuellement",
    3: "partager des ressources, avec des rôles définis",
    4: "décider ensemble, ressources mises en commun",
    5: "un seul projet commun, décisions par consensus",
}
_NOT_XML_NAME = re.compile(r"[^A-Za-z0-9_.-]")


@dataclass(frozen=True)
class FormId:
    """What identifies a generated form: its id and its version."""

    form_id: str
    version: str

    @property
    def marker(self) -> str:
        """The value of :data:`FORM_FIELD` in every submission."""
        return f"{self.form_id} {self.version}"

    @classmethod
    def parse(cls, text: str | None) -> FormId | None:
        parts = (text or "").split()
        if len(parts) != 2 or not parts[0].startswith("cooperascope_"):
            return None
        return cls(parts[0], parts[1])


def form_id_for(territory_id: str, actors: Sequence[ActorRef]) -> FormId:
    """The form id of a territory and the version of its actors list."""
    digest = hashlib.sha256("\n".join(sorted(a.org_id for a in actors)).encode()).hexdigest()
    return FormId("cooperascope_" + _NOT_XML_NAME.sub("_", territory_id), digest[:8])


def xlsform(
    source: ActorsSource,
    territory_id: str,
    *,
    engine: Engine | None = None,
    territory_name: str | None = None,
    config: AppConfig | None = None,
    formats: ImportFormats | None = None,
) -> bytes:
    """The XLSForm (.xlsx with the sheets survey, choices and settings) of a territory:
    ``source`` is its id (read with ``engine``) or its actors."""
    actors, name = load_actors(source, engine)
    territory_name = territory_name or name or territory_id
    config = config or get_config()
    formats = formats or import_formats()
    identity = form_id_for(territory_id, actors)
    survey = config.survey
    labels = formats.survey.labels
    families = formats.survey.roster_families
    rows: list[dict[str, str]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
        {"type": "calculate", "name": FORM_FIELD, "calculation": f"'{identity.marker}'"},
        {
            "type": "begin_group",
            "name": "identification",
            "label": "Votre organisation",
            "appearance": "field-list",
        },
        {
            "type": "select_one organisations",
            "name": "org_id",
            "label": labels.org_id[0] if labels.org_id else "Votre organisation",
            "hint": "L'organisation ou le collectif au nom duquel vous répondez.",
            "required": "yes",
            "required_message": REQUIRED,
            "appearance": "minimal" if len(actors) > 10 else "",
        },
        {"type": "end_group"},
    ]
    for index, factor in enumerate(survey.factors):
        rows.append(
            {
                "type": "begin_group",
                "name": f"facteur_{factor.id}",
                "label": factor.label,
                "appearance": "field-list",
            }
        )
        if index == 0:
            rows.append(
                {
                    "type": "note",
                    "name": FORM_NOTES[0],
                    "label": (
                        "Dites pour chaque affirmation si vous êtes d'accord, de « Pas du tout "
                        "d'accord » à « Tout à fait d'accord ». Laissez sans réponse si vous "
                        "ne savez pas."
                    ),
                }
            )
        for item, wording in factor.items.items():
            rows.append(
                {
                    "type": "select_one likert",
                    "name": item,
                    "label": wording,
                    "appearance": "likert",
                }
            )
        rows.append({"type": "end_group"})
    contrib = (labels.contrib or "Ressources apportées : {label}").partition("{label}")[0]
    rows += [
        {"type": "begin_group", "name": "apports", "label": "Ressources"},
        {
            "type": f"select_multiple {formats.survey.contrib_prefix}_types",
            "name": formats.survey.contrib_prefix,
            "label": contrib.strip().rstrip(":").strip(),
            "hint": "Ce que votre organisation apporte à l'action collective (plusieurs "
            "réponses possibles).",
        },
        {"type": "end_group"},
        {
            "type": "begin_group",
            "name": "relations",
            "label": "Vos relations avec les organisations du territoire",
        },
        {
            "type": "note",
            "name": FORM_NOTES[1],
            "label": "Pour chaque organisation, votre niveau de collaboration avec elle : "
            + " ; ".join(
                f"{level} {survey.collaboration_levels[level].lower()} ({meaning})"
                if level
                else f"0 {meaning}"
                for level, meaning in LEVEL_MEANINGS.items()
            )
            + ". Si vous la connaissez, dites aussi si vous lui faites confiance.",
        },
    ]
    for actor in actors:
        level = f"{families['level']}__{actor.org_id}"
        rows.append(
            {
                "type": "begin_group",
                "name": f"p_{actor.org_id}",
                "label": actor.name,
                "relevant": f"${{org_id}} != '{actor.org_id}'",
                "appearance": "field-list",
            }
        )
        rows.append(
            {
                "type": "select_one niveaux",
                "name": level,
                "label": _roster_label(formats, "level", actor.name),
                "required": "yes",
                "required_message": REQUIRED,
            }
        )
        for family in ("fiab", "mission", "ouverture"):
            rows.append(
                {
                    "type": "select_one confiance",
                    "name": f"{families[family]}__{actor.org_id}",  # type: ignore[index]
                    "label": _roster_label(formats, family, actor.name),
                    "relevant": f"${{{level}}} >= 1",
                }
            )
        rows.append({"type": "end_group"})
    rows.append({"type": "end_group"})

    choices: list[tuple[str, str, str]] = [("organisations", a.org_id, a.name) for a in actors]
    choices += [
        ("likert", str(v), formats.value_labels.likert[v][0])
        for v in sorted(formats.value_labels.likert)
    ]
    choices += [
        ("niveaux", str(v), f"{v} – {label}") for v, label in survey.collaboration_levels.items()
    ]
    choices += [
        ("confiance", str(v), formats.value_labels.trust[v][0])
        for v in sorted(formats.value_labels.trust)
    ]
    choices += [
        (f"{formats.survey.contrib_prefix}_types", r.id, r.label) for r in survey.resource_types
    ]
    return _workbook(
        rows,
        choices,
        {
            "form_title": f"Baromètre des coopérations — {territory_name}",
            "form_id": identity.form_id,
            "version": identity.version,
            "style": "pages",
        },
    )


def xlsform_for(engine: Engine, territory_id: str) -> bytes:
    """The XLSForm of a territory, from its actors list in the database."""
    return xlsform(territory_id, territory_id, engine=engine)


def _roster_label(formats: ImportFormats, family: str, name: str) -> str:
    pattern = formats.survey.labels.roster(family) or f"{family} {{org}}"
    return pattern.replace("{org}", name)


def _workbook(
    rows: Sequence[dict[str, str]],
    choices: Sequence[tuple[str, str, str]],
    settings: dict[str, str],
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheets = {
        "survey": (SURVEY_COLUMNS, [[row.get(c, "") for c in SURVEY_COLUMNS] for row in rows]),
        "choices": (("list_name", "name", "label"), [list(c) for c in choices]),
        "settings": (tuple(settings), [list(settings.values())]),
    }
    workbook.remove(workbook.active)
    for title, (header, lines) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in lines:
            sheet.append([value or None for value in line])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # a label starting with "=" stays text
        for column in ("A", "B", "C"):
            sheet.column_dimensions[column].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
