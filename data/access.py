"""Who may do what: roles, permissions, the one policy table, and the scope that checks them.

Every read and write takes a :class:`Scope`. A role is granted permissions in :data:`POLICY`
and nowhere else; code asks ``scope.can(Permission.X, territory_id)`` or
``scope.require(...)``, never which role the user has. To change what a role may do, edit
:data:`POLICY` and its test (``tests/data/test_access.py``).

Territory reach: a scope is either bound to one territory (a binôme) or not (leads, funders).
A bound scope's permissions hold for its own territory only; ``READ_OTHER_AGGREGATES`` lets
it read the indicators of other territories too (a programme setting for binômes).

Programme reach: a scope holds its permissions only within its programmes — a lead those it
leads (or all), a funder those it funds, a binôme its territory's. ``programmes`` names them
and ``territories`` lists their territories (None for both: every programme), resolved when
the user signs in (``data.services.sign_in``). A scope changes only accounts whose reach lies
within its own (:meth:`Scope.can_manage_account`).

Small groups: a value computed over fewer than :data:`MIN_GROUP_SIZE` people is withheld
from a scope without ``READ_SMALL_GROUPS`` by :func:`withhold_small_groups`, the one place
that does it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd


class Role(StrEnum):
    LEAD = "lead"
    BINOME = "binome"
    FUNDER = "funder"


class Permission(StrEnum):
    READ_OWN_DETAIL = "read_own_detail"  # journals, joint actions, stages of its territories
    READ_OTHER_AGGREGATES = "read_other_aggregates"  # indicators beyond a bound territory
    READ_UNAPPROVED = "read_unapproved"  # months not yet approved by a lead
    READ_SMALL_GROUPS = "read_small_groups"  # values computed over fewer than five people
    READ_NETWORK = "read_network"  # organisation-level survey answers: the network map
    READ_INTERNAL_NARRATIVE = "read_internal_narrative"  # a journal narrative marked internal
    READ_COMMENTS = "read_comments"  # the leads' review comments
    READ_IMPORT_REPORTS = "read_import_reports"  # files imported and their quality reports
    WRITE_TERRITORY = "write_territory"  # journal, survey and actors imports
    DISCUSS_MONTH = "discuss_month"  # comment on a territory's month, ask for its unlock
    REVIEW_MONTH = "review_month"  # approve, unlock a territory's month
    MANAGE_ACCOUNTS = "manage_accounts"


_EVERYTHING = frozenset(Permission)
POLICY: dict[Role, frozenset[Permission]] = {
    Role.LEAD: _EVERYTHING,
    Role.BINOME: _EVERYTHING
    - {Permission.READ_OTHER_AGGREGATES, Permission.REVIEW_MONTH, Permission.MANAGE_ACCOUNTS},
    Role.FUNDER: frozenset({Permission.READ_OWN_DETAIL, Permission.READ_OTHER_AGGREGATES}),
}
# Granted on top of POLICY by a programme setting (``binomes_see_other_territories``).
SETTING_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.BINOME: frozenset({Permission.READ_OTHER_AGGREGATES}),
}
# Roles whose accounts belong to one territory.
BOUND_ROLES = frozenset({Role.BINOME})

MIN_GROUP_SIZE = 5  # no value computed over fewer people reaches a scope without small groups
SMALL_GROUP_NOTE = "moins de 5 personnes : valeur non communiquée"

_REFUSALS: dict[Permission, str] = {
    Permission.READ_OWN_DETAIL: "consulter ce territoire",
    Permission.READ_OTHER_AGGREGATES: "consulter les indicateurs de ce territoire",
    Permission.READ_UNAPPROVED: "consulter un mois non approuvé",
    Permission.READ_SMALL_GROUPS: "consulter les valeurs des petits effectifs",
    Permission.READ_NETWORK: "consulter le réseau détaillé, qui n'est pas communiqué",
    Permission.READ_INTERNAL_NARRATIVE: "lire un récit interne au programme",
    Permission.READ_COMMENTS: "lire les commentaires de revue, internes au programme",
    Permission.READ_IMPORT_REPORTS: "consulter les imports, internes au programme",
    Permission.WRITE_TERRITORY: "modifier ce territoire",
    Permission.DISCUSS_MONTH: "écrire sur le mois de ce territoire",
    Permission.REVIEW_MONTH: "revoir ou approuver un mois, action réservée au pilotage",
    Permission.MANAGE_ACCOUNTS: "gérer les comptes, action réservée au pilotage",
}


class AccessDenied(PermissionError):
    """The user's scope does not allow this read or write."""


def requires_territory(role: Role | str) -> bool:
    """Whether an account of ``role`` belongs to exactly one territory."""
    return Role(role) in BOUND_ROLES


