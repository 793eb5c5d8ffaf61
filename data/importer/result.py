"""What an import did (:class:`ImportResult`), and its French rendering for the command line
and the Import page."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from data import fr, labels
from data.domain.checks import Report, plural
from data.importer.settings import Kind

Outcome = Literal["imported", "replaced", "unchanged", "refused", "checked"]


@dataclass
class ImportResult:
    """What an import did, with its French report."""

    outcome: Outcome
    kind: Kind
    filename: str
    sha256: str
    territory_id: str
    wave_number: int | None
    report: Report
    user: str
    source_format: str | None = None
    rows_imported: int = 0
    report_id: int | None = None
    territory_name: str | None = None
    previous: dict[str, Any] | None = None  # the earlier import, for "unchanged"
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # seconds per step of the job
    dry_run: bool = False
    would_be: Outcome | None = None  # a dry run's verdict: "imported" or "replaced"

    @property
    def ok(self) -> bool:
        return self.outcome != "refused"

    def headline(self) -> str:
        """One sentence: what happened."""
        if self.outcome == "refused":
            return (
                "REFUSÉ — rien n'a été enregistré dans les données. Corrigez le fichier comme "
                "indiqué ci-dessous puis importez-le à nouveau."
            )
        if self.outcome == "unchanged":
            when = self.previous or {}
            return (
                "INCHANGÉ — ce fichier a déjà été importé"
                + (f" le {when['at']}" if when.get("at") else "")
                + (f" par {when['by']}" if when.get("by") else "")
                + " : rien n'a été modifié."
            )
        what = self._what()
        if self.outcome == "checked":
            replaces = ""
            if self.would_be == "replaced":
                replaces = (
                    f" et remplacera la vague {self.wave_number} déjà importée"
                    if self.kind == "survey"
                    else " et mettra à jour la liste des acteurs"
                )
            return (
                f"VÉRIFIÉ — le fichier peut être importé ({what}){replaces}. Rien n'est encore "
                "enregistré : confirmez l'import."
            )
        if self.outcome == "replaced":
            target = (
                f"la vague {self.wave_number} est remplacée"
                if self.kind == "survey"
                else "la liste des acteurs est mise à jour"
            )
            return f"REMPLACÉ — {target} par ce fichier ({what}). L'import précédent reste archivé."
        return f"IMPORTÉ — {what}."

    def _what(self) -> str:
        c = self.counts
        if self.kind == "actors":
            return (
                f"{plural(c.get('actors', 0), 'organisation')} dans la liste : "
                f"{fr.number(c.get('added', 0))} ajoutée(s), {fr.number(c.get('updated', 0))} "
                f"modifiée(s), {fr.number(c.get('removed', 0))} retirée(s)"
            )
        return (
            f"{plural(c.get('respondents', 0), 'répondant')}, "
            f"{plural(c.get('likert', 0), 'réponse')} aux affirmations, "
            f"{plural(c.get('ratings', 0), 'évaluation')} de partenaires, "
            f"{plural(c.get('contributions', 0), 'ressource')} apportée"
            + ("s" if c.get("contributions", 0) > 1 else "")
        )

    def render_text(self) -> str:
        """The report as the command line prints it."""
        territory = (
            f"« {self.territory_name} » ({self.territory_id})"
            if self.territory_name
            else f"« {self.territory_id} »"
        )
        target = f"territoire {territory}"
        if self.wave_number is not None:
            target += f", vague {self.wave_number}"
        what = labels.IMPORT_KIND[self.kind]
        lines = [
            f"Import {'de la ' if self.kind == 'actors' else 'de l’'}{what} — "
            f"fichier « {self.filename} » — {target}",
            self.headline(),
        ]
        read_as = self.report.context.get("read_as")
        if read_as:
            lines.append(f"Lu comme : {read_as}.")
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        if errors or warnings:
            lines.append(
                f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}"
                + (" (le fichier est importé malgré les avertissements)." if self.ok else ".")
            )
        lines.extend(self.report.render_checks())
        if self.report_id is None and self.outcome == "refused":
            lines.append("(Ce refus n'a pas été enregistré dans le journal des imports.)")
        return "\n".join(lines)
