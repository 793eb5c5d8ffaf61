"""A check's French report as text (command line) and as Markdown (dashboard)."""

from __future__ import annotations

from data.domain.checks import Cell, CheckResult, Severity


def _check() -> CheckResult:
    return CheckResult(
        "likert_range",
        Severity.ERROR,
        "2 réponses hors de l'échelle 1 à 5.",
        "Corrigez les valeurs puis importez à nouveau.",
        rows=[5, 2],
        columns=["conf_1 (E)"],
        cells=[Cell(2, "conf_1 (E)", "6"), Cell(5, "conf_1 (E)", "*")],
    )


def test_text_for_the_command_line() -> None:
    assert _check().render_lines() == [
        "[ERREUR] 2 réponses hors de l'échelle 1 à 5.",
        "    Lignes 2 et 5 — Colonne : conf_1 (E)",
        "    · ligne 2, colonne conf_1 (E) : « 6 »",
        "    · ligne 5, colonne conf_1 (E) : « * »",
        "    Que faire : Corrigez les valeurs puis importez à nouveau.",
    ]


def test_markdown_for_the_dashboard_has_no_code_block_and_escapes_every_punctuation() -> None:
    # Each ASCII punctuation mark of the text gets a backslash (CommonMark then shows it as
    # typed): the apostrophe, the dot, the comma, the colon, the brackets, the star of a cell.
    assert _check().render_markdown() == "\n".join(
        [
            "**2 réponses hors de l\\'échelle 1 à 5\\.**",
            "- Lignes 2 et 5 — Colonne \\: conf\\_1 \\(E\\)",
            "- ligne 2\\, colonne conf\\_1 \\(E\\) \\: « 6 »",
            "- ligne 5\\, colonne conf\\_1 \\(E\\) \\: « \\* »",
            "- Que faire \\: Corrigez les valeurs puis importez à nouveau\\.",
        ]
    )
