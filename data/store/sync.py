"""Bring the configured programme, stage model and territories into the database.

Run by ``cooperascope db upgrade`` after the migrations, so a new database knows the programme
without any demo data. Rows are upserted; only real changes are written (and audited).
"""

from __future__ import annotations

from sqlalchemy import Engine

from data.config import AppConfig
from data.store import models
from data.store.engine import session_scope


def sync_config(engine: Engine, config: AppConfig, actor: str = "config") -> int:
    """Upsert the configuration rows; return how many rows were inserted or changed."""
    model = config.stage_model
    wanted: list[models.Base] = [
        models.StageModelRow(id=model.id, name=model.name),
        *(
            models.StageRow(stage_model_id=model.id, id=stage.id, rank=rank, label=stage.label)
            for rank, stage in enumerate(model.stages, start=1)
        ),
        models.Programme(
            id=config.programme.id,
            name=config.programme.name,
            stage_model_id=model.id,
            duration_months=config.programme.duration_months,
        ),
        *(
            models.Territory(
                id=t.id,
                programme_id=config.programme.id,
                name=t.name,
                region=t.region,
                department=t.department,
                start_date=t.start_date,
                binome_foundation_officer=t.binome.foundation_officer,
                binome_kiif_member=t.binome.kiif_member,
            )
            for t in config.territories
        ),
    ]
    with session_scope(engine, actor) as session:
        for row in wanted:
            session.merge(row)
            session.flush()
        return int(session.info.get("audit_rows", 0))
