"""The columnar reader: rows rendered as CSV by the database and parsed by pyarrow must come
back exactly as they were stored. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    select,
)

from data.store import columnar

metadata = MetaData()
sample = Table(
    "columnar_sample",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(100), nullable=True),
    Column("amount", BigInteger, nullable=True),
    Column("day", Date, nullable=False),
    Column("ratio", Float, nullable=True),
)

# Strings that CSV, SQL quoting or a line-based reader could mangle.
ROWS = [
    {"id": 1, "label": "plain", "amount": 3, "day": dt.date(2026, 1, 1)},
    {"id": 2, "label": 'with "quotes", and a comma', "amount": None, "day": dt.date(2026, 2, 1)},
    {"id": 3, "label": "two\nlines\r\nand CRLF", "amount": -7, "day": dt.date(2025, 12, 31)},
    {"id": 4, "label": "", "amount": 0, "day": dt.date(2024, 2, 29)},  # empty, not NULL
    {"id": 5, "label": None, "amount": 2**62, "day": dt.date(2026, 11, 1)},
    {"id": 6, "label": "Collectivité — « élus » 🤝", "amount": 1, "day": dt.date(2026, 3, 1)},
    {"id": 7, "label": "NULL", "amount": 5, "day": dt.date(2026, 4, 1)},
    {"id": 8, "label": '"', "amount": 6, "day": dt.date(2026, 5, 1)},
    {"id": 9, "label": "  spaces  ", "amount": 7, "day": dt.date(2026, 6, 1)},
]
SCHEMA = {"id": "int64", "label": "str", "amount": "Int64", "day": "datetime64[s]"}


@pytest.fixture
def filled(engine: Engine) -> Engine:
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(insert(sample), [{**row, "ratio": 0.5} for row in ROWS])
    return engine


def _query():  # type: ignore[no-untyped-def]
    return select(sample.c.id, sample.c.label, sample.c.amount, sample.c.day).order_by(sample.c.id)


def test_every_value_comes_back_as_stored(filled: Engine) -> None:
    with filled.connect() as connection:
        assert columnar.supports(connection, SCHEMA)
        frame = columnar.read_frame(connection, _query(), SCHEMA)
    frame = frame.sort_values("id").reset_index(drop=True)
    assert frame["id"].tolist() == [row["id"] for row in ROWS]
    labels = [None if pd.isna(v) else v for v in frame["label"]]
    assert labels == [row["label"] for row in ROWS]
    amounts = [None if v is pd.NA else int(v) for v in frame["amount"]]
    assert amounts == [row["amount"] for row in ROWS]
    assert [d.date() for d in frame["day"]] == [row["day"] for row in ROWS]
    assert frame.dtypes.astype(str).to_dict() == {
        "id": "int64",
        "label": "str",
        "amount": "Int64",
        "day": "datetime64[s]",
    }


def test_no_rows_give_an_empty_frame_with_the_schema(filled: Engine) -> None:
    with filled.connect() as connection:
        frame = columnar.read_frame(connection, _query().where(sample.c.id > 100), SCHEMA)
    assert len(frame) == 0
    assert list(frame.columns) == list(SCHEMA)
    assert frame["amount"].dtype == "Int64"


def test_float_and_single_columns_are_left_to_the_db_api(filled: Engine) -> None:
    # SQLite 3.40 prints REAL with 15 significant digits; a one-column NULL row would be an
    # empty CSV line.
    with filled.connect() as connection:
        assert not columnar.supports(connection, {"id": "int64", "ratio": "float64"})
        assert not columnar.supports(connection, {"id": "int64"})


def test_integer_groups_carry_each_groups_integers(filled: Engine) -> None:
    with filled.connect() as connection:
        groups = columnar.read_integer_groups(
            connection,
            select(sample.c.id, sample.c.label, sample.c.amount)
            .where(sample.c.amount.is_not(None))
            .where(sample.c.label.is_not(None)),
            "label",
            lambda q: q.c.id * 10 + q.c.amount % 10,
        )
    found = {label: sorted(values.tolist()) for label, values in groups}
    # id × 10 + (amount mod 10) for the rows with a label and an amount; SQL's -7 % 10 is -7,
    # so row 3 gives 30 - 7 = 23.
    assert found == {
        "plain": [13],
        "two\nlines\r\nand CRLF": [23],
        "": [40],
        "Collectivité — « élus » 🤝": [61],
        "NULL": [75],
        '"': [86],
        "  spaces  ": [97],
    }
    assert all(values.dtype == np.int64 for _, values in groups)
