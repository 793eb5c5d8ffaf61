"""The Frames bundle."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from indicators.frames import SCHEMA, Frames, empty_frame


def test_empty_frames_are_typed():
    frames = Frames.empty()
    for name, columns in SCHEMA.items():
        frame = getattr(frames, name)
        assert len(frame) == 0
        assert list(frame.columns) == list(columns)
        assert {c: str(frame[c].dtype) for c in columns} == columns


def test_missing_column_is_named():
    with pytest.raises(ValueError, match=r"Frames\.ratings lacks column\(s\): level"):
        Frames.build(ratings=empty_frame("ratings").drop(columns="level"))


def test_build_fills_the_frames_not_given_and_rejects_unknown_ones():
    actors = pd.DataFrame(
        {"territory_id": ["t"], "actor_id": [1], "org_id": ["a"], "sector": ["autre"]}
    )
    frames = Frames.build(actors=actors)
    assert len(frames.actors) == 1 and len(frames.waves) == 0
    with pytest.raises(TypeError, match="unknown frame"):
        Frames.build(actor=actors)


def test_frames_are_frozen():
    frames = Frames.empty()
    with pytest.raises(dataclasses.FrozenInstanceError):
        frames.actors = empty_frame("actors")  # type: ignore[misc]
    replaced = frames.replace(
        waves=pd.DataFrame({"territory_id": ["t"], "wave_id": [1], "number": [0]})
    )
    assert len(replaced.waves) == 1 and len(frames.waves) == 0
