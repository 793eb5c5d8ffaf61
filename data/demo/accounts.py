"""The demo accounts: a lead and a funder of TEC, a lead of Faire ensemble, a funder of both,
one binôme per territory, and their passwords (published in the README: demo data only)."""

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


# The demo's leads and funders besides the binômes: (e-mail, name, role, programmes), the
# first of them the lead who approves every demo journal (LEAD_ID).
DEMO_STAFF = (
    (f"direction@{DEMO_EMAIL_DOMAIN}", "Cécile — pilotage TEC", "lead", ("tec",)),
    (
        f"pilotage.fonda@{DEMO_EMAIL_DOMAIN}",
        "Julien — pilotage Faire ensemble",
        "lead",
        ("faire-ensemble",),
    ),
    (f"financeur@{DEMO_EMAIL_DOMAIN}", "Financeur — programme TEC", "funder", ("tec",)),
    (
        f"financeur.collectif@{DEMO_EMAIL_DOMAIN}",
        "Financeur — collectif Territoires d'engagement",
        "funder",
        ("tec", "faire-ensemble"),
    ),
)


def add_accounts(tables: Tables, plans: list[Plan], end_month: dt.date) -> None:
    """Add the demo accounts to the ``user_account`` table, without passwords: the leads and
    funders of :data:`DEMO_STAFF` (created on the first territory's start date, or
    ``end_month`` without territories) and a binôme per territory of ``plans`` (created on
    its start date); and the leads' and funders' programmes to ``account_programme``."""
    first_start = min((p.start for p in plans), default=end_month)
    staff_ids = np.arange(LEAD_ID, LEAD_ID + len(DEMO_STAFF))
    emails = [email for email, *_ in DEMO_STAFF]
    names = [name for _, name, *_ in DEMO_STAFF]
    roles = [role for _, _, role, _ in DEMO_STAFF]
    territories: list[str | None] = [None] * len(DEMO_STAFF)
    created = [np.datetime64(first_start, "D")] * len(DEMO_STAFF)
    for plan in plans:
        emails.append(f"binome.{plan.id}@{DEMO_EMAIL_DOMAIN}")
        names.append(f"Binôme {plan.name} — {plan.kiif}")
        roles.append("binome")
        territories.append(plan.id)
        created.append(np.datetime64(plan.start, "D"))
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
        all_programmes=np.zeros(count, bool),
    )
    tables["account_programme"].add(
        account_id=[int(i) for i, (*_, ps) in zip(staff_ids, DEMO_STAFF, strict=True) for _ in ps],
        programme_id=[p for *_, ps in DEMO_STAFF for p in ps],
    )


def with_demo_passwords(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Set each demo account's password. One argon2 hash per role, shared by that role's
    accounts: hashing is deliberately slow and the benchmarks create a thousand binômes."""
    hashes = {role: hash_password(password) for role, password in DEMO_PASSWORDS.items()}
    users = frames["user_account"].copy()
    users["password_hash"] = users["role"].map(hashes)
    return {**frames, "user_account": users}
