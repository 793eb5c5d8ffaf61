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


class CommentKind(StrEnum):
    COMMENT = "comment"  # a message on the month, by a lead or the territory's binôme
    UNLOCK_REQUEST = "unlock_request"  # the binôme asks for the approved month to be unlocked


class ImportKind(StrEnum):
    ACTORS = "actors"
    SURVEY = "survey"


class ImportOutcome(StrEnum):
    IMPORTED = "imported"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    REFUSED = "refused"