@dataclass(frozen=True)
class Scope:
    """A user's access: a role, its territory when the role is bound to one, and the
    permissions :data:`POLICY` (and the programme's settings) grant it."""

    role: Role
    territory_id: str | None = None
    user: str = "system"
    # Programme setting: binômes may read other territories' aggregated indicators.
    sees_other_aggregates: bool = False
    # The programmes the scope reaches and their territories (None: every programme).
    programmes: frozenset[str] | None = None
    territories: frozenset[str] | None = None
    grants: frozenset[Permission] = field(init=False)

    def __post_init__(self) -> None:
        role = Role(self.role)
        object.__setattr__(self, "role", role)
        if requires_territory(role) != (self.territory_id is not None):
            raise ValueError("a binôme scope has exactly one territory, other roles none")
        if (self.programmes is None) != (self.territories is None):
            raise ValueError("a scope's programmes and their territories go together")
        grants = POLICY[role]
        if self.sees_other_aggregates:
            grants = grants | SETTING_GRANTS.get(role, frozenset())
        object.__setattr__(self, "grants", grants)

    @classmethod
    def system(cls, user: str = "system") -> Scope:
        """Full access, for the command line run by an administrator (``user``: who, for the
        audit log)."""
        return cls(role=Role.LEAD, user=user)

    @property
    def bound(self) -> bool:
        """Whether the scope is bound to one territory (its own)."""
        return self.territory_id is not None

    def can(self, permission: Permission, territory_id: str | None = None) -> bool:
        """Whether the scope holds ``permission`` (for ``territory_id`` when given).

        A bound scope holds its permissions for its own territory; for another territory it
        holds only ``READ_OTHER_AGGREGATES`` when granted, which stands for reading that
        territory's aggregated indicators. No scope holds anything for a territory outside
        its programmes.
        """
        if permission not in self.grants:
            return False
        if territory_id is None:
            return True
        if self.territories is not None and territory_id not in self.territories:
            return False
        if not self.bound or territory_id == self.territory_id:
            return True
        return permission == Permission.READ_OTHER_AGGREGATES

    def can_see_programme(self, programme_id: str) -> bool:
        """Whether the programme is one of the scope's."""
        return self.programmes is None or programme_id in self.programmes

    def can_manage_account(
        self, territory_id: str | None, programmes: Iterable[str], all_programmes: bool
    ) -> bool:
        """Whether the scope may change an account (deactivate, unlock, set its password) of
        ``territory_id`` (a binôme's), ``programmes`` (a lead's or a funder's) or
        ``all_programmes``: only one whose reach lies within the scope's, since whoever sets
        an account's password holds its access."""
        if not self.can(Permission.MANAGE_ACCOUNTS, territory_id):
            return False
        if self.programmes is None:
            return True
        return not all_programmes and set(programmes) <= self.programmes

    def can_read_aggregates(self, territory_id: str) -> bool:
        """Indicators of ``territory_id``: its own, or any with ``READ_OTHER_AGGREGATES``."""
        return self.can(Permission.READ_OWN_DETAIL, territory_id) or self.can(
            Permission.READ_OTHER_AGGREGATES, territory_id
        )

    def require(self, permission: Permission, territory_id: str | None = None) -> None:
        """Raise :class:`AccessDenied` with a French message unless ``scope.can(...)``."""
        if not self.can(permission, territory_id):
            where = f" (territoire « {territory_id} »)" if territory_id else ""
            raise AccessDenied(
                f"Accès refusé : votre compte ne peut pas {_REFUSALS[permission]}{where}."
            )

    def reach(self, permission: Permission) -> frozenset[str] | None:
        """The territories a query must be restricted to for ``permission`` (None: every
        territory). :meth:`require` the permission first."""
        if self.bound and permission != Permission.READ_OTHER_AGGREGATES:
            return frozenset({self.territory_id or ""})
        return self.territories

    def aggregates_reach(self) -> frozenset[str] | None:
        """The territories an indicator read is restricted to (None: every territory)."""
        if self.can(Permission.READ_OTHER_AGGREGATES):
            return self.territories
        return self.reach(Permission.READ_OWN_DETAIL)


def withhold_small_groups(
    frame: pd.DataFrame,
    scope: Scope,
    *,
    small: pd.Series | None = None,
    columns: Iterable[str] = ("value", "n", "status"),
    note_column: str | None = "note",
) -> pd.DataFrame:
    """``frame`` with the rows of small groups withheld, unless the scope may read them.

    ``small`` marks the rows computed over fewer than :data:`MIN_GROUP_SIZE` people (default:
    the frame's ``low_n`` column). In those rows ``columns`` become missing — by default the
    value, its n and its status band, each of which would tell the value — and
    ``note_column`` (when given) says why, in French.
    """
    if scope.can(Permission.READ_SMALL_GROUPS):
        return frame
    hidden = (frame["low_n"] if small is None else small).astype(bool).to_numpy()
    out = frame.copy()
    for column in columns:
        if pd.api.types.is_integer_dtype(out[column]):
            out[column] = out[column].astype("Int64")
        out[column] = out[column].mask(hidden)
    if note_column is not None:
        out[note_column] = out[note_column].astype(object).mask(hidden, SMALL_GROUP_NOTE)
    return out
