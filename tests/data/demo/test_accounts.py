"""The demo accounts."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig


def test_demo_users(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    users = demo["user_account"]
    # One binôme per configured territory (6 + 2 + 10), the leads of TEC and of Faire ensemble,
    # the funders of TEC and of both (data/demo/accounts.py).
    assert users["role"].value_counts().to_dict() == {"binome": 18, "lead": 2, "funder": 2}
    links = demo["account_programme"].merge(users, left_on="account_id", right_on="id")
    assert sorted(zip(links["email"], links["programme_id"], strict=True)) == [
        ("direction@tec-demo.fr", "tec"),
        ("financeur.collectif@tec-demo.fr", "faire-ensemble"),
        ("financeur.collectif@tec-demo.fr", "tec"),
        ("financeur@tec-demo.fr", "tec"),
        ("pilotage.fonda@tec-demo.fr", "faire-ensemble"),
    ]
    binomes = users[users["role"] == "binome"]
    assert binomes["email"].tolist() == [f"binome.{t.id}@tec-demo.fr" for t in config.territories]
    assert users["password_hash"].isna().all()
    assert users["active"].all()
