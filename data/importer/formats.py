"""Find our columns in a file's header, whatever tool wrote it.

Columns are found by name, never by position. A header is compared in two forms: its *key*
(lowercase letters and digits only: ``conf_1``, ``Conf 1`` and ``conf1`` share the key
``conf1``) against codes and aliases, then its *normal form* (accents, case and punctuation
dropped, words kept) against question wordings. A survey tool's group path is peeled off from
the left (``roster/level__mairie`` → ``level__mairie``); LimeSurvey's ``code[subcode]`` is
split. The tool itself is recognised from its own columns (``_uuid``, ``KEY``, ``submitdate``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from data.config import SurveyFile
from data.importer.settings import ImportFormats, ToolFormat

Role = Literal[
    "fixed", "likert", "contrib", "contrib_multi", "roster", "metadata", "unknown", "empty"
]
ACTOR_FIELDS = ("org_id", "name", "sector", "commune")
SURVEY_FIELDS = ("respondent_id", "org_id", "sector", "submitted_at")
ROSTER_FAMILIES = ("level", "fiab", "mission", "ouverture")
LABEL_RANK = 100  # a column found by its wording ranks after any found by its code
# The calculated field of the generated XLSForm (data.importer.xlsform) that carries the form's
# id and version into every export: the form is recognised by it.
FORM_FIELD = "cooperascope_form"
# Its notes, which some exports carry as empty columns (ODK Central): ignored.
FORM_NOTES = ("consigne_affirmations", "consigne_relations")
# The group separators a tool may be told to use (KoboToolbox asks for one): peeled from the
# headers of the generated form's exports, whose every name is unique and holds no separator.
ANY_SEPARATORS = ("/", "-", ".", "|", "\\", ":", ">")
_BRACKETS = re.compile(r"^\s*([^\[\]]+?)\s*\[\s*([^\[\]]+?)\s*\]\s*$")


def normal(text: str) -> str:
    """Lowercase words without accents or punctuation: ``« État / service »`` → ``etat service``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", stripped.casefold()).split())


def key(text: str) -> str:
    """Letters and digits only: ``Conf_1`` → ``conf1``."""
    return normal(text).replace(" ", "")


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class ActorRef:
    """An organisation of a territory's actors list, as the importer needs it."""

    org_id: str
    name: str
    sector: str
    id: int | None = None


@dataclass(frozen=True)
class Column:
    """One column of the file and what it was recognised as."""

    index: int
    header: str
    role: Role
    field: str | None = None  # fixed column, Likert item, resource type or roster family
    org: str | None = None  # roster: org_id when known, else the name read in the header
    org_known: bool = False
    rank: int = 0

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def display(self) -> str:
        """How the report names the column: ``conf_1 (F)``."""
        header = self.header.strip() or "(sans titre)"
        if len(header) > 60:
            header = header[:59] + "…"
        return f"{header} ({self.letter})"

    @property
    def canonical(self) -> str | None:
        if self.role == "fixed" or self.role == "likert":
            return self.field
        if self.role == "contrib":
            return f"contrib_{self.field}"
        if self.role == "contrib_multi":
            return "contrib"
        if self.role == "roster":
            return f"{self.field}__{self.org}"
        return None


@dataclass
class ColumnMap:
    """The columns of a file's header, resolved."""

    format_id: str
    format_label: str
    columns: list[Column]
    fixed: dict[str, Column] = field(default_factory=dict)
    likert: dict[str, Column] = field(default_factory=dict)
    contrib: dict[str, Column] = field(default_factory=dict)
    contrib_multi: Column | None = None
    roster: dict[str, dict[str, Column]] = field(default_factory=dict)  # org → family → column
    duplicates: list[list[Column]] = field(default_factory=list)
    unknown: list[Column] = field(default_factory=list)
    ignored: list[Column] = field(default_factory=list)
    form: Column | None = None  # FORM_FIELD: an export of a form Coopérascope generated

    @property
    def answer_columns(self) -> int:
        return len(self.likert) + len(self.contrib) + sum(len(f) for f in self.roster.values())


