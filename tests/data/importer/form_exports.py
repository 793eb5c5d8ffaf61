"""Submissions to a generated XLSForm, exported the way KoboToolbox and ODK Central export them.

The form is read from its own ``survey`` and ``choices`` sheets (the groups, the questions'
names, labels and types), so that an export follows the form as it was deployed. What each tool
writes, after their documentation and exports seen:

- KoboToolbox (formpack): the questions in form order, then ``_id``, ``_uuid``,
  ``_submission_time``…; headers either XML names or labels, with the groups' names (or labels)
  joined by ``/`` or without them; a select-multiple as one column of space-joined choices, as
  one 1/0 column per choice (``contrib/financement``, « Ressources apportées/Financement »), or
  both (``formpack/schema/fields.py``); notes left out; CSV with ``;`` or ``,``, or XLSX.
- ODK Central (its CSV export, ``lib/data/briefcase.js``): ``SubmissionDate``, the questions
  with groups joined by ``-`` (or without, when « Remove group names » is ticked), notes too
  (empty), ``meta-instanceID``, ``KEY`` and its review columns; a select-multiple whole, and
  when asked also split into ``…/<choice>`` 1/0 columns, one for each choice the submissions
  hold; CSV with ``,``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Literal

from openpyxl import Workbook, load_workbook

Answers = dict[str, str | list[str]]  # question name → choice name(s)


@dataclass(frozen=True)
class Field:
    """A question of the form, with the groups it sits in."""

    kind: str  # "select_one", "select_multiple", "calculate", "start", "end", "today"
    name: str
    label: str
    groups: tuple[tuple[str, str], ...]  # (name, label) from the outermost
    choices: str | None = None
    calculation: str | None = None


@dataclass
class Form:
    fields: list[Field]
    choices: dict[str, dict[str, str]]  # list name → choice name → label
    settings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    uuid: str
    day: str  # ISO date
    answers: Answers


def read_form(content: bytes) -> Form:
    workbook = load_workbook(io.BytesIO(content))
    survey = list(workbook["survey"].iter_rows(values_only=True))
    header = list(survey[0])
    groups: list[tuple[str, str]] = []
    fields = []
    for values in survey[1:]:
        row = {h: v for h, v in zip(header, values, strict=True) if v is not None}
        kind, _, choices = str(row["type"]).partition(" ")
        if kind == "begin_group":
            groups.append((row["name"], row.get("label", "")))
        elif kind == "end_group":
            groups.pop()
        else:
            fields.append(
                Field(
                    kind,
                    row["name"],
                    row.get("label", ""),
                    tuple(groups),
                    choices or None,
                    row.get("calculation"),
                )
            )
    lists: dict[str, dict[str, str]] = {}
    for list_name, name, label in list(workbook["choices"].iter_rows(values_only=True))[1:]:
        lists.setdefault(list_name, {})[str(name)] = label
    rows = list(workbook["settings"].iter_rows(values_only=True))
    return Form(fields, lists, dict(zip(rows[0], rows[1], strict=True)))


Headers = Literal["xml", "labels"]
Multiple = Literal["single", "split", "both"]


@dataclass(frozen=True)
class Export:
    tool: Literal["kobotoolbox", "odk_central"]
    headers: Headers = "xml"
    groups: bool = True
    multiple: Multiple = "both"
    separator: str = "/"  # KoboToolbox's « group separator » (ODK Central's is always "-")

    def table(self, form: Form, submissions: list[Submission]) -> list[list[str]]:
        columns: list[tuple[str, object]] = []  # header, function of a submission
        if self.tool == "odk_central":
            columns.append(("SubmissionDate", lambda s: f"{s.day}T16:34:12.345Z"))
        for item in form.fields:
            columns += self._columns(form, item, submissions)
        if self.tool == "kobotoolbox":
            columns.append(
                ("meta/instanceID" if self.groups else "instanceID", lambda s: f"uuid:{s.uuid}")
            )
            columns += [
                ("_id", lambda s: str(1000 + submissions.index(s))),
                ("_uuid", lambda s: s.uuid),
                ("_submission_time", lambda s: f"{s.day}T14:34:12"),
                ("_validation_status", lambda s: ""),
                ("_notes", lambda s: ""),
                ("_status", lambda s: "submitted_via_web"),
                ("_submitted_by", lambda s: ""),
                ("__version__", lambda s: "vGqKt6bHpnYXkLzjRbBrhT"),
                ("_tags", lambda s: ""),
                ("_index", lambda s: str(1 + submissions.index(s))),
            ]
        else:
            columns += [
                ("meta-instanceID" if self.groups else "instanceID", lambda s: f"uuid:{s.uuid}"),
                ("KEY", lambda s: f"uuid:{s.uuid}"),
                ("SubmitterID", lambda s: "5"),
                ("SubmitterName", lambda s: "binome"),
                ("AttachmentsPresent", lambda s: "0"),
                ("AttachmentsExpected", lambda s: "0"),
                ("Status", lambda s: ""),
                ("ReviewState", lambda s: ""),
                ("DeviceID", lambda s: ""),
                ("Edits", lambda s: "0"),
                ("FormVersion", lambda s: form.settings["version"]),
            ]
        rows = [[header for header, _ in columns]]
        for submission in submissions:
            rows.append([value(submission) for _, value in columns])  # type: ignore[operator]
        return rows

    def _header(self, item: Field, choice: str | None = None, form: Form | None = None) -> str:
        labels = self.headers == "labels" and self.tool == "kobotoolbox"
        own = item.label if labels and item.label else item.name
        path = [label if labels else name for name, label in item.groups] if self.groups else []
        separator = self.separator if self.tool == "kobotoolbox" else "-"
        header = separator.join([*path, own])
        if choice is not None:
            assert form is not None and item.choices is not None
            header += (separator if self.tool == "kobotoolbox" else "/") + (
                form.choices[item.choices][choice] if labels else choice
            )
        return header

    def _columns(
        self, form: Form, item: Field, submissions: list[Submission]
    ) -> list[tuple[str, object]]:
        labels = self.headers == "labels" and self.tool == "kobotoolbox"

        def answer(s: Submission) -> str | list[str]:
            if item.kind in ("start", "end"):
                return f"{s.day}T10:{'05' if item.kind == 'start' else '19'}:00.000+02:00"
            if item.kind == "today":
                return s.day
            if item.kind == "calculate":
                return str(item.calculation).strip("'")
            return s.answers.get(item.name, "")

        def shown(value: str) -> str:
            if labels and item.choices and value:
                return form.choices[item.choices][value]
            return value

        if item.kind == "note":  # formpack leaves notes out; Central writes them, empty
            return [(self._header(item), lambda s: "")] if self.tool == "odk_central" else []
        if item.kind != "select_multiple":
            return [(self._header(item), lambda s: shown(str(answer(s))))]
        columns: list[tuple[str, object]] = []
        if self.multiple in ("single", "both") or self.tool == "odk_central":  # Central keeps it
            columns.append(
                (self._header(item), lambda s: " ".join(shown(v) for v in answer(s) or []))
            )
        if self.multiple in ("split", "both"):
            assert item.choices is not None
            choices = list(form.choices[item.choices])
            if self.tool == "odk_central":  # the choices seen in the submissions, in order
                seen = [v for s in submissions for v in s.answers.get(item.name) or []]
                choices = list(dict.fromkeys(seen))
            for choice in choices:
                columns.append(
                    (
                        self._header(item, choice, form),
                        lambda s, c=choice: "1" if c in (answer(s) or []) else "0",
                    )
                )
        return columns


def csv_bytes(rows: list[list[str]], separator: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=separator, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list[str]], sheet: str) -> bytes:
    """An XLSX as Kobo writes it: one sheet named after the form, numbers as numbers."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]
    for row in rows:
        worksheet.append([int(v) if v.isdigit() and len(v) < 6 else (v or None) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
