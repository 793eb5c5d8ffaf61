"""The demo accounts: one lead, one binôme per territory and one funder, and their passwords
(published in the README: demo data only)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from data.demo.plan import Plan
from data.demo.tables import Tables
from data.services.passwords import hash_password

DEMO_EMAIL_DOMAIN = "tec-demo.fr"
LEAD_ID = 1  # the lead's account comes first; it approves every demo journal
DEMO_PASSWORDS = {
    "lead": "pilotage-demo-2026",
    "binome": "binome-demo-2026",
    "funder": "financeur-demo-2026",
}


def add_accounts(tables: Tables, plans: list[Plan], end_month: dt.date) -> None:
    """Add the demo accounts of the territories ``plans`` to the ``user_account`` table, without
    passwords; each is created on its territory's start date (lead and funder: the first one,
    or ``end_month`` without territories)."""
    first_start = min((p.start for p in plans), default=end_month)
    emails = [f"direction@{DEMO_EMAIL_DOMAIN}"]
    names = ["Cécile — pilotage TEC"]
    roles = ["lead"]
    territories: list[str | None] = [None]
    created = [np.datetime64(first_start, "D")]
    for plan in plans:
        emails.append(f"binome.{plan.id}@{DEMO_EMAIL_DOMAIN}")
        names.append(f"Binôme {plan.name} — {plan.kiif}")
        roles.append("binome")
        territories.append(plan.id)
        created.append(np.datetime64(plan.start, "D"))
    emails.append(f"financeur@{DEMO_EMAIL_DOMAIN}")
    names.append("Financeur — collectif Territoires d'engagement")
    roles.append("funder")
    territories.append(None)
    created.append(np.datetime64(first_start, "D"))
    count = len(emails)
    tables["user_account"].add(
        id=np.arange(LEAD_ID, LEAD_ID + count),
        email=emails,
        display_name=names,
        role=roles,
        territory_id=np.array(territories, dtype=object),
        password_hash=np.full(count, None, dtype=object),
        active=np.ones(count, bool),
        created_at=np.array(created, dtype="datetime64[D]").astype("datetime64[s]")
        + np.timedelta64(9, "h"),
    )


def with_demo_passwords(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Set each demo account's password. One argon2 hash per role, shared by that role's
    accounts: hashing is deliberately slow and the benchmarks create a thousand binômes."""
    hashes = {role: hash_password(password) for role, password in DEMO_PASSWORDS.items()}
    users = frames["user_account"].copy()
    users["password_hash"] = users["role"].map(hashes)
    return {**frames, "user_account": users}
