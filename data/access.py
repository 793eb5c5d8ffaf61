"""Who may see what. Every query takes a :class:`Scope`; access is enforced in the data layer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["lead", "binome", "funder"]


class AccessDenied(PermissionError):
    """The user's scope does not allow this read or write."""


@dataclass(frozen=True)
class Scope:
    """A user's access scope: a role and, for a binôme, its territory."""

    role: Role
    territory_id: str | None = None
    user: str = "system"
    # Programme setting: binômes may read other territories' aggregated indicators.
    sees_other_aggregates: bool = False

    def __post_init__(self) -> None:
        if (self.role == "binome") != (self.territory_id is not None):
            raise ValueError("a binôme scope has exactly one territory, other roles none")

    @classmethod
    def system(cls) -> Scope:
        """Full access, for the command line run by an administrator."""
        return cls(role="lead", user="system")

    def can_read_territory(self, territory_id: str) -> bool:
        """Journals, survey rows, networks, imports: a binôme's own territory only."""
        return self.role != "binome" or territory_id == self.territory_id

    def can_read_aggregates(self, territory_id: str) -> bool:
        """Indicator values: a binôme's own territory, or all if the programme allows it."""
        return self.can_read_territory(territory_id) or self.sees_other_aggregates

    def require_read(self, territory_id: str) -> None:
        if not self.can_read_territory(territory_id):
            raise AccessDenied(
                "Accès refusé : votre compte ne peut pas consulter le territoire "
                f"« {territory_id} »."
            )

    def can_write_territory(self, territory_id: str) -> bool:
        return self.role == "lead" or (self.role == "binome" and territory_id == self.territory_id)

    def require_write(self, territory_id: str) -> None:
        if not self.can_write_territory(territory_id):
            raise AccessDenied(
                "Accès refusé : votre compte ne peut pas modifier le territoire "
                f"« {territory_id} »."
            )

    def require_lead(self) -> None:
        if self.role != "lead":
            raise AccessDenied("Accès refusé : action réservée à l'équipe de pilotage.")

    @property
    def approved_only(self) -> bool:
        """Funders read approved months only."""
        return self.role == "funder"
