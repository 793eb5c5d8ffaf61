"""Read a query's rows into a typed DataFrame without building a Python object per value.

Going through the DB-API costs a tuple per row and a Python object per value; at a thousand
territories (9.7 million roster ratings) that was most of a full indicator compute. Here the
database renders the rows as CSV text and pyarrow's C++ CSV reader parses it into columns:

- **SQLite**: one ``group_concat`` of the rows, computed inside a single ``sqlite3_step`` (the
  GIL is released meanwhile, so another thread can compute while a batch is read);
- **PostgreSQL**: ``COPY (query) TO STDOUT WITH (FORMAT csv)`` on the caller's connection, so in
  its transaction.

Integers, strings and dates are supported (a float column is read through the DB-API, since
SQLite 3.40 prints REAL values with 15 significant digits only). Strings are quoted, so commas,
quotes and line breaks survive; an unquoted empty field is NULL, a quoted one the empty string.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Select, Text, cast, func, literal_column, select
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Subquery

# Dtypes of ``indicators.frames.SCHEMA`` this reader produces (others go through the DB-API).
INTEGER_DTYPES = frozenset({"int64", "Int64"})
DATE_DTYPES = frozenset({"datetime64[s]"})
STRING_DTYPES = frozenset({"str"})
SUPPORTED_DTYPES = INTEGER_DTYPES | DATE_DTYPES | STRING_DTYPES


def supports(connection: Connection, schema: Mapping[str, str]) -> bool:
    """Whether ``read_frame`` can read these columns on this connection's database."""
    return (
        connection.dialect.name in ("sqlite", "postgresql")
        and len(schema) >= 2  # a one-column row of NULL would be an empty, skipped, CSV line
        and all(dtype in SUPPORTED_DTYPES for dtype in schema.values())
    )


def read_frame(connection: Connection, query: Select, schema: Mapping[str, str]) -> pd.DataFrame:  # type: ignore[type-arg]
    """The rows of ``query`` (whose columns are labelled as ``schema``'s keys) as a DataFrame
    with ``schema``'s dtypes, in the caller's transaction."""
    if connection.dialect.name == "sqlite":
        data = _sqlite_csv(connection, query, schema)
    else:
        data = _postgresql_csv(connection, query)
    return _parse(data, schema)


def read_integer_groups(
    connection: Connection,
    query: Select,  # type: ignore[type-arg]
    group: str,
    code: Callable[[Subquery], ColumnElement[int]],
) -> list[tuple[str, np.ndarray]]:
    """For each value of ``query``'s string column ``group``, the values in its rows of the
    non-null integer expression ``code`` builds over ``query``'s subquery.

    Each group's integers come as one text, so a string repeated on millions of rows (a Likert
    item) travels once per group instead of once per row. SQLite and PostgreSQL only."""
    subquery = query.subquery("q")
    if connection.dialect.name == "sqlite":
        aggregate = func.group_concat(code(subquery), "\n")
    else:
        aggregate = func.string_agg(cast(code(subquery), Text), "\n")
    rows = connection.execute(
        select(subquery.c[group], aggregate).select_from(subquery).group_by(subquery.c[group])
    ).all()
    return [
        (key, _parse(text.encode(), {"code": "int64"})["code"].to_numpy()) for key, text in rows
    ]


def _sqlite_csv(connection: Connection, query: Select, schema: Mapping[str, str]) -> bytes:  # type: ignore[type-arg]
    subquery = query.subquery("q")
    fields = []
    for name in schema:
        field = f'q."{name}"'
        if schema[name] in STRING_DTYPES:  # quoted, inner quotes doubled
            field = f"'\"' || replace({field}, '\"', '\"\"') || '\"'"
        if getattr(subquery.c[name], "nullable", True):  # NULL: an unquoted empty field
            field = f"ifnull({field}, '')"
        fields.append(field)
    row = " || ',' || ".join(fields)
    text = connection.execute(
        select(literal_column(f"group_concat({row}, char(10))")).select_from(subquery)
    ).scalar()
    return b"" if text is None else text.encode()


def _postgresql_csv(connection: Connection, query: Select) -> bytes:  # type: ignore[type-arg]
    compiled = query.compile(
        dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
    )
    raw = connection.connection.driver_connection
    chunks: list[bytes] = []
    statement = f"COPY ({compiled}) TO STDOUT WITH (FORMAT csv)"
    with raw.cursor() as cursor, cursor.copy(statement, compiled.params) as copy:  # type: ignore[union-attr]
        chunks.extend(bytes(chunk) for chunk in copy)
    return b"".join(chunks)


def _parse(data: bytes, schema: Mapping[str, str]) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    if not data:
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in schema.items()})
    arrow_types = {
        name: pa.int64()
        if dtype in INTEGER_DTYPES
        else pa.timestamp("s")
        if dtype in DATE_DTYPES
        else pa.string()
        for name, dtype in schema.items()
    }
    has_strings = any(dtype in STRING_DTYPES for dtype in schema.values())
    table = pcsv.read_csv(
        pa.py_buffer(data),
        read_options=pcsv.ReadOptions(column_names=list(schema), block_size=1 << 24),
        parse_options=pcsv.ParseOptions(newlines_in_values=has_strings),
        convert_options=pcsv.ConvertOptions(
            column_types=arrow_types,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
        ),
    )
    frame = table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return frame.astype(dict(schema))
