"""The French labels of every enumerated value a user reads, in one place.

Keys are the stored values (``StrEnum`` members compare and hash as their text), so a label is
looked up the same way from an enum member or from a column read back from the database.
"""

from __future__ import annotations

from data.access import Role
from data.domain.vocabulary import EventKind, ImportKind, ImportOutcome, JournalStatus

ROLE = {
    Role.LEAD: "Pilotage du programme",
    Role.BINOME: "Binôme",
    Role.FUNDER: "Financeur",
}
JOURNAL_STATUS = {
    JournalStatus.DRAFT: "brouillon",
    JournalStatus.SUBMITTED: "soumis",
    JournalStatus.APPROVED: "approuvé",
}
JOURNAL_ABSENT = "absent"
# A journal's history (audited writes): what each write did.
JOURNAL_WRITE = {
    JournalStatus.DRAFT: "brouillon enregistré",
    JournalStatus.SUBMITTED: "journal soumis",
    JournalStatus.APPROVED: "mois approuvé",
}
JOURNAL_CHANGED = "journal modifié"
JOURNAL_UNLOCKED = "mois déverrouillé : « {reason} »"
# A journal's status with a mark that carries it without colour (tables of months).
JOURNAL_STATUS_MARK = {
    JournalStatus.APPROVED: "✓ approuvé",
    JournalStatus.SUBMITTED: "● soumis",
    JournalStatus.DRAFT: "◌ brouillon",
}
JOURNAL_ABSENT_MARK = "✗ absent"
EVENT_KIND = {
    EventKind.WORKSHOP: "atelier",
    EventKind.MEETING: "réunion",
    EventKind.INTERVIEW: "entretien",
    EventKind.OTHER: "autre",
}
# An indicator's unit (config/indicators.yaml ``unit``) as an export names it: a ratio is
# exported in percent (data.fr.indicator_figure).
INDICATOR_UNIT = {
    "count": "nombre",
    "ratio": "%",
    "score_1_5": "score de 1 à 5",
    "score_1_4": "score de 1 à 4",
    "index": "indice de 0 à 1",
    "delta": "écart entre deux vagues",
}
YES_NO = {True: "Oui", False: "Non"}
RUBRIC_SCORE = {0: "0 · pas commencé", 1: "1 · en cours", 2: "2 · fait", 3: "3 · consolidé"}
IMPORT_KIND = {ImportKind.ACTORS: "liste des acteurs", ImportKind.SURVEY: "enquête"}
IMPORT_OUTCOME = {
    ImportOutcome.IMPORTED: "importé",
    ImportOutcome.REPLACED: "remplacé",
    ImportOutcome.UNCHANGED: "inchangé",
    ImportOutcome.REFUSED: "refusé",
}
ALERT_KIND = {
    "no_journal": "Journal absent",
    "draft_journal": "Journal non soumis",
    "stale_survey": "Enquête ancienne",
    "refused_import": "Import refusé",
    "drop": "Baisse",
    "stage_disagreement": "Étapes en désaccord",
    "unlock_request": "Déverrouillage demandé",
}
