"""The programme's rules, as pure functions over values and DataFrames: months, a territory's
journey, survey freshness, monthly alerts, changes between months, the factor profile, the
journal's checks, and the vocabulary of checks and reports (``checks``) and of stored values
(``vocabulary``).

May import ``data.access``, ``data.config``, ``data.fr``, ``data.labels`` and ``indicators``;
no SQLAlchemy, no Streamlit, no other ``data`` package.
"""
