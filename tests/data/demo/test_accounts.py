"""The demo accounts."""

from __future__ import annotations

import pandas as pd

from data.config import AppConfig


def test_demo_users(config: AppConfig, demo: dict[str, pd.DataFrame]) -> None:
    users = demo["user_account"]
    assert users["role"].value_counts().to_dict() == {"binome": 6, "lead": 1, "funder": 1}
    binomes = users[users["role"] == "binome"]
    assert binomes["email"].tolist() == [f"binome.{t.id}@tec-demo.fr" for t in config.territories]
    assert users["password_hash"].isna().all()
    assert users["active"].all()