class Vocabulary:
    """Every name the importer knows, built from the configuration and the actors list."""

    def __init__(
        self,
        formats: ImportFormats,
        survey: SurveyFile,
        actors: Sequence[ActorRef] = (),
    ) -> None:
        self.formats = formats
        self.survey = survey
        self.actors = list(actors)
        self.org_by_key: dict[str, str] = {}
        self.org_by_normal: dict[str, str] = {}
        for actor in self.actors:
            self.org_by_key.setdefault(key(actor.org_id), actor.org_id)
        for actor in self.actors:
            self.org_by_normal.setdefault(normal(actor.name), actor.org_id)
            self.org_by_key.setdefault(key(actor.name), actor.org_id)
        self.items_by_key = {key(item): item for item in survey.likert_items}
        self.items_by_wording = {
            normal(wording): item for f in survey.factors for item, wording in f.items.items()
        }
        self.resources = [r.id for r in survey.resource_types]
        self.resource_by_key = {key(r.id): r.id for r in survey.resource_types}
        self.resource_by_normal = {normal(r.label): r.id for r in survey.resource_types}
        self.resource_by_normal.update({normal(r.id): r.id for r in survey.resource_types})
        self.contrib_prefix = formats.survey.contrib_prefix
        self.family_by_key = {key(v): k for k, v in formats.survey.roster_families.items()}
        families = "|".join(
            re.escape(v) for v in sorted(formats.survey.roster_families.values(), key=len)[::-1]
        )
        self.roster_pattern = re.compile(rf"^({families})_{{1,2}}(.+)$", re.IGNORECASE)
        labels = formats.survey.labels
        self.survey_labels = {
            normal(text): name for name in SURVEY_FIELDS for text in labels.fixed(name)
        }
        self.label_patterns: list[tuple[str, str, str]] = []  # (family, prefix, suffix)
        for family in ("contrib", *ROSTER_FAMILIES):
            pattern = labels.roster(family) if family != "contrib" else labels.contrib
            if not pattern:
                continue
            placeholder = "{label}" if family == "contrib" else "{org}"
            before, _, after = pattern.partition(placeholder)
            self.label_patterns.append((family, normal(before), normal(after)))
        # Every alias of every tool, to locate a header before knowing the tool.
        self.any_survey_alias: set[str] = set()
        self.any_metadata: set[str] = set()
        for tool in formats.formats.values():
            for names in tool.columns.values():
                self.any_survey_alias.update(key(n) for n in names)
            self.any_metadata.update(key(n) for n in tool.metadata)
        for names in formats.survey.columns.values():
            self.any_survey_alias.update(key(n) for n in names)
        self.actor_alias = {
            key(alias): (name, rank)
            for name, aliases in formats.actors.columns.items()
            for rank, alias in enumerate(aliases)
        }

    # -- locating the header ---------------------------------------------------------------

    def header_score(self, cells: Sequence[str | None]) -> float:
        """How much a row looks like a header of either kind of file (codes count triple)."""
        score = 0.0
        prefix = key(self.contrib_prefix)
        for cell in cells:
            if not cell or not isinstance(cell, str):
                continue
            text = cell.strip()
            if not text or len(text) > 300:
                continue
            best = 0
            for candidate in _peel(text, ("/", "-")):
                k = key(candidate)
                if not k:
                    continue
                if (
                    k in self.any_survey_alias
                    or k in self.actor_alias
                    or k in self.items_by_key
                    or (k.startswith(prefix) and k[len(prefix) :] in self.resource_by_key)
                    or self.roster_pattern.match(candidate)
                    or _BRACKETS.match(candidate)
                ):
                    best = 3
                    break
                if k in self.any_metadata:
                    best = max(best, 2)
                elif normal(candidate) in self.items_by_wording or (
                    normal(candidate) in self.survey_labels
                ):
                    best = max(best, 1)
            score += best
        return score

    # -- tools -----------------------------------------------------------------------------

    def detect_format(self, headers: Sequence[str]) -> str:
        """The tool that wrote these headers; ``template`` when none is recognised."""
        present = {h.strip() for h in headers if h}
        for format_id, tool in self.formats.formats.items():
            if format_id == "template":
                continue
            if tool.detect_all and all(name in present for name in tool.detect_all):
                return format_id
            if tool.detect_any and any(name in present for name in tool.detect_any):
                return format_id
        if any(_BRACKETS.match(h) for h in present) and "limesurvey" in self.formats.formats:
            return "limesurvey"
        return "template"

    # -- survey ----------------------------------------------------------------------------

    def resolve_survey(self, headers: Sequence[str], format_id: str | None = None) -> ColumnMap:
        """Recognise a survey export's columns."""
        format_id = format_id or self.detect_format(headers)
        tool = self.formats.formats[format_id]
        aliases = self._survey_aliases(tool)
        metadata = {key(n) for n in tool.metadata}
        ours = any(key(h or "") == key(FORM_FIELD) for h in headers)
        separators = ANY_SEPARATORS if ours else ("/", tool.group_separator or "/")
        columns = [
            self._resolve_survey_column(i, h, tool, aliases, metadata, separators)
            for i, h in enumerate(headers)
        ]
        return self._assemble(format_id, tool, columns)

    def _survey_aliases(self, tool: ToolFormat) -> dict[str, tuple[str, int]]:
        aliases: dict[str, tuple[str, int]] = {}
        for name in SURVEY_FIELDS:
            names = [*self.formats.survey.columns.get(name, ()), *tool.columns.get(name, ())]
            for rank, alias in enumerate(names):
                aliases.setdefault(key(alias), (name, rank))
        return aliases

    def _org(self, text: str) -> tuple[str, bool]:
        org = self.org_by_key.get(key(text)) or self.org_by_normal.get(normal(text))
        return (org, True) if org else (text.strip(), False)

    def _resolve_survey_column(
        self,
        index: int,
        header: str | None,
        tool: ToolFormat,
        aliases: dict[str, tuple[str, int]],
        metadata: set[str],
        separators: Sequence[str],
    ) -> Column:
        """``separators``: the group separators peeled from the header, from the left."""
        header = (header or "").strip()
        if not header:
            return Column(index, "", "empty")
        candidates = _peel(header, separators)
        if tool.brackets:
            match = _BRACKETS.match(header)
            if match:
                found = self._bracket(index, header, match.group(1), match.group(2))
                if found:
                    return found
        for candidate in candidates:
            found = self._survey_code(index, header, candidate, aliases, metadata)
            if found:
                return found
        for candidate in candidates:
            found = self._survey_label(index, header, candidate)
            if found:
                return found
        return Column(index, header, "unknown")

    def _bracket(self, index: int, header: str, code: str, sub: str) -> Column | None:
        family = self.family_by_key.get(key(code))
        if family:
            org, known = self._org(sub)
            return Column(index, header, "roster", family, org, known)
        if key(code) == key(self.contrib_prefix):
            resource = self.resource_by_key.get(key(sub))
            return Column(index, header, "contrib", resource) if resource else None
        item = self.items_by_key.get(key(sub))
        if item:
            return Column(index, header, "likert", item)
        return None

    def _survey_code(
        self,
        index: int,
        header: str,
        candidate: str,
        aliases: dict[str, tuple[str, int]],
        metadata: set[str],
    ) -> Column | None:
        k = key(candidate)
        if not k:
            return None
        if k == key(FORM_FIELD):
            return Column(index, header, "metadata", FORM_FIELD)
        if k in _NOTE_KEYS:
            return Column(index, header, "metadata")
        if k in aliases:
            name, rank = aliases[k]
            return Column(index, header, "fixed", name, rank=rank)
        if k in self.items_by_key:
            return Column(index, header, "likert", self.items_by_key[k])
        prefix = key(self.contrib_prefix)
        if k.startswith(prefix) and k[len(prefix) :] in self.resource_by_key:
            return Column(index, header, "contrib", self.resource_by_key[k[len(prefix) :]])
        if k == prefix:
            return Column(index, header, "contrib_multi", "contrib")
        match = self.roster_pattern.match(candidate.strip())
        if match:
            family = self.family_by_key[key(match.group(1))]
            org, known = self._org(match.group(2))
            return Column(index, header, "roster", family, org, known)
        if k in metadata:
            return Column(index, header, "metadata")
        return None

    def _survey_label(self, index: int, header: str, candidate: str) -> Column | None:
        text = normal(candidate)
        if not text:
            return None
        if text in self.survey_labels:
            return Column(index, header, "fixed", self.survey_labels[text], rank=LABEL_RANK)
        if text in self.items_by_wording:
            return Column(index, header, "likert", self.items_by_wording[text], rank=LABEL_RANK)
        for family, before, after in self.label_patterns:
            if not text.startswith(before) or (after and not text.endswith(after)):
                continue
            middle = text[len(before) : len(text) - len(after) if after else None].strip()
            if not middle and family == "contrib" and text == before:
                # The resources question's own wording: its answers in one column.
                return Column(index, header, "contrib_multi", "contrib", rank=LABEL_RANK)
            if not middle:
                continue
            if family == "contrib":
                resource = self.resource_by_normal.get(middle)
                if resource:
                    return Column(index, header, "contrib", resource, rank=LABEL_RANK)
                continue
            org, known = self._org(middle)
            return Column(index, header, "roster", family, org, known, rank=LABEL_RANK)
        return None

    # -- actors ----------------------------------------------------------------------------

    def resolve_actors(self, headers: Sequence[str]) -> ColumnMap:
        """Recognise an actors list's columns."""
        tool = self.formats.formats["template"]
        columns = []
        for index, header in enumerate(headers):
            header = (header or "").strip()
            if not header:
                columns.append(Column(index, "", "empty"))
                continue
            found = None
            for candidate in _peel(header, ("/", tool.group_separator or "/")):
                hit = self.actor_alias.get(key(candidate))
                if hit:
                    found = Column(index, header, "fixed", hit[0], rank=hit[1])
                    break
            columns.append(found or Column(index, header, "unknown"))
        return self._assemble("template", tool, columns)

    # -- both ------------------------------------------------------------------------------

    def _assemble(self, format_id: str, tool: ToolFormat, columns: list[Column]) -> ColumnMap:
        result = ColumnMap(format_id, tool.label, columns)
        by_name: dict[str, list[Column]] = {}
        for column in columns:
            if column.role == "unknown":
                result.unknown.append(column)
            elif column.role in ("metadata", "empty"):
                result.ignored.append(column)
                if column.field == FORM_FIELD and result.form is None:
                    result.form = column
            else:
                by_name.setdefault(column.canonical or "", []).append(column)
        for group in by_name.values():
            best = min(c.rank for c in group)
            winners = [c for c in group if c.rank == best]
            if len(winners) > 1:
                result.duplicates.append(winners)
            winner = winners[0]
            result.ignored.extend(c for c in group if c is not winner)
            if winner.role == "fixed":
                result.fixed[winner.field or ""] = winner
            elif winner.role == "likert":
                result.likert[winner.field or ""] = winner
            elif winner.role == "contrib":
                result.contrib[winner.field or ""] = winner
            elif winner.role == "contrib_multi":
                result.contrib_multi = winner
            elif winner.role == "roster":
                result.roster.setdefault(winner.org or "", {})[winner.field or ""] = winner
        if result.contrib and result.contrib_multi is not None:
            # Kobo writes a select_multiple both whole and split: the split columns win.
            result.ignored.append(result.contrib_multi)
            result.contrib_multi = None
        return result


_NOTE_KEYS = frozenset(key(note) for note in FORM_NOTES)


def _peel(header: str, separators: Sequence[str]) -> list[str]:
    """``a/b/c`` → ``[a/b/c, b/c, c]`` for each separator, without repeats."""
    text = header.strip()
    candidates = [text]
    for separator in separators:
        rest = text
        while separator in rest:
            rest = rest.split(separator, 1)[1].strip()
            if rest:
                candidates.append(rest)
    return list(dict.fromkeys(candidates))
