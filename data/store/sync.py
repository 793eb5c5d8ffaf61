"""Bring the configured programme, stage model and territories into the database.

Run by ``cooperascope db upgrade`` after the migrations, so a new database knows the programme
without any demo data. Rows are upserted; only real changes are written (and audited).

The sectors and resource types of ``survey.yaml`` are also CHECK constraints of the schema
(``models.SECTORS``, ``models.RESOURCE_TYPES``): a configuration whose ids differ is refused
here, before any import would fail on them.
"""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from data.config import AppConfig, ConfigError
from data.store import models
from data.store.engine import session_scope


def sync_config(engine: Engine, config: AppConfig, actor: str = "config") -> int:
    """Upsert the configuration rows; return how many rows were inserted or changed.

    Every programme of ``config/programmes/`` is written, with its stage model and its
    territories; a programme whose file is absent is left as it is. A territory the database
    holds for a configured programme but its file no longer names is deleted when it has no
    data, and refused (``ConfigError``, nothing written) when it has some. Also refused: the
    sectors or resource types of ``survey.yaml`` not those of the schema."""
    require_schema_vocabulary(config)
    models_used = {config.reference_model.id: config.reference_model}
    models_used.update({p.stage_model.id: p.stage_model for p in config.programmes})
    wanted: list[models.Base] = [
        *(
            row
            for model in models_used.values()
            for row in (
                models.StageModelRow(id=model.id, name=model.name),
                *(
                    models.StageRow(
                        stage_model_id=model.id,
                        id=stage.id,
                        rank=rank,
                        label=stage.label,
                        judged_as=stage.judged_as,
                    )
                    for rank, stage in enumerate(model.stages, start=1)
                ),
            )
        ),
        *(
            models.Programme(
                id=p.id,
                name=p.programme.name,
                short_name=p.programme.short_name,
                stage_model_id=p.stage_model.id,
                duration_months=p.programme.duration_months,
                survey_interval_months=p.programme.survey_interval_months,
                binomes_see_other_territories=p.programme.binomes_see_other_territories,
            )
            for p in config.programmes
        ),
        *(
            models.Territory(
                id=t.id,
                programme_id=p.id,
                name=t.name,
                region=t.region,
                department=t.department,
                start_date=t.start_date,
                binome_foundation_officer=t.binome.foundation_officer,
                binome_kiif_member=t.binome.kiif_member,
            )
            for p in config.programmes
            for t in p.territories
        ),
    ]
    with session_scope(engine, actor) as session:
        removed = _removed_territories(session, config)
        for row in wanted:
            session.merge(row)
            session.flush()
        for territory in removed:
            session.delete(territory)
        session.flush()
        return int(session.info.get("audit_rows", 0))


def _removed_territories(session: Session, config: AppConfig) -> list[models.Territory]:
    """Territories of configured programmes that their files no longer name (to delete);
    raises ``ConfigError`` in French when one of them has data."""
    named = {t.id for t in config.territories}
    rows = session.scalars(
        select(models.Territory).where(
            models.Territory.programme_id.in_([p.id for p in config.programmes]),
            models.Territory.id.not_in(named),
        )
    ).all()
    if not rows:
        return []
    held = {row.id: [what for what, count in _data_of(session, row.id) if count] for row in rows}
    kept = [
        f"« {row.id} » ({row.name}, programme « {row.programme_id} ») : {', '.join(held[row.id])}"
        for row in rows
        if held[row.id]
    ]
    if kept:
        raise ConfigError(
            "Territoire(s) retiré(s) de la configuration mais qui ont des données :\n"
            + "\n".join(f"  {line}" for line in kept)
            + "\nRemettez-les dans le fichier de leur programme (config/programmes/) : un "
            "territoire qui a des données n'est jamais supprimé par « cooperascope db upgrade »."
        )
    return list(rows)


# Tables whose rows are a territory's data (a territory holding some is never deleted), and
# what they are called in the refusal.
_TERRITORY_DATA = {
    models.Actor: "acteurs",
    models.SurveyWave: "vagues d'enquête",
    models.Journal: "journaux",
    models.JointAction: "actions communes",
    models.CoordinationFunding: "financements",
    models.ImportReport: "imports de fichiers",
    models.UserAccount: "comptes",
}


def _data_of(session: Session, territory_id: str) -> list[tuple[str, int]]:
    return [
        (
            name,
            session.scalar(
                select(func.count()).select_from(table).where(table.territory_id == territory_id)
            )
            or 0,
        )
        for table, name in _TERRITORY_DATA.items()
    ]


def require_schema_vocabulary(config: AppConfig) -> None:
    """Raise ``ConfigError`` in French, naming the ids that differ, unless the sectors and the
    resource types of ``survey.yaml`` are those the schema's CHECK constraints allow."""
    differences = [
        line
        for what, configured, schema in (
            ("secteurs", config.survey.sectors, models.SECTORS),
            ("types de ressources", config.survey.resource_types, models.RESOURCE_TYPES),
        )
        if (line := _difference(what, [item.id for item in configured], schema))
    ]
    if differences:
        raise ConfigError(
            f"{config.directory / 'survey.yaml'} ne correspond pas au schéma de la base :\n"
            + "\n".join(f"  {line}" for line in differences)
            + "\nLes secteurs et les types de ressources sont des contraintes du schéma "
            "(data/store/models.py) : les changer demande une migration du schéma (une "
            "nouvelle révision Alembic) avant de relancer « cooperascope db upgrade »."
        )


def _difference(what: str, configured: list[str], schema: tuple[str, ...]) -> str | None:
    """« secteurs : « x » absent(s) du schéma ; « y » absent(s) de survey.yaml », or None."""
    unknown = [i for i in configured if i not in schema]
    missing = [i for i in schema if i not in configured]
    parts = [
        f"{', '.join(f'« {i} »' for i in ids)} {where}"
        for ids, where in ((unknown, "absent(s) du schéma"), (missing, "absent(s) de survey.yaml"))
        if ids
    ]
    return f"{what} : " + " ; ".join(parts) if parts else None
