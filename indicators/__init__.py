"""Coopérascope's indicator library: pure functions over pandas DataFrames.

No database, no Streamlit and no configuration reading here: this package imports neither
``data`` nor ``dashboard`` (a test checks it). It is given its definitions — a
``Catalogue``, read from ``config/indicators.yaml`` by ``data.config.load_catalogue`` — and
the data. The public entry points:

- ``indicators.frames.Frames``: the input bundle (``Frames.empty()``, ``Frames.build(...)``).
- ``indicators.prepare.prepare(frames, factors, stage_milestones)``: shared intermediates
  (nodes, L(i→j), pairs, factor scores, trust, dropped ratings), vectorised over every
  territory and wave.
- ``indicators.registry.registry()``: the registered indicator functions by id.
- ``indicators.catalogue.Catalogue`` (with the schema of ``indicators.yaml``) /
  ``check_registry()``: the definitions and their match with the functions.
- ``indicators.compute.compute_long(...)``: the long table territory × month × indicator.
- ``indicators.stage.infer_stage(...)`` / ``infer_stages(long, catalogue)``: stage inference.
- ``indicators.bands.band_status(...)``: status of one value for a territory's stage.
"""
