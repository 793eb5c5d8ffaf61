"""Administration (programme leads): accounts, roles and territories."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, reads
from dashboard.layout import data_grid
from dashboard.pickers import territory_names
from data import fr, labels
from data.config import get_config
from data.services.accounts import (
    AccountError,
    create_account,
    set_active,
    set_password,
    unlock_account,
)

scope = auth.scope()
config = get_config()
territories = reads.territories(scope)
names = territory_names(territories)
programme_of = dict(zip(territories["territory_id"], territories["programme_id"], strict=True))
# The programmes this lead may give an account: those of its scope.
offered = [p.id for p in config.programmes if scope.can_see_programme(p.id)]


def _short(programme_id: str) -> str:
    return config.programme(programme_id).short_name


def _yes(programme_id: str) -> str:
    return (
        "oui" if config.programme(programme_id).programme.binomes_see_other_territories else "non"
    )


def _programmes(row: pd.Series) -> str:
    """« tous », the programmes of a lead or a funder, or a binôme's territory's."""
    if row["all_programmes"]:
        return "tous"
    if isinstance(row["territory_id"], str):
        return _short(programme_of[row["territory_id"]])
    return ", ".join(_short(p) for p in row["programmes"].split(", ") if p) or "–"


st.title("Administration")

st.subheader("Comptes")
accounts = reads.accounts(scope)
data_grid(
    pd.DataFrame(
        {
            "E-mail": accounts["email"],
            "Nom": accounts["display_name"],
            "Rôle": accounts["role"].map(labels.ROLE),
            "Territoire": accounts["territory_id"].map(names).fillna("–"),
            "Programmes": [_programmes(row) for _, row in accounts.iterrows()],
            "État": [
                "désactivé"
                if not active
                else (f"verrouillé sur {locked} poste(s)" if locked else "actif")
                for active, locked in zip(
                    accounts["active"], accounts["locked_clients"], strict=True
                )
            ],
            "Créé le": [fr.date(pd.Timestamp(c).date()) for c in accounts["created_at"]],
        }
    ),
    hide_index=True,
    width="stretch",
)

with st.form("new_account", clear_on_submit=True):
    st.markdown("**Créer un compte**")
    left, right = st.columns(2)
    email = left.text_input("E-mail", key="admin_email")
    display_name = right.text_input("Nom affiché", key="admin_name")
    role = left.selectbox(
        "Rôle", list(labels.ROLE), format_func=labels.ROLE.__getitem__, key="admin_role"
    )
    territory = right.selectbox(
        "Territoire (binôme uniquement)",
        [None, *names],
        format_func=lambda t: "–" if t is None else names[t],
        key="admin_territory",
    )
    programmes = left.multiselect(
        "Programmes suivis ou financés (pilotage, financeur)",
        offered,
        format_func=_short,
        key="admin_programmes",
        placeholder="Choisissez un ou plusieurs programmes",
    )
    all_programmes = right.checkbox(
        "Pilotage de tous les programmes, présents et à venir",
        key="admin_all_programmes",
        disabled=scope.programmes is not None,
    )
    password = st.text_input("Mot de passe initial (10 caractères au moins)", type="password")
    if st.form_submit_button("Créer le compte", type="primary"):
        try:
            create_account(
                reads.engine(),
                scope,
                email,
                display_name,
                role,
                territory,
                password,
                programmes=programmes,
                all_programmes=all_programmes,
            )
        except ValueError as error:
            st.error(str(error))
        else:
            reads.clear()
            st.success(f"Compte créé pour {email}.")

# Those the lead may change: not an account that reaches a programme beyond its own.
manageable = accounts[accounts["manageable"]]
emails = dict(zip(manageable["id"], manageable["email"], strict=True))
if emails:
    st.markdown("**Modifier un compte**")
    chosen = st.selectbox("Compte", list(emails), format_func=emails.__getitem__, key="admin_pick")
    row = accounts.set_index("id").loc[chosen]
    left, right = st.columns(2)
    if left.button("Désactiver" if row["active"] else "Réactiver", key="admin_toggle"):
        try:
            set_active(reads.engine(), scope, int(chosen), not bool(row["active"]))
        except AccountError as error:
            st.error(str(error))
        else:
            reads.clear()
            st.rerun()
    if row["locked_clients"] and right.button("Débloquer", key="admin_unlock"):
        try:
            unlock_account(reads.engine(), scope, int(chosen))
        except AccountError as error:
            st.error(str(error))
        else:
            reads.clear()
            st.rerun()
    with st.form("new_password", clear_on_submit=True):
        new_password = st.text_input(
            "Nouveau mot de passe (10 caractères au moins ; ferme les sessions ouvertes)",
            type="password",
            key="admin_new_password",
        )
        if st.form_submit_button("Changer le mot de passe"):
            try:
                set_password(reads.engine(), scope, int(chosen), new_password)
            except AccountError as error:
                st.error(str(error))
            else:
                st.success(f"Mot de passe changé pour {emails[chosen]}.")

st.subheader("Territoires")
st.caption(
    "Les programmes et leurs territoires viennent de la configuration (un fichier par "
    "programme dans config/programmes/) et sont écrits dans la base par « cooperascope db "
    "upgrade »."
)
data_grid(
    pd.DataFrame(
        {
            "Identifiant": territories["territory_id"],
            "Programme": territories["programme_id"].map(_short),
            "Territoire": territories["name"],
            "Région": territories["region"],
            "Début": [fr.date(d) for d in territories["start_date"]],
            "Fondation de France": territories["foundation_officer"],
            "Membre du Kiif": territories["kiif_member"],
        }
    ),
    hide_index=True,
    width="stretch",
)
st.caption(
    "Les binômes voient les indicateurs des autres territoires de leur programme : "
    + " ; ".join(f"{_short(p)} : {_yes(p)}" for p in offered)
    + " (réglage binomes_see_other_territories)."
)
