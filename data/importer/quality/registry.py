"""Checks declared once each, and everything derived from their declarations.

A check is a :class:`Check`: its declaration (id, kinds of file, stage, whether it can only be
an error, a one-line French description) bound to the function that finds its failures and the
function that says them in French. It is registered where it is written::

    @expectation_check("likert_range", SURVEY, "Les réponses aux affirmations vont de 1 à 5.")
    def likert_range(s: SurveyInput) -> list[Probe]:
        return [Probe("likert", gxe.ExpectColumnValuesToBeInSet(column="value", …))]

    @likert_range.message
    def _likert_range_message(f: Failure, s: SurveyInput) -> Text:
        return "… hors de l'échelle 1 à 5 …", "Une réponse va de 1 … à 5 …"

An *expectation* check returns Great Expectations probes (all the probes of a stage run in one
pass per frame); a *python* check returns its :class:`Failure` itself, for what is not a test of
a frame's values (the header, rows left out by the parser, rows already stored). A check whose
function returns no probe, or no failure, does not apply to the file or found nothing.

From the registry come the ids each suite of ``config/quality.yaml`` may name
(:func:`check_ids`), those that can only be errors (:func:`error_only_ids`), the checks a
stage runs and the order of a report (the order of declaration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

import pandas as pd

from data.domain.checks import CheckResult, Severity
from data.importer.quality.expectations import Failure, Probe, run_expectations
from data.importer.settings import Kind, QualityFile

# "header": from the resolved columns alone, before the values are parsed;
# "values": on the parsed frames (the quality gate proper).
Stage = Literal["header", "values"]
Text = tuple[str, str]  # a failure's message and what to do about it

ACTORS: tuple[Kind, ...] = ("actors",)
SURVEY: tuple[Kind, ...] = ("survey",)
BOTH: tuple[Kind, ...] = ("actors", "survey")


class Subject(Protocol):
    """What a check reads: a file at one stage, and the frames its probes name."""

    def frames(self) -> dict[str, pd.DataFrame]: ...


S = TypeVar("S", bound=Subject)


@dataclass
class Check(Generic[S]):
    """One check a suite may name: its declaration, bound to its calculation and its text."""

    check_id: str
    kinds: tuple[Kind, ...]
    description: str  # one line, French: what the check makes sure of
    stage: Stage
    error_only: bool  # the database or the parser depends on it: never a warning
    always: bool  # run whether or not the suite names it (nothing can be read without it)
    probes: Callable[[S], list[Probe]] | None = None
    detect: Callable[[S], Failure | None] | None = None
    text: Callable[[Failure, S], Text] | None = None

    def message(self, function: Callable[[Failure, S], Text]) -> Callable[[Failure, S], Text]:
        """Bind the function that says a failure in French (used as a decorator)."""
        self.text = function
        return function

    def say(self, failure: Failure, subject: S) -> Text:
        assert self.text is not None, f"the check {self.check_id} has no message"
        return self.text(failure, subject)


CHECKS: list[Check[Any]] = []


def _register(check: Check[Any]) -> Check[Any]:
    for kind in check.kinds:
        if check.check_id in check_ids(kind):
            raise ValueError(f"check {check.check_id!r} declared twice for {kind!r} files")
    CHECKS.append(check)
    return check


def expectation_check(
    check_id: str,
    kinds: tuple[Kind, ...],
    description: str,
    *,
    error_only: bool = False,
) -> Callable[[Callable[[S], list[Probe]]], Check[S]]:
    """Declare a values check whose function builds Great Expectations probes."""

    def declare(probes: Callable[[S], list[Probe]]) -> Check[S]:
        return _register(
            Check(check_id, kinds, description, "values", error_only, False, probes=probes)
        )

    return declare


def python_check(
    check_id: str,
    kinds: tuple[Kind, ...],
    description: str,
    *,
    stage: Stage = "values",
    error_only: bool = False,
    always: bool = False,
) -> Callable[[Callable[[S], Failure | None]], Check[S]]:
    """Declare a check whose function finds its failure in plain Python."""

    def declare(detect: Callable[[S], Failure | None]) -> Check[S]:
        return _register(
            Check(check_id, kinds, description, stage, error_only, always, detect=detect)
        )

    return declare


def declared(kind: Kind, stage: Stage | None = None) -> list[Check[Any]]:
    """The checks of ``kind`` files (at ``stage``), in the order of declaration."""
    return [c for c in CHECKS if kind in c.kinds and stage in (None, c.stage)]


def check_ids(kind: Kind) -> frozenset[str]:
    """The ids a suite of ``kind`` files may name."""
    return frozenset(c.check_id for c in declared(kind))


def error_only_ids(kind: Kind) -> frozenset[str]:
    """The ids of the ``kind`` suite that can only be errors."""
    return frozenset(c.check_id for c in declared(kind) if c.error_only)


def without_message() -> list[str]:
    """Checks declared without the function that says their failures (should be none)."""
    return [c.check_id for c in CHECKS if c.text is None]


def validate_suites(settings: QualityFile) -> list[str]:
    """Problems in ``quality.yaml``'s suites: unknown checks, errors made warnings."""
    problems = []
    for kind, checks in settings.suites.items():
        for check_id, setting in checks.items():
            if check_id not in check_ids(kind):
                known = ", ".join(sorted(check_ids(kind)))
                problems.append(
                    f"clé « suites.{kind}.{check_id} » : contrôle inconnu (contrôles : {known})"
                )
            elif check_id in error_only_ids(kind) and setting.severity != "error":
                problems.append(
                    f"clé « suites.{kind}.{check_id} » : ce contrôle ne peut être qu'une erreur"
                )
    return problems


def severity(settings: QualityFile, kind: Kind, check_id: str) -> Severity | None:
    """The severity the suite gives a check; ``None`` when the suite leaves it out."""
    setting = settings.suites.get(kind, {}).get(check_id)
    return Severity(setting.severity) if setting else None


def run_checks(kind: Kind, stage: Stage, settings: QualityFile, subject: S) -> list[CheckResult]:
    """Run the checks of ``kind`` files at ``stage`` that the suite names (or that always run)
    on ``subject``: the failed ones, as French results, in the order of declaration."""
    enabled = [c for c in declared(kind, stage) if c.always or severity(settings, kind, c.check_id)]
    probes = {c.check_id: c.probes(subject) for c in enabled if c.probes is not None}
    flat = [p for group in probes.values() for p in group]
    failures = iter(run_expectations(subject.frames(), flat) if flat else [])
    results = []
    for check in enabled:
        if check.detect is not None:
            found = check.detect(subject)
        else:
            found = None
            for failure in [next(failures) for _ in probes[check.check_id]]:
                if failure is not None:
                    found = found or Failure()
                    found.merge(failure)
        if found is None:
            continue
        message, hint = check.say(found, subject)
        results.append(
            CheckResult(
                check.check_id,
                severity(settings, kind, check.check_id) or Severity.ERROR,
                message,
                hint,
                rows=found.rows,
                columns=found.columns,
                count=found.count or len(set(found.rows)),
                cells=found.cells,
            )
        )
    return results
