"""The enumerated values the database stores: one ``StrEnum`` each, read by the models' CHECK
constraints, the services and the pages. Their French labels are in ``data.labels``."""

from __future__ import annotations

from enum import StrEnum


class JournalStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


class EventKind(StrEnum):
    MEETING = "meeting"
    WORKSHOP = "workshop"
    INTERVIEW = "interview"
    OTHER = "other"


class ActionStatus(StrEnum):
    PLANNED = "planned"
    UNDER_WAY = "under_way"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class ImportKind(StrEnum):
    ACTORS = "actors"
    SURVEY = "survey"


class ImportOutcome(StrEnum):
    IMPORTED = "imported"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
