"""Coopérascope's indicator library: pure functions over pandas DataFrames.

No database and no Streamlit here. The public entry points:

- ``indicators.frames.Frames``: the input bundle (``Frames.empty()``, ``Frames.build(...)``).
- ``indicators.prepare.prepare(frames)``: shared intermediates (nodes, L(i→j), pairs, factor
  scores, trust, dropped ratings), vectorised over every territory and wave.
- ``indicators.registry.registry()``: the registered indicator functions by id.
- ``indicators.catalogue.load_catalogue()`` / ``check_registry()``: ``config/indicators.yaml``.
- ``indicators.compute.compute_long(...)``: the long table territory × month × indicator.
- ``indicators.stage.infer_stage(...)`` / ``infer_stages(long, catalogue)``: stage inference.
- ``indicators.bands.band_status(...)``: status of one value for a territory's stage.
"""
