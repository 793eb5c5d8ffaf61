"""Passwords of the demo accounts (published in the README: demo data only)."""

from __future__ import annotations

import pandas as pd

from data.services.passwords import hash_password

DEMO_PASSWORDS = {
    "lead": "pilotage-demo-2026",
    "binome": "binome-demo-2026",
    "funder": "financeur-demo-2026",
}


def with_demo_passwords(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Set each demo account's password. One argon2 hash per role, shared by that role's
    accounts: hashing is deliberately slow and the benchmarks create a thousand binômes."""
    hashes = {role: hash_password(password) for role, password in DEMO_PASSWORDS.items()}
    users = frames["user_account"].copy()
    users["password_hash"] = users["role"].map(hashes)
    return {**frames, "user_account": users}
