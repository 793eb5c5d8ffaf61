"""The demo: a seeded, deterministic three-year history of believable cooperation stories, and
its loading into a database.

- :mod:`~data.demo.generator` — :func:`generate_demo`, the orchestration: one frame per table;
- :mod:`~data.demo.load` — :func:`load_demo` (one transaction) and :func:`database_is_empty`;
- :mod:`~data.demo.accounts` — the demo accounts and their published passwords;
- :mod:`~data.demo.plan`, :mod:`~data.demo.stories` and :mod:`~data.demo.history` — each
  territory's plan, latent maturity curve, and what its draws share;
- :mod:`~data.demo.actors`, :mod:`~data.demo.survey`, :mod:`~data.demo.journal`,
  :mod:`~data.demo.actions` — the draws, one family of tables each;
- :mod:`~data.demo.vocabulary` and :mod:`~data.demo.narratives` — the French word lists;
- :mod:`~data.demo.tables` and :mod:`~data.demo.month_indexes` — frame assembly and month
  arithmetic.

Import rules: the package may import :mod:`data.config` and :mod:`data.domain`; only
:mod:`~data.demo.load` imports :mod:`data.store` (SQLAlchemy) and only
:mod:`~data.demo.accounts` imports :mod:`data.services` (password hashing). Generating a demo
never touches a database. Nothing here imports ``dashboard`` or ``indicators``.
"""
