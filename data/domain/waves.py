"""Survey wave numbers: 0 at a territory's start, then about one every six months (a
three-year programme has seven). One bound for the command line, the Import page, the import
and the database's CHECK: it leaves room for any real programme and keeps every number a small
integer on both databases."""

from __future__ import annotations

FIRST_WAVE = 0
LAST_WAVE = 999
WAVE_HINT = (
    f"Les vagues sont numérotées de {FIRST_WAVE} à {LAST_WAVE} : {FIRST_WAVE} au démarrage, "
    "puis environ une tous les six mois."
)


def invalid_wave(number: int | None) -> str | None:
    """Why ``number`` is not a wave number, as a French sentence; ``None`` when it is one."""
    if number is None:
        return "Numéro de vague manquant."
    if not FIRST_WAVE <= number <= LAST_WAVE:
        return f"Numéro de vague invalide : {number}."
    return None
