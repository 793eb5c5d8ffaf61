"""Seeded, deterministic demo history: three years of believable cooperation stories.

:func:`generate_demo` is pure: it returns one :class:`pandas.DataFrame` per table of
:mod:`data.store.models` that it fills, with the model's column names and explicit integer primary
keys assigned from 1, so that foreign keys line up. :func:`load_demo` writes these frames into
a database in one transaction.

Every territory follows a latent *maturity* m(t) ∈ [0, 1] over the months since its start:

- ``grow``: a logistic rise reaching about 0.8–0.9 at 36 months, at varied speeds;
- ``stall``: a quick start that plateaus around 0.3 after month ~10 (« dynamique à l'arrêt »,
  a few missing journals);
- ``regress``: a rise to ~0.6 by month 18, the local facilitator leaves at month ~20, the
  cooperation falls back to ~0.35 and partly recovers late.

Survey answers (Likert, resources, roster), journals, events, joint actions and the funding of
the coordination are all drawn from m(t), so indicators computed on the demo tell the story.
Each territory draws from its own random stream (``SeedSequence(seed, spawn_key=(index,))``),
so a territory's history does not depend on how many territories are generated.

Column dtypes of the frames: integer keys ``int64`` (nullable ones ``Int64``), text ``str``,
``Date`` columns ``datetime64[s]`` (midnight), ``DateTime(timezone=True)`` columns
``datetime64[s, UTC]``, amounts ``float64`` (NaN = unknown).
"""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine, Integer, Table, func, select, text

from data.config import AppConfig
from data.store.audit import record
from data.store.bulk import CHUNK_ROWS, insert_frame
from data.store.models import Actor, Base

Progress = Callable[[str], None]

DEFAULT_SEED = 20261123
DEMO_EMAIL_DOMAIN = "tec-demo.fr"

# Share of each sector among a territory's actors (brief: association ~35 %, …).
SECTOR_SHARES: dict[str, float] = {
    "association": 0.35,
    "entreprise": 0.18,
    "collectivite": 0.15,
    "habitant": 0.15,
    "etat": 0.09,
    "autre": 0.08,
}

# How central each sector's organisations tend to be in a local cooperation.
_SECTOR_ACTIVITY: dict[str, float] = {
    "association": 0.15,
    "entreprise": -0.2,
    "collectivite": 0.25,
    "habitant": -0.1,
    "etat": 0.05,
    "autre": -0.15,
}

# ---------------------------------------------------------------------------------------------
# Word lists (user-visible, in French)
# ---------------------------------------------------------------------------------------------

# (commune as stored, place name used inside organisation names)
_CONFIGURED_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "roya": tuple((c, c) for c in ("Tende", "Breil-sur-Roya", "La Brigue", "Fontan", "Saorge")),
    "entre-deux-mers": tuple(
        (c, c) for c in ("Créon", "Targon", "Sauveterre-de-Guyenne", "Cadillac", "Langoiran")
    ),
    "forbach": tuple(
        (c, c)
        for c in ("Forbach", "Stiring-Wendel", "Behren-lès-Forbach", "Petite-Rosselle", "Schœneck")
    ),
    "nantes-qpv": (
        ("Nantes (Bellevue)", "Bellevue"),
        ("Nantes (Malakoff)", "Malakoff"),
        ("Nantes (Dervallières)", "Dervallières"),
    ),
    "aura": tuple((c, c) for c in ("Ambert", "Arlanc", "Cunlhat")),
    "haute-garonne": tuple((c, c) for c in ("Saint-Gaudens", "Montréjeau", "Aspet")),
}
_URBAN_TERRITORIES = frozenset({"nantes-qpv"})
_INTERCOS: dict[str, str] = {
    "roya": "Communauté d'agglomération de la Riviera française",
    "entre-deux-mers": "Communauté de communes du Créonnais",
    "forbach": "Communauté d'agglomération Forbach Porte de France",
    "nantes-qpv": "Nantes Métropole",
    "aura": "Communauté de communes Ambert Livradois Forez",
    "haute-garonne": "Communauté de communes Cœur et Coteaux du Comminges",
}
_GENERIC_PLACES = (
    "Saint-Martin",
    "Villeneuve",
    "Beaulieu",
    "Montagnac",
    "Fontaine",
    "Saint-Julien",
    "Châteauneuf",
    "Rochefort",
    "Champagnac",
    "La Chapelle",
    "Marcillac",
    "Saint-Pierre",
    "Sainte-Croix",
    "Bellegarde",
    "Montfort",
    "Le Vernet",
)
# (department, region, department with its article after "de")
_DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("Ardèche", "Auvergne-Rhône-Alpes", "de l'Ardèche"),
    ("Finistère", "Bretagne", "du Finistère"),
    ("Ardennes", "Grand Est", "des Ardennes"),
    ("Creuse", "Nouvelle-Aquitaine", "de la Creuse"),
    ("Ariège", "Occitanie", "de l'Ariège"),
    ("Mayenne", "Pays de la Loire", "de la Mayenne"),
    ("Hautes-Alpes", "Provence-Alpes-Côte d'Azur", "des Hautes-Alpes"),
    ("Jura", "Bourgogne-Franche-Comté", "du Jura"),
    ("Aisne", "Hauts-de-France", "de l'Aisne"),
    ("Cher", "Centre-Val de Loire", "du Cher"),
    ("Orne", "Normandie", "de l'Orne"),
    ("Cantal", "Auvergne-Rhône-Alpes", "du Cantal"),
    ("Vosges", "Grand Est", "des Vosges"),
    ("Landes", "Nouvelle-Aquitaine", "des Landes"),
    ("Lozère", "Occitanie", "de la Lozère"),
    ("Vendée", "Pays de la Loire", "de la Vendée"),
    ("Var", "Provence-Alpes-Côte d'Azur", "du Var"),
    ("Morbihan", "Bretagne", "du Morbihan"),
    ("Nord", "Hauts-de-France", "du Nord"),
    ("Seine-Saint-Denis", "Île-de-France", "de la Seine-Saint-Denis"),
    ("Corse-du-Sud", "Corse", "de la Corse-du-Sud"),
    ("Nièvre", "Bourgogne-Franche-Comté", "de la Nièvre"),
    ("Manche", "Normandie", "de la Manche"),
    ("Indre", "Centre-Val de Loire", "de l'Indre"),
)
_DEPARTMENT_PHRASES: dict[str, str] = {
    "Alpes-Maritimes": "des Alpes-Maritimes",
    "Gironde": "de la Gironde",
    "Moselle": "de la Moselle",
    "Loire-Atlantique": "de la Loire-Atlantique",
    "Haute-Garonne": "de la Haute-Garonne",
    **{dep: phrase for dep, _region, phrase in _DEPARTMENTS},
}
_FDF_TEAMS: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "Centre-Est",
    "Bourgogne-Franche-Comté": "Centre-Est",
    "Bretagne": "Grand Ouest",
    "Centre-Val de Loire": "Grand Ouest",
    "Corse": "Méditerranée",
    "Grand Est": "Grand Est",
    "Hauts-de-France": "Nord",
    "Île-de-France": "Île-de-France",
    "Normandie": "Grand Ouest",
    "Nouvelle-Aquitaine": "Sud-Ouest",
    "Occitanie": "Sud-Ouest",
    "Pays de la Loire": "Grand Ouest",
    "Provence-Alpes-Côte d'Azur": "Méditerranée",
}
_KIIF_MEMBERS: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "Ronalpia",
    "Grand Est": "Le Filon",
    "Nouvelle-Aquitaine": "ATIS",
    "Occitanie": "Première Brique",
    "Pays de la Loire": "Les Ecossolies",
    "Provence-Alpes-Côte d'Azur": "Inter-Made",
}

_FANCY = (
    "L'Étincelle",
    "Le Lien",
    "La Passerelle",
    "Les Colibris",
    "Le Fil d'Ariane",
    "Trait d'union",
    "La Ruche",
    "L'Escale",
    "Le Grain de sel",
    "La Boussole",
    "Horizons",
    "Les Petits Pas",
    "Racines",
    "L'Arbre à palabres",
    "La Fabrique",
    "Ensemble",
    "Les Tisserands",
    "Le Relais",
    "Cap Avenir",
    "La Clé des champs",
    "Le Chaudron",
    "La Main tendue",
)
_SURNAMES = (
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "Bertrand",
    "Roux",
    "Fournier",
    "Morel",
    "Girard",
    "Mercier",
    "Blanc",
    "Guérin",
    "Faure",
    "Perrin",
    "Clément",
    "Haddad",
    "Nguyen",
    "Da Silva",
    "Schmitt",
    "Kowalski",
    "Benali",
)
_FIRST_NAMES = (
    "Marie",
    "Nadia",
    "Lucas",
    "Jeanne",
    "Karim",
    "Sophie",
    "Fatou",
    "Julien",
    "Camille",
    "Léa",
    "Mehdi",
    "Chantal",
    "Inès",
    "Yannick",
    "Monique",
    "Paul",
)
# Name templates per sector: {c} place, {dc} « de/d'/du/des » place, {f} fancy name,
# {s} surname, {p} first name, {i} initial, {x} the intercommunality.
_NAME_TEMPLATES: dict[str, tuple[str, ...]] = {
    "association": (
        "Association Les Jardins partagés {dc}",
        "Foyer rural {dc}",
        "Comité des fêtes {dc}",
        "Secours populaire — antenne {dc}",
        "Restos du cœur {dc}",
        "Amicale laïque {dc}",
        "Centre social {f}",
        "ADMR {dc}",
        "Ressourcerie {f}",
        "Football club {dc}",
        "École de musique {dc}",
        "Association des parents d'élèves {dc}",
        "Épicerie solidaire {f}",
        "Atelier vélo {f}",
        "Tiers-lieu {f}",
        "AMAP {dc}",
        "Compagnie de théâtre {f}",
        "MJC {dc}",
        "Les Amis du patrimoine {dc}",
        "Association {f}",
        "Jardin d'insertion {f}",
        "Association Solidarité exilés {c}",
        "Club des aînés {dc}",
        "Association sportive {f}",
        "Radio associative {f}",
    ),
    "entreprise": (
        "Boulangerie {s}",
        "Garage {s}",
        "Pharmacie {dc}",
        "Menuiserie {s}",
        "SCOP {f}",
        "Supermarché {dc}",
        "Ferme {s}",
        "Brasserie artisanale {f}",
        "Transports {s}",
        "Imprimerie {s}",
        "Hôtel-restaurant {f}",
        "Épicerie {s}",
        "Entreprise d'insertion {f}",
        "Camping {dc}",
        "Cabinet d'architecture {s}",
        "Fromagerie {s}",
        "Électricité {s} et fils",
        "Café-librairie {f}",
    ),
    "collectivite": (
        "Mairie {dc}",
        "CCAS {dc}",
        "{x}",
        "Conseil municipal des jeunes {dc}",
        "Médiathèque municipale {dc}",
        "Service jeunesse {dc}",
        "Office de tourisme intercommunal",
        "Élu·e aux solidarités {dc}",
        "Service technique {dc}",
    ),
    "habitant": (
        "Collectif d'habitants {dc}",
        "Conseil citoyen {dc}",
        "Collectif des parents {dc}",
        "{p} {i}. (habitante {dc})",
        "{p} {i}. (habitant {dc})",
        "Collectif des jardiniers {dc}",
        "Comité de quartier {dc}",
        "Collectif {f}",
        "Jeunes {dc}",
    ),
    "etat": (
        "Mission locale",
        "France Travail — agence {dc}",
        "CAF — antenne {dc}",
        "France Services {dc}",
        "École primaire {dc}",
        "Collège {dc}",
        "Sous-préfecture",
        "Gendarmerie {dc}",
        "Centre hospitalier {dc}",
        "PMI {dc}",
        "Lycée professionnel {dc}",
    ),
    "autre": (
        "Paroisse {dc}",
        "Chambre d'agriculture — antenne {dc}",
        "Chambre de métiers et de l'artisanat",
        "Club des entreprises {dc}",
        "Bailleur social {f}",
        "Groupe d'action locale LEADER",
        "Université populaire {dc}",
        "Journal local {f}",
        "Parc naturel régional",
    ),
}
_URBAN_COLLECTIVITE = (
    "Mairie de quartier {dc}",
    "CCAS de Nantes — antenne {c}",
    "{x}",
    "Ville de Nantes — pôle de proximité {c}",
    "Conseil nantais de la jeunesse ({c})",
    "Médiathèque {dc}",
    "Équipe de quartier {dc}",
)
# Organisations that drive a cooperation more than others (activity bonus).
_HUB_PREFIXES = ("Mairie", "Centre social", "CCAS", "Mission locale", "Ville de", "{x}")
_SLUG_STOPWORDS = frozenset(
    {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "fils"}
)
_SLUG_ABBREVIATIONS = {"association": "asso", "communaute": "cc", "agglomeration": "agglo"}

_JOINT_ACTION_TITLES = (
    "Épicerie solidaire itinérante",
    "Tiers-lieu de la gare",
    "Mobilité solidaire vers l'emploi",
    "Jardin partagé intergénérationnel",
    "Repair café mensuel",
    "Fête du territoire",
    "Plateforme de covoiturage solidaire",
    "Cantine scolaire en circuit court",
    "Guichet unique d'accès aux droits",
    "Chantier jeunes d'été",
    "Ressourcerie éphémère",
    "Café des aidants",
    "Annuaire partagé des acteurs",
    "Marché de producteurs locaux",
    "Navette vers les services de santé",
    "Parcours d'insertion par le maraîchage",
    "Festival des solidarités",
    "Ateliers numériques pour les seniors",
    "Bricothèque partagée",
    "Accueil des travailleurs saisonniers",
    "Chaufferie bois collective",
    "Groupement d'employeurs associatif",
    "Ludothèque itinérante",
    "Rénovation participative de l'école",
)
_FOUNDATIONS_ABRITEES = (
    "Fondation abritée Solidarités locales",
    "Fondation abritée Terres d'avenir",
    "Fondation abritée Ensemble pour demain",
)

# Event titles per stage bucket (0 emergence … 3 coalition).
_WORKSHOP_TITLES: tuple[tuple[str, ...], ...] = (
    (
        "Atelier portrait sensible",
        "Rencontre de lancement TEC",
        "Atelier forces et fragilités du territoire",
        "Forum des acteurs",
    ),
    (
        "Atelier question commune",
        "Atelier cartographie des acteurs",
        "Atelier charte de coopération",
        "Atelier gouvernance partagée",
        "Atelier évaluation partagée",
        "Forum des acteurs",
    ),
    (
        "Atelier expérimentations communes",
        "Atelier mutualisation des ressources",
        "Forum des acteurs",
        "Atelier bilan d'étape",
    ),
    (
        "Assemblée de la coalition territoriale",
        "Atelier transmission des méthodes",
        "Séminaire de capitalisation",
        "Forum des acteurs",
    ),
)
_MEETING_TITLES: tuple[tuple[str, ...], ...] = (
    ("Point binôme et acteurs moteurs", "Rencontre avec les élus", "Comité de pilotage TEC"),
    ("Comité de coopération", "Réunion de l'équipe d'animation", "Rencontre avec les élus"),
    ("Comité de coopération", "Comité de pilotage TEC", "Rencontre avec les financeurs"),
    ("Comité de coopération", "Conseil de la coalition", "Rencontre avec les financeurs"),
)

# Journal narratives per stage bucket: (strengths, difficulties, next steps).
_NARRATIVES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    (
        (
            "Les entretiens du portrait sensible ouvrent des portes : plusieurs structures "
            "rencontrées ne se connaissaient pas.",
            "Bon accueil de la démarche par la mairie {dc} ; les habitants rencontrés ont "
            "envie de s'impliquer.",
            "Premières rencontres entre associations et entreprises locales, dans un climat "
            "de curiosité.",
            "Des acteurs moteurs se dégagent, notamment autour de l'alimentation et de la "
            "mobilité.",
        ),
        (
            "Difficile de joindre les entreprises et les services de l'État : peu de "
            "réponses aux sollicitations.",
            "La démarche TEC est encore mal connue ; il faut beaucoup expliquer avant de "
            "parler coopération.",
            "Calendrier chargé : plusieurs entretiens ont dû être reportés.",
            "Méfiance de certains élus, qui craignent une démarche concurrente de leurs "
            "propres projets.",
        ),
        (
            "Terminer les entretiens du portrait sensible et préparer la restitution.",
            "Organiser un premier temps collectif ouvert à tous les acteurs rencontrés.",
            "Identifier deux ou trois acteurs moteurs prêts à porter la suite avec le binôme.",
        ),
    ),
    (
        (
            "La question commune a été formulée et validée en atelier.",
            "La cartographie des acteurs et des actions est à jour et circule entre partenaires.",
            "Un comité de coopération se réunit désormais chaque mois {ac}.",
            "Les ateliers attirent de nouveaux acteurs, y compris des habitants non organisés.",
        ),
        (
            "La rédaction de la charte avance lentement : chacun veut préserver son autonomie.",
            "Les rôles dans la gouvernance restent flous entre le binôme et les acteurs moteurs.",
            "Participation irrégulière des entreprises aux ateliers organisés en journée.",
            "Les bénévoles associatifs, déjà très sollicités, ont peu de temps disponible.",
        ),
        (
            "Adopter la charte de coopération au prochain comité.",
            "Définir avec les acteurs les critères de l'évaluation partagée.",
            "Choisir une première expérimentation commune à lancer.",
        ),
    ),
    (
        (
            "Les expérimentations communes tournent et les habitants en voient les premiers "
            "résultats.",
            "Des ressources sont mises en commun : locaux, matériel, temps d'animation.",
            "Soutien affiché des élus {dc}, qui relaient la démarche en conseil communautaire.",
            "La confiance progresse : les acteurs se sollicitent directement, sans passer par "
            "le binôme.",
        ),
        (
            "Le financement des expérimentations au-delà de la première année n'est pas assuré.",
            "Risque d'essoufflement des acteurs moteurs, très sollicités.",
            "Quelques tensions sur le partage des rôles dans l'expérimentation en cours.",
        ),
        (
            "Préparer le bilan des expérimentations et décider lesquelles poursuivre.",
            "Rencontrer le Département et la Région pour financer la suite.",
            "Élargir le comité de coopération à de nouveaux secteurs.",
        ),
    ),
    (
        (
            "La coalition territoriale est constituée et se réunit sans le binôme.",
            "La fonction d'appui est désormais portée par un acteur local, avec un "
            "financement partagé.",
            "Les outils de la démarche ont été présentés à un territoire voisin qui souhaite "
            "les reprendre.",
        ),
        (
            "La relève des personnes les plus impliquées reste un point d'attention.",
            "La diversification des financements de la coordination n'est pas encore acquise.",
        ),
        (
            "Préparer la capitalisation et la transmission des méthodes.",
            "Formaliser la gouvernance de la coalition après la fin de l'accompagnement.",
        ),
    ),
)
_STALL_NARRATIVES = (
    (
        "Un petit noyau d'acteurs reste mobilisé autour du binôme.",
        "Les liens créés pendant le portrait sensible tiennent, même sans projet commun.",
    ),
    (
        "Dynamique à l'arrêt : les ateliers réunissent toujours les mêmes quelques structures.",
        "La dynamique est à l'arrêt depuis plusieurs mois ; les élus ne se sont pas "
        "réengagés après les premiers ateliers.",
        "Dynamique à l'arrêt : faible participation au dernier comité, plusieurs acteurs "
        "moteurs se sont retirés.",
    ),
    (
        "Refaire le tour des acteurs pour comprendre les raisons du retrait.",
        "Proposer un format plus léger et plus concret pour relancer la dynamique.",
        "Faire le point avec la Fondation de France sur la suite de l'accompagnement.",
    ),
)
_LEAVE_DIFFICULTY = (
    "Départ de l'animatrice locale de la coopération : elle quitte ses fonctions ce mois-ci "
    "et n'est pas encore remplacée."
)
_LEAVE_NEXT = "Organiser la passation et recruter rapidement une nouvelle animation locale."
_AFTER_LEAVE_NARRATIVES = (
    ("Les acteurs moteurs maintiennent le lien malgré l'absence d'animation.",),
    (
        "Depuis le départ de l'animatrice, les ateliers sont moins suivis et plusieurs "
        "acteurs ne répondent plus.",
        "Sans animation locale, le comité de coopération ne s'est pas réuni ce mois-ci.",
        "La dynamique s'essouffle depuis le départ de l'animatrice ; les projets communs "
        "sont en suspens.",
    ),
    ("Finaliser le recrutement d'une nouvelle animatrice ou d'un nouvel animateur.",),
)
_RECOVERY_STRENGTH = (
    "Arrivée d'un nouvel animateur ce mois-ci : les premiers rendez-vous avec les acteurs "
    "sont pris."
)
_RECOVERY_NARRATIVES = (
    ("Reprise progressive des ateliers avec le nouvel animateur.",),
    ("Il faut reconstruire la confiance perdue pendant la vacance de l'animation.",),
    ("Relancer le comité de coopération et reprendre les projets communs en suspens.",),
)

# ---------------------------------------------------------------------------------------------
# Survey model parameters
# ---------------------------------------------------------------------------------------------

# Likert: value ≈ 2.2 + 2.3·m + factor offset + noise.
_FACTOR_OFFSETS = {
    "confiance": 0.0,
    "vision": -0.1,
    "pouvoir_agir": 0.15,
    "communication": -0.05,
    "gouvernance": -0.3,
    "ressources": -0.45,
    "ancrage": 0.4,
}
_LIKERT_MISSING = 0.05
# Resource types: base probability at m = 1 (before sector multipliers).
_RESOURCE_BASE = {
    "financement": 0.12,
    "nature": 0.3,
    "personnel": 0.3,
    "benevoles": 0.35,
    "donnees": 0.2,
    "expertise": 0.45,
    "reseau": 0.6,
    "locaux": 0.25,
    "animation": 0.3,
}
_RESOURCE_SECTOR = {
    "entreprise": {"financement": 2.0, "nature": 1.5, "benevoles": 0.3},
    "collectivite": {"financement": 2.5, "locaux": 2.0, "donnees": 1.6},
    "habitant": {"benevoles": 2.0, "financement": 0.1, "personnel": 0.1, "locaux": 0.3},
    "etat": {"donnees": 2.0, "expertise": 1.3, "benevoles": 0.2},
    "association": {"benevoles": 1.6, "animation": 1.5},
    "autre": {},
}
# Roster: a rating's latent score is pair affinity + rater noise + _TIE_SHIFT·m; its level is
# the number of thresholds below it. Calibrated so that the density of level ≥ 1 ties between
# responding organisations goes from ~0.1 to ~0.5 and level ≥ 3 from ~0.02 to ~0.2.
_TIE_THRESHOLDS = np.array([1.6, 2.1, 2.5, 2.95, 3.45])
_TIE_SHIFT = 1.55
_PAIR_SD = 0.85
_WAVE_DRIFT_SD = 0.3
_RATER_SD = 0.4


# ---------------------------------------------------------------------------------------------
# Stories
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """Parameters of a territory's latent maturity curve."""

    kind: str  # "grow", "stall" or "regress"
    mid: float = 14.0  # month of the logistic's midpoint
    scale: float = 5.0  # logistic scale, in months
    top: float = 0.86  # maturity reached at the end (grow) or the peak (regress)
    start: float = 0.08  # maturity at month 0
    plateau: float = 0.3  # stall level
    leave: int = 20  # regress: month the facilitator leaves
    trough: float = 0.33  # regress: level the cooperation falls back to
    recover: int = 27  # regress: month a new facilitator arrives
    rebound: float = 0.18  # regress: maturity regained by month 36

    def curve(self, months: int) -> np.ndarray:
        """Noise-free maturity for months 0..months (inclusive)."""
        t = np.arange(months + 1, dtype=float)
        if self.kind == "stall":
            return self.start + (self.plateau - self.start) * (1.0 - np.exp(-t / 3.5))
        base = _expit((t - self.mid) / self.scale)
        base0 = _expit(-self.mid / self.scale)
        rise = self.start + (self.top - self.start) * (base - base0) / (1.0 - base0)
        if self.kind == "grow":
            return rise
        peak = float(rise[min(self.leave, months)])
        after = t > self.leave
        fall = peak - (peak - self.trough) * (1.0 - np.exp(-(t - self.leave) / 2.0))
        rec = t > self.recover
        fall = fall + np.where(rec, self.rebound * (1.0 - np.exp(-(t - self.recover) / 4.0)), 0.0)
        return np.where(after, fall, rise)


_CONFIGURED_STORIES: dict[str, Story] = {
    "roya": Story("grow", mid=10.5, scale=4.3, top=0.93),
    "entre-deux-mers": Story("grow", mid=14.0, scale=5.0, top=0.87),
    "forbach": Story("stall", plateau=0.3),
    "nantes-qpv": Story("regress", mid=9.0, scale=3.5, top=0.62, leave=20, trough=0.31, recover=27),
    "aura": Story("grow", mid=15.5, scale=5.5, top=0.85),
    "haute-garonne": Story("grow", mid=15.0, scale=5.0, top=0.86),
}


def _random_story(rng: np.random.Generator) -> Story:
    """A story with the configured proportions: 4 grow, 1 stall, 1 regress in 6."""
    draw = rng.random()
    start = float(rng.uniform(0.05, 0.11))
    if draw < 4 / 6:
        return Story(
            "grow",
            mid=float(rng.uniform(10.5, 18.5)),
            scale=float(rng.uniform(4.0, 6.0)),
            top=float(rng.uniform(0.83, 0.93)),
            start=start,
        )
    if draw < 5 / 6:
        return Story("stall", plateau=float(rng.uniform(0.27, 0.33)), start=start)
    leave = int(rng.integers(18, 23))
    return Story(
        "regress",
        mid=float(rng.uniform(8.0, 11.0)),
        scale=float(rng.uniform(3.0, 4.0)),
        top=float(rng.uniform(0.58, 0.66)),
        start=start,
        leave=leave,
        trough=float(rng.uniform(0.3, 0.37)),
        recover=leave + int(rng.integers(6, 9)),
        rebound=float(rng.uniform(0.12, 0.22)),
    )


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _expit(x: Any) -> Any:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def _month_date(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_days(index: int | np.ndarray) -> np.ndarray:
    """First days (``datetime64[D]``) of absolute month indexes."""
    months = np.asarray(index, dtype=np.int64) - 1970 * 12
    return months.astype("datetime64[M]").astype("datetime64[D]")


_ELISION_INITIALS = frozenset("aeiouyéèêàâîôûœ")
# Places whose name takes an article in running text.
_PLACE_ARTICLES = {"Dervallières": "les Dervallières"}


def _with_de(place: str) -> str:
    """« de Tende », « d'Ambert », « du Vernet », « des Dervallières »."""
    name = _PLACE_ARTICLES.get(place, place)
    if name.startswith(("Le ", "le ")):
        return f"du {name[3:]}"
    if name.startswith(("Les ", "les ")):
        return f"des {name[4:]}"
    if name[:1].lower() in _ELISION_INITIALS:
        return f"d'{name}"
    return f"de {name}"


def _at(place: str) -> str:
    """« à Tende », « au Vernet », « aux Dervallières »."""
    name = _PLACE_ARTICLES.get(place, place)
    if name.startswith(("Le ", "le ")):
        return f"au {name[3:]}"
    if name.startswith(("Les ", "les ")):
        return f"aux {name[4:]}"
    return f"à {name}"


def _slug(text_: str) -> str:
    plain = unicodedata.normalize("NFKD", text_).encode("ascii", "ignore").decode().lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    words = [_SLUG_ABBREVIATIONS.get(w, w) for w in words if w not in _SLUG_STOPWORDS]
    return "-".join(words[:6]) or "org"


@dataclass(frozen=True)
class _Plan:
    """Everything fixed about a territory before its history is drawn."""

    index: int
    id: str
    name: str
    region: str
    department: str | None
    start: dt.date
    officer: str
    kiif: str
    synthetic: bool
    story: Story
    places: tuple[tuple[str, str], ...]
    interco: str
    urban: bool


def _plan_territories(config: AppConfig, n: int, seed: int, end_month: dt.date) -> list[_Plan]:
    """The configured territories first, then synthetic ones (``demo-0007``…)."""
    plans: list[_Plan] = []
    configured = config.territories[:n]
    for index, territory in enumerate(configured):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, 0)))
        story = _CONFIGURED_STORIES.get(territory.id)
        if story is None:
            story = _random_story(rng) if index else Story("grow", mid=11.0, scale=4.5)
        places = _CONFIGURED_PLACES.get(territory.id) or _generic_places(rng)
        plans.append(
            _Plan(
                index=index,
                id=territory.id,
                name=territory.name,
                region=territory.region,
                department=territory.department,
                start=territory.start_date,
                officer=territory.binome.foundation_officer,
                kiif=territory.binome.kiif_member,
                synthetic=False,
                story=story,
                places=places,
                interco=_INTERCOS.get(territory.id)
                or f"Communauté de communes du Pays de {places[0][1]}",
                urban=territory.id in _URBAN_TERRITORIES,
            )
        )
    end_index = _month_index(end_month)
    duration = config.programme.duration_months
    interval = config.programme.survey_interval_months
    full = duration + (-duration) % interval  # month of the last wave (36)
    for index in range(len(configured), n):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index, 0)))
        number = index + 1
        department, region, _phrase = _DEPARTMENTS[(number - 7) % len(_DEPARTMENTS)]
        # Most synthetic territories have a complete history (all waves) before end_month.
        if rng.random() < 0.85:
            offset = full + int(rng.integers(0, 19))
        else:
            offset = int(rng.integers(6, full))
        places = _generic_places(rng)
        plans.append(
            _Plan(
                index=index,
                id=f"demo-{number:04d}",
                name=f"Territoire démo {number}",
                region=region,
                department=department,
                start=_month_date(end_index - offset),
                officer=f"Fondation de France {_FDF_TEAMS.get(region, 'Grand Ouest')}",
                kiif=_KIIF_MEMBERS.get(region, "Le Kiif (membre associé)"),
                synthetic=True,
                story=_random_story(rng),
                places=places,
                interco=f"Communauté de communes du Pays de {places[0][1]}",
                urban=False,
            )
        )
    return plans


def _generic_places(rng: np.random.Generator) -> tuple[tuple[str, str], ...]:
    count = int(rng.integers(3, 6))
    chosen = rng.choice(len(_GENERIC_PLACES), size=count, replace=False)
    return tuple((_GENERIC_PLACES[i], _GENERIC_PLACES[i]) for i in chosen)


# ---------------------------------------------------------------------------------------------
# Frame assembly
# ---------------------------------------------------------------------------------------------

# Column kinds: int, Int (nullable int), str, str? (nullable str), date, date?, tz, tz?, bool,
# float, or "cat:<vocabulary name>" (stored as codes, turned into str at the end).
_SCHEMA: dict[str, dict[str, str]] = {
    "territory": {
        "id": "str",
        "programme_id": "str",
        "name": "str",
        "region": "str",
        "department": "str?",
        "start_date": "date",
        "binome_foundation_officer": "str",
        "binome_kiif_member": "str",
    },
    "user_account": {
        "id": "int",
        "email": "str",
        "display_name": "str",
        "role": "str",
        "territory_id": "str?",
        "password_hash": "str?",
        "active": "bool",
        "failed_logins": "int",
        "locked_until": "tz?",
        "created_at": "tz",
    },
    "actor": {
        "id": "int",
        "territory_id": "str",
        "org_id": "str",
        "name": "str",
        "sector": "cat:sector",
        "commune": "str?",
    },
    "survey_wave": {
        "id": "int",
        "territory_id": "str",
        "number": "int",
        "window_start": "date",
        "window_end": "date",
    },
    "respondent": {
        "id": "int",
        "wave_id": "int",
        "respondent_key": "str",
        "actor_id": "int",
        "sector": "cat:sector",
        "submitted_at": "date",
    },
    "likert_answer": {"respondent_id": "int", "item": "cat:item", "value": "int"},
    "resource_contribution": {"respondent_id": "int", "resource_type": "cat:resource"},
    "roster_rating": {
        "respondent_id": "int",
        "rated_actor_id": "int",
        "level": "int",
        "trust_reliable": "Int",
        "trust_mission": "Int",
        "trust_open": "Int",
    },
    "journal": {
        "id": "int",
        "territory_id": "str",
        "month": "date",
        "declared_stage": "cat:stage",
        "interviews_done": "int",
        "interviews_planned": "int",
        "new_actors": "int",
        "tools_reused": "int",
        "narrative_strengths": "str",
        "narrative_difficulties": "str",
        "narrative_next_steps": "str",
        "narrative_internal": "bool",
        "status": "cat:status",
        "submitted_at": "tz?",
        "approved_at": "tz?",
        "approved_by": "Int",
    },
    "journal_rubric": {"journal_id": "int", "milestone_id": "cat:milestone", "score": "int"},
    "journal_event": {
        "id": "int",
        "journal_id": "int",
        "held_on": "date",
        "kind": "str",
        "title": "str",
    },
    "event_participants": {"event_id": "int", "sector": "cat:sector", "count": "int"},
    "event_attendance": {"event_id": "int", "actor_id": "int"},
    "joint_action": {
        "id": "int",
        "territory_id": "str",
        "title": "str",
        "start_date": "date",
        "end_date": "date?",
        "status": "str",
    },
    "joint_action_actor": {"action_id": "int", "actor_id": "int"},
    "joint_action_funding": {"action_id": "int", "funder": "str", "amount_eur": "float"},
    "coordination_funding": {
        "id": "int",
        "territory_id": "str",
        "funder": "str",
        "start_month": "date",
        "end_month": "date?",
        "amount_eur": "float",
    },
}
_JOURNAL_STATUSES = ("draft", "submitted", "approved")


class _Collector:
    """Column parts of one table, concatenated once at the end."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.parts: dict[str, list[Any]] = {name: [] for name in columns}

    def add(self, **values: Any) -> None:
        for name in self.columns:
            self.parts[name].append(values[name])

    def frame(self, vocabularies: dict[str, Sequence[str]]) -> pd.DataFrame:
        data: dict[str, Any] = {}
        for name, kind in self.columns.items():
            parts = self.parts[name]
            data[name] = _column(kind, parts, vocabularies)
        return pd.DataFrame(data)


def _column(kind: str, parts: list[Any], vocabularies: dict[str, Sequence[str]]) -> Any:
    """Concatenate parts (arrays, lists or scalars-per-row lists) into a typed column."""
    arrays = [np.asarray(p) if not np.isscalar(p) else np.asarray([p]) for p in parts]
    if kind.startswith("cat:"):
        vocabulary = np.array(vocabularies[kind[4:]], dtype=object)
        codes = np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
        return pd.array(vocabulary[codes], dtype="str")
    if kind in ("str", "str?"):
        values = np.concatenate([a.astype(object) for a in arrays]) if arrays else []
        return pd.array(np.asarray(values, dtype=object), dtype="str")
    if kind == "int":
        return np.concatenate(arrays).astype(np.int64) if arrays else np.zeros(0, np.int64)
    if kind == "Int":
        values = np.concatenate([a.astype(float) for a in arrays]) if arrays else []
        return pd.array(np.asarray(values, dtype=float), dtype="Int64")
    if kind == "bool":
        return np.concatenate(arrays).astype(bool) if arrays else np.zeros(0, bool)
    if kind == "float":
        return np.concatenate(arrays).astype(float) if arrays else np.zeros(0, float)
    if kind in ("date", "date?"):
        values = (
            np.concatenate([a.astype("datetime64[D]") for a in arrays])
            if arrays
            else np.zeros(0, "datetime64[D]")
        )
        return values.astype("datetime64[s]")
    if kind in ("tz", "tz?"):
        values = (
            np.concatenate([a.astype("datetime64[s]") for a in arrays])
            if arrays
            else np.zeros(0, "datetime64[s]")
        )
        return pd.DatetimeIndex(values).tz_localize("UTC").array
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------


class _Generator:
    """Draws every territory's history into column collectors."""

    def __init__(self, config: AppConfig, end_month: dt.date, plans: list[_Plan]) -> None:
        self.config = config
        self.end_index = _month_index(end_month)
        self.plans = plans
        self.tables = {name: _Collector(columns) for name, columns in _SCHEMA.items()}
        self.sectors = tuple(SECTOR_SHARES)
        self.sector_code = {s: i for i, s in enumerate(self.sectors)}
        # Sectors whose organisations often answer with two people.
        self.large_sectors = np.array(
            [self.sector_code["association"], self.sector_code["collectivite"]]
        )
        survey = config.survey
        self.items = survey.likert_items
        self.item_offsets = np.array(
            [_FACTOR_OFFSETS.get(f.id, 0.0) for f in survey.factors for _ in f.items]
        )
        self.resources = tuple(r.id for r in survey.resource_types)
        self.resource_probs = np.array(
            [
                [
                    _RESOURCE_BASE.get(r, 0.3) * _RESOURCE_SECTOR[s].get(r, 1.0)
                    for r in self.resources
                ]
                for s in self.sectors
            ]
        )
        stages = config.stage_model.stages
        self.stages = tuple(s.id for s in stages)
        self.milestones = tuple(m.id for s in stages for m in s.milestones)
        # (stage rank from 0, position of the milestone inside its stage in [0, 1))
        self.milestone_stage = np.array(
            [k for k, s in enumerate(stages) for _ in s.milestones], dtype=float
        )
        self.milestone_position = np.array(
            [j / len(s.milestones) for s in stages for j in range(len(s.milestones))]
        )
        self.duration = config.programme.duration_months
        self.interval = config.programme.survey_interval_months
        self.next_id = {
            "actor": 1,
            "survey_wave": 1,
            "respondent": 1,
            "journal": 1,
            "journal_event": 1,
            "joint_action": 1,
            "coordination_funding": 1,
        }
        self.lead_id = 1

    def _ids(self, table: str, count: int) -> np.ndarray:
        first = self.next_id[table]
        self.next_id[table] = first + count
        return np.arange(first, first + count, dtype=np.int64)

    def vocabularies(self) -> dict[str, Sequence[str]]:
        return {
            "sector": self.sectors,
            "item": self.items,
            "resource": self.resources,
            "stage": self.stages,
            "milestone": self.milestones,
            "status": _JOURNAL_STATUSES,
        }

    # -- users -----------------------------------------------------------------------------

    def add_users(self) -> None:
        first_start = min((p.start for p in self.plans), default=_month_date(self.end_index))
        emails = [f"direction@{DEMO_EMAIL_DOMAIN}"]
        names = ["Cécile — pilotage TEC"]
        roles = ["lead"]
        territories: list[str | None] = [None]
        created = [np.datetime64(first_start, "D")]
        for plan in self.plans:
            emails.append(f"binome.{plan.id}@{DEMO_EMAIL_DOMAIN}")
            names.append(f"Binôme {plan.name} — {plan.kiif}")
            roles.append("binome")
            territories.append(plan.id)
            created.append(np.datetime64(plan.start, "D"))
        emails.append(f"financeur@{DEMO_EMAIL_DOMAIN}")
        names.append("Financeur — collectif Territoires d'engagement")
        roles.append("funder")
        territories.append(None)
        created.append(np.datetime64(first_start, "D"))
        count = len(emails)
        self.tables["user_account"].add(
            id=np.arange(1, count + 1),
            email=emails,
            display_name=names,
            role=roles,
            territory_id=np.array(territories, dtype=object),
            password_hash=np.full(count, None, dtype=object),
            active=np.ones(count, bool),
            failed_logins=np.zeros(count, np.int64),
            locked_until=np.full(count, np.datetime64("NaT"), dtype="datetime64[s]"),
            created_at=np.array(created, dtype="datetime64[D]").astype("datetime64[s]")
            + np.timedelta64(9, "h"),
        )

    # -- one territory ---------------------------------------------------------------------

    def add_territory(self, plan: _Plan, rng: np.random.Generator) -> None:
        if plan.synthetic:
            self.tables["territory"].add(
                id=[plan.id],
                programme_id=[self.config.programme.id],
                name=[plan.name],
                region=[plan.region],
                department=np.array([plan.department], dtype=object),
                start_date=[np.datetime64(plan.start, "D")],
                binome_foundation_officer=[plan.officer],
                binome_kiif_member=[plan.kiif],
            )
        start_index = _month_index(plan.start)
        months = min(self.duration, self.end_index - start_index + 1)
        if months <= 0:
            return  # not started yet: no actors list, no history
        horizon = self.duration + (-self.duration) % self.interval
        maturity = plan.story.curve(horizon) + rng.normal(0.0, 0.012, horizon + 1)
        maturity = np.clip(maturity, 0.02, 0.98)
        actors = self._actors(plan, rng, months)
        self._survey(plan, rng, maturity, actors, start_index)
        journals = self._journals(plan, rng, maturity, actors, start_index, months)
        self._events(plan, rng, maturity, actors, journals)
        self._joint_actions(plan, rng, maturity, actors, start_index, months)
        self._coordination_funding(plan, rng, maturity, actors, start_index, months)

    def _actors(self, plan: _Plan, rng: np.random.Generator, months: int) -> _Actors:
        n = int(np.clip(round(rng.normal(58, 11)), 30, 80))
        shares = np.array(list(SECTOR_SHARES.values()))
        counts = np.maximum(1, np.floor(shares * n)).astype(int)
        while counts.sum() < n:
            counts[rng.choice(len(counts), p=shares)] += 1
        while counts.sum() > n:
            counts[int(np.argmax(counts))] -= 1
        sectors = np.repeat(np.arange(len(self.sectors)), counts)
        places = plan.places
        # The main place gets more organisations.
        place_weights = np.array([2.0] + [1.0] * (len(places) - 1))
        place_of = rng.choice(len(places), size=n, p=place_weights / place_weights.sum())
        names: list[str] = []
        hubs = np.zeros(n)
        for sector_code, sector in enumerate(self.sectors):
            templates = _NAME_TEMPLATES[sector]
            if sector == "collectivite" and plan.urban:
                templates = _URBAN_COLLECTIVITE
            members = np.flatnonzero(sectors == sector_code)
            order = rng.permutation(len(templates))
            for k, actor in enumerate(members):
                template = templates[order[k % len(templates)]]
                fields = {
                    "c": places[place_of[actor]][1],
                    "dc": _with_de(places[place_of[actor]][1]),
                    "f": _FANCY[rng.integers(len(_FANCY))],
                    "s": _SURNAMES[rng.integers(len(_SURNAMES))],
                    "p": _FIRST_NAMES[rng.integers(len(_FIRST_NAMES))],
                    "i": "ABCDEFGHJLMNPRSTV"[rng.integers(17)],
                    "x": plan.interco,
                }
                names.append(template.format(**fields))
                hubs[actor] = 0.5 if template.startswith(_HUB_PREFIXES) else 0.0
        # The interco has no commune; other organisations have theirs.
        communes = np.array([places[p][0] for p in place_of], dtype=object)
        communes[[name == plan.interco for name in names]] = None
        seen: dict[str, int] = {}
        org_ids = []
        for name in names:
            slug = _slug(name)
            seen[slug] = seen.get(slug, 0) + 1
            org_ids.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
        ids = self._ids("actor", n)
        self.tables["actor"].add(
            id=ids,
            territory_id=np.full(n, plan.id, dtype=object),
            org_id=org_ids,
            name=names,
            sector=sectors,
            commune=communes,
        )
        sector_bonus = np.array([_SECTOR_ACTIVITY[s] for s in self.sectors])[sectors]
        activity = rng.normal(0.0, 0.35, n) + sector_bonus + hubs
        # Most actors are on the list from the start; the portrait sensible adds the others.
        entry = np.where(
            rng.random(n) < 0.85, 0, rng.integers(1, max(2, min(6, months)), n)
        ).astype(int)
        entry[rng.permutation(n)[:2]] = 0  # never an empty list at month 0
        pair = rng.normal(0.0, 1.0, (n, n))
        same_sector = sectors[:, None] == sectors[None, :]
        same_place = place_of[:, None] == place_of[None, :]
        affinity = (
            _PAIR_SD * (pair + pair.T) / math.sqrt(2.0)
            + 0.5 * (activity[:, None] + activity[None, :])
            + 0.2 * same_sector
            + 0.15 * same_place
        )
        return _Actors(
            ids=ids,
            sectors=sectors,
            names=names,
            activity=activity,
            engagement=rng.normal(0.0, 0.9, n) + activity,
            entry=entry,
            affinity=affinity,
            place=place_of,
        )

    def _survey(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        maturity: np.ndarray,
        actors: _Actors,
        start_index: int,
    ) -> None:
        n = len(actors.ids)
        wave_months = [
            t
            for t in range(0, self.duration + 1, self.interval)
            if start_index + t <= self.end_index
        ]
        if not wave_months:
            return
        wave_ids = self._ids("survey_wave", len(wave_months))
        starts = _month_days(np.array(wave_months) + start_index)
        ends = _month_days(np.array(wave_months) + start_index + 2) - np.timedelta64(1, "D")
        self.tables["survey_wave"].add(
            id=wave_ids,
            territory_id=np.full(len(wave_months), plan.id, dtype=object),
            number=np.arange(len(wave_months)),
            window_start=starts,
            window_end=ends,
        )
        last_day = _month_days(self.end_index + 1) - np.timedelta64(1, "D")
        territory_offset = rng.normal(0.0, 0.12)
        columns = np.arange(n)
        for number, (t, wave_id) in enumerate(zip(wave_months, wave_ids, strict=True)):
            m = float(maturity[t])
            listed = actors.entry <= t
            rate = 0.36 + 0.44 * m
            if plan.story.kind == "regress" and plan.story.leave <= t < plan.story.recover + 3:
                rate *= 0.8  # nobody left to chase answers after the facilitator's departure
            p_answer = _expit(_logit(rate) + 0.8 * (actors.engagement - actors.engagement.mean()))
            answering = np.flatnonzero(listed & (rng.random(n) < p_answer))
            # Some organisations answer twice (two people of the same organisation).
            p_second = np.where(np.isin(actors.sectors[answering], self.large_sectors), 0.2, 0.08)
            second = answering[rng.random(len(answering)) < p_second]
            org = np.concatenate([answering, second])
            count = len(org)
            if count == 0:
                continue
            window = int((ends[number] - starts[number]).astype(int)) + 1
            days = np.floor(rng.beta(1.6, 2.6, count) * window).astype(int)
            submitted = np.minimum(starts[number] + days, last_day)
            order = np.argsort(submitted, kind="stable")
            org, submitted = org[order], submitted[order]
            resp_ids = self._ids("respondent", count)
            multiplier = int(rng.integers(1, 1 << 23)) * 2 + 1
            shift = int(rng.integers(0, 1 << 24))
            hashes = (np.arange(count, dtype=np.int64) * multiplier + shift) & 0xFFFFFF
            keys = [f"R-{number}-{h:06x}" for h in hashes.tolist()]
            self.tables["respondent"].add(
                id=resp_ids,
                wave_id=np.full(count, wave_id),
                respondent_key=keys,
                actor_id=actors.ids[org],
                sector=actors.sectors[org],
                submitted_at=submitted,
            )
            # Likert: 21 items, ~5 % missing, a few respondents abandon midway.
            n_items = len(self.items)
            person = rng.normal(0.0, 0.45, count)
            raw = (
                2.2
                + 2.3 * m
                + territory_offset
                + self.item_offsets[None, :]
                + person[:, None]
                + rng.normal(0.0, 0.55, (count, n_items))
            )
            values = np.clip(np.rint(raw), 1, 5).astype(np.int64)
            answered = rng.random((count, n_items)) >= _LIKERT_MISSING
            abandon = rng.random(count) < 0.03
            cut = rng.integers(3, n_items, count)
            answered &= ~(abandon[:, None] & (np.arange(n_items)[None, :] >= cut[:, None]))
            rr, ii = np.nonzero(answered)
            self.tables["likert_answer"].add(
                respondent_id=resp_ids[rr], item=ii, value=values[rr, ii]
            )
            # Resources: probability rises with maturity.
            probs = np.clip(self.resource_probs[actors.sectors[org]] * (0.3 + 0.9 * m), 0.0, 0.95)
            rr, kk = np.nonzero(rng.random(probs.shape) < probs)
            self.tables["resource_contribution"].add(respondent_id=resp_ids[rr], resource_type=kk)
            # Roster: each respondent rates ~75 % of the other listed actors.
            drift = rng.normal(0.0, _WAVE_DRIFT_SD, (n, n))
            drift = (drift + drift.T) / math.sqrt(2.0)
            coverage = rng.uniform(0.6, 0.9, count)
            skipped = rng.random(count) < 0.03
            rated = (
                listed[None, :]
                & (columns[None, :] != org[:, None])
                & (rng.random((count, n)) < coverage[:, None])
                & ~skipped[:, None]
            )
            rr, cc = np.nonzero(rated)
            score = (
                actors.affinity[org[rr], cc]
                + drift[org[rr], cc]
                + rng.normal(0.0, _RATER_SD, len(rr))
                + _TIE_SHIFT * m
            )
            level = np.searchsorted(_TIE_THRESHOLDS, score, side="right").astype(np.int64)
            rater = rng.normal(0.0, 0.3, count)
            base = 1.5 + 1.4 * m + 0.3 * (level - 1) + rater[rr]
            trust = []
            for item_offset in (0.0, -0.1, 0.15):
                value = np.clip(np.rint(base + item_offset + rng.normal(0, 0.45, len(rr))), 1, 4)
                trust.append(np.where(level >= 1, value, np.nan))
            self.tables["roster_rating"].add(
                respondent_id=resp_ids[rr],
                rated_actor_id=actors.ids[cc],
                level=level,
                trust_reliable=trust[0],
                trust_mission=trust[1],
                trust_open=trust[2],
            )

    def _journals(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        maturity: np.ndarray,
        actors: _Actors,
        start_index: int,
        months: int,
    ) -> _Journals:
        story = plan.story
        t = np.arange(months)
        month_index = start_index + t
        # Declared maturity: the binôme's reading lags two months and is rarely downgraded.
        declared = np.maximum.accumulate(maturity[np.maximum(t - 2, 0)])
        if story.kind == "regress":
            # Still declares structuration after the facilitator has left.
            declared = np.minimum(declared, 0.49)
        k = len(self.stages)
        stage = np.minimum((declared * k).astype(int), k - 1)
        # Rows: the stalled story misses ~3 months (never the last two).
        keep = np.ones(months, bool)
        if story.kind == "stall":
            candidates = np.flatnonzero((t >= 11) & (month_index < self.end_index - 1))
            if len(candidates):
                missing = rng.choice(candidates, size=min(3, len(candidates)), replace=False)
                keep[missing] = False
        # Portrait sensible: interviews over months 0–8.
        planned = int(rng.integers(32, 49))
        reached = rng.uniform(0.88, 1.0)
        done = np.rint(planned * reached * np.minimum(1.0, (t + 1) / 9.0) ** 0.85).astype(int)
        new_actors = np.bincount(actors.entry, minlength=months)[:months]
        coalition = stage == k - 1
        tools = np.cumsum(coalition & (rng.random(months) < 0.2))
        tools = np.where(coalition, tools, 0)
        # Rubric: each milestone progresses with the declared maturity past its stage's start.
        milestone_noise = rng.normal(0.0, 0.12, len(self.milestones))
        progress = (
            (declared[:, None] - self.milestone_stage[None, :] / k) * k
            - 0.6 * self.milestone_position[None, :]
            + milestone_noise[None, :]
        )
        score = np.select([progress < 0.0, progress < 0.45, progress < 0.95], [0, 1, 2], default=3)
        score = np.maximum.accumulate(score, axis=0).astype(np.int64)
        # Status: older months approved, last month submitted, this month a draft.
        status = np.where(
            month_index < self.end_index - 1, 2, np.where(month_index == self.end_index - 1, 1, 0)
        )
        next_month = _month_days(month_index + 1).astype("datetime64[s]")
        submit_delay = rng.integers(1, 10, months) * 86400 + rng.integers(8, 19, months) * 3600
        submitted = next_month + submit_delay.astype("timedelta64[s]")
        approve_delay = rng.integers(1, 15, months) * 86400 + rng.integers(0, 8, months) * 3600
        approved = submitted + approve_delay.astype("timedelta64[s]")
        nat = np.datetime64("NaT", "s")
        # The month just closed was submitted in the first days of end_month.
        submitted = np.where(
            status == 1, next_month + (rng.integers(0, 3, months) * 86400 + 36000), submitted
        )
        submitted = np.where(status >= 1, submitted, nat)
        approved = np.where(status == 2, approved, nat)
        strengths, difficulties, next_steps = self._narratives(plan, rng, stage, status, months)
        rows = np.flatnonzero(keep)
        ids = self._ids("journal", len(rows))
        self.tables["journal"].add(
            id=ids,
            territory_id=np.full(len(rows), plan.id, dtype=object),
            month=_month_days(month_index[rows]),
            declared_stage=stage[rows],
            interviews_done=done[rows],
            interviews_planned=np.full(len(rows), planned),
            new_actors=new_actors[rows],
            tools_reused=tools[rows],
            narrative_strengths=np.array(strengths, dtype=object)[rows],
            narrative_difficulties=np.array(difficulties, dtype=object)[rows],
            narrative_next_steps=np.array(next_steps, dtype=object)[rows],
            narrative_internal=(rng.random(months) < 0.1)[rows],
            status=status[rows],
            submitted_at=submitted[rows],
            approved_at=approved[rows],
            approved_by=np.where(status == 2, float(self.lead_id), np.nan)[rows],
        )
        n_milestones = len(self.milestones)
        self.tables["journal_rubric"].add(
            journal_id=np.repeat(ids, n_milestones),
            milestone_id=np.tile(np.arange(n_milestones), len(rows)),
            score=score[rows].ravel(),
        )
        return _Journals(
            ids=ids,
            months=t[rows],
            month_index=month_index[rows],
            stage=stage[rows],
            status=status[rows],
            interviews=np.diff(done, prepend=0)[rows],
        )

    def _narratives(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        stage: np.ndarray,
        status: np.ndarray,
        months: int,
    ) -> tuple[list[str], list[str], list[str]]:
        story = plan.story
        k = len(self.stages)
        place = plan.places[0][1]
        strengths: list[str] = []
        difficulties: list[str] = []
        next_steps: list[str] = []

        de_place, at_place = _with_de(place), _at(place)

        def pick(pool: Sequence[str], upto: int = 2) -> str:
            """One or (up to ``upto``) two distinct sentences of the pool, in pool order."""
            size = len(pool)
            first = int(rng.integers(size))
            chosen = [first]
            if upto > 1 and size > 1 and rng.random() < 0.5:
                chosen.append((first + 1 + int(rng.integers(size - 1))) % size)
            text_ = " ".join(pool[i] for i in sorted(chosen))
            return text_.format(dc=de_place, ac=at_place)

        for month in range(months):
            bucket = min(3, int(stage[month]) * 4 // k)
            pools = _NARRATIVES[bucket]
            if story.kind == "stall" and month >= 10:
                pools = (_STALL_NARRATIVES[0], _STALL_NARRATIVES[1], _STALL_NARRATIVES[2])
            strength, difficulty, next_step = pick(pools[0]), pick(pools[1]), pick(pools[2], 1)
            if story.kind == "regress":
                if month == story.leave:
                    difficulty, next_step = _LEAVE_DIFFICULTY, _LEAVE_NEXT
                elif story.leave < month < story.recover:
                    strength = pick(_AFTER_LEAVE_NARRATIVES[0], 1)
                    difficulty = pick(_AFTER_LEAVE_NARRATIVES[1], 1)
                    next_step = pick(_AFTER_LEAVE_NARRATIVES[2], 1)
                elif month == story.recover:
                    strength = _RECOVERY_STRENGTH
                    next_step = pick(_RECOVERY_NARRATIVES[2], 1)
                elif month > story.recover:
                    strength = pick(_RECOVERY_NARRATIVES[0] + pools[0], 1)
                    difficulty = pick(_RECOVERY_NARRATIVES[1] + pools[1], 1)
            if status[month] == 0:  # a draft: only the strengths are written so far
                difficulty, next_step = "", ""
            strengths.append(strength)
            difficulties.append(difficulty)
            next_steps.append(next_step)
        return strengths, difficulties, next_steps

    def _events(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        maturity: np.ndarray,
        actors: _Actors,
        journals: _Journals,
    ) -> None:
        story = plan.story
        n = len(actors.ids)
        k = len(self.stages)
        weights_all = np.exp(actors.engagement)
        core_weights = np.exp(2.0 * actors.activity + 0.5 * actors.engagement)
        interviewed = np.zeros(n, bool)
        previous_workshop = np.zeros(n, bool)
        event_journal: list[int] = []
        held: list[np.datetime64] = []
        kinds: list[str] = []
        titles: list[str] = []
        attendance: list[np.ndarray] = []
        for journal_id, t, month_index, stage, status, interviews in zip(
            journals.ids.tolist(),
            journals.months.tolist(),
            journals.month_index.tolist(),
            journals.stage.tolist(),
            journals.status.tolist(),
            journals.interviews.tolist(),
            strict=True,
        ):
            m = float(maturity[t])
            bucket = min(3, stage * 4 // k)
            listed = actors.entry <= t
            if story.kind == "stall" and t >= 10:
                count = 1 + int(rng.random() < 0.3)
            elif story.kind == "regress" and story.leave <= t < story.recover:
                count = 1
            else:
                count = 1 + int(rng.binomial(2, 0.15 + 0.5 * m))
            if status == 0:
                count = 1
            plan_kinds = []
            if interviews > 0:
                plan_kinds.append("interview")
            while len(plan_kinds) < count:
                plan_kinds.append("workshop" if rng.random() < 0.55 else "meeting")
            days = np.sort(rng.integers(0, 20 if status == 0 else 28, len(plan_kinds)))
            first_day = _month_days(month_index)
            used: set[str] = set()
            for kind, day in zip(plan_kinds, days.tolist(), strict=True):
                if kind == "interview":
                    pool = np.flatnonzero(listed & ~interviewed)
                    size = min(len(pool), max(1, min(6, interviews // 2)))
                    present = pool[rng.permutation(len(pool))[:size]]
                    interviewed[present] = True
                    title = "Entretiens du portrait sensible"
                elif kind == "meeting":
                    pool = np.flatnonzero(listed)
                    size = min(len(pool), int(rng.integers(4, 10)))
                    present = _weighted_sample(rng, pool, core_weights[pool], size)
                    title = _pick_title(rng, _MEETING_TITLES[bucket], used)
                else:
                    size = int(np.clip(round(6 + 24 * m + rng.normal(0, 3)), 4, listed.sum()))
                    continuity = 0.25 + 0.6 * m
                    kept = np.flatnonzero(previous_workshop & listed)
                    kept = kept[rng.random(len(kept)) < continuity][:size]
                    available = listed.copy()
                    available[kept] = False
                    pool = np.flatnonzero(available)
                    extra = min(len(pool), size - len(kept))
                    new = _weighted_sample(rng, pool, weights_all[pool], extra)
                    present = np.concatenate([kept, new])
                    previous_workshop = np.zeros(n, bool)
                    previous_workshop[present] = True
                    title = _pick_title(rng, _WORKSHOP_TITLES[bucket], used)
                used.add(title)
                event_journal.append(journal_id)
                held.append(first_day + np.timedelta64(day, "D"))
                kinds.append(kind)
                titles.append(title)
                attendance.append(np.sort(present))
        count = len(event_journal)
        if count == 0:
            return
        event_ids = self._ids("journal_event", count)
        self.tables["journal_event"].add(
            id=event_ids,
            journal_id=np.array(event_journal, dtype=np.int64),
            held_on=np.array(held, dtype="datetime64[D]"),
            kind=kinds,
            title=titles,
        )
        sizes = np.array([len(a) for a in attendance])
        present_all = np.concatenate(attendance).astype(np.int64)
        event_of = np.repeat(event_ids, sizes)
        self.tables["event_attendance"].add(event_id=event_of, actor_id=actors.ids[present_all])
        # Headcounts per sector: 1–2 people per organisation present, plus inhabitants who are
        # not on the actors list at workshops.
        n_sectors = len(self.sectors)
        people = 1 + (rng.random(len(present_all)) < 0.35)
        slot = np.repeat(np.arange(count), sizes) * n_sectors + actors.sectors[present_all]
        heads = np.bincount(slot, weights=people, minlength=count * n_sectors).reshape(
            count, n_sectors
        )
        is_workshop = np.array([k_ == "workshop" for k_ in kinds])
        heads[:, self.sector_code["habitant"]] += np.where(is_workshop, rng.poisson(2.0, count), 0)
        ee, ss = np.nonzero(heads > 0)
        self.tables["event_participants"].add(
            event_id=event_ids[ee], sector=ss, count=heads[ee, ss].astype(np.int64)
        )

    def _joint_actions(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        maturity: np.ndarray,
        actors: _Actors,
        start_index: int,
        months: int,
    ) -> None:
        story = plan.story
        decided = []
        for t in range(months):
            m = float(maturity[t])
            if m > 0.4 and len(decided) < 8 and rng.random() < 0.1 + 0.4 * (m - 0.4):
                decided.append(t)
        if not decided:
            return
        count = len(decided)
        ids = self._ids("joint_action", count)
        title_order = rng.permutation(len(_JOINT_ACTION_TITLES))[:count]
        starts, ends, statuses = [], [], []
        for t in decided:
            start_month = start_index + t + int(rng.integers(1, 3))
            start = _month_days(start_month) + np.timedelta64(int(rng.integers(0, 25)), "D")
            length = int(rng.integers(4, 19))
            end = _month_days(start_month + length) + np.timedelta64(int(rng.integers(0, 25)), "D")
            if start_month > self.end_index:
                status, end_date = "planned", None
            elif story.kind == "regress" and t <= story.leave < t + length + 1:
                status = "abandoned" if rng.random() < 0.6 else "under_way"
                end_date = (
                    _month_days(start_index + story.leave + 2) if status == "abandoned" else None
                )
                end_date = max(end_date, start) if end_date is not None else None
            elif start_month + length <= self.end_index:
                status = "abandoned" if rng.random() < 0.1 else "completed"
                end_date = end if status == "completed" else _month_days(start_month + length // 2)
            else:
                status, end_date = "under_way", None
            starts.append(start)
            ends.append(end_date if end_date is not None else np.datetime64("NaT", "D"))
            statuses.append(status)
        self.tables["joint_action"].add(
            id=ids,
            territory_id=np.full(count, plan.id, dtype=object),
            title=[_JOINT_ACTION_TITLES[i] for i in title_order],
            start_date=np.array(starts, dtype="datetime64[D]"),
            end_date=np.array(ends, dtype="datetime64[D]"),
            status=statuses,
        )
        region_funder = f"Région {plan.region}"
        department_funder = _department_funder(plan)
        for action_id, t in zip(ids.tolist(), decided, strict=True):
            m = float(maturity[t])
            listed = np.flatnonzero(actors.entry <= t)
            present = np.unique(actors.sectors[listed])
            n_sectors = min(len(present), 1 + int(rng.binomial(4, 0.25 + 0.4 * m)))
            chosen_sectors = rng.choice(present, size=n_sectors, replace=False)
            size = int(np.clip(2 + rng.binomial(8, 0.2 + 0.4 * m), max(2, n_sectors), 10))
            members = []
            for sector in chosen_sectors:
                pool = listed[actors.sectors[listed] == sector]
                w = np.exp(actors.activity[pool])
                members.append(int(rng.choice(pool, p=w / w.sum())))
            pool = listed[np.isin(actors.sectors[listed], chosen_sectors)]
            pool = pool[~np.isin(pool, members)]
            extra = min(len(pool), size - len(members))
            members.extend(
                _weighted_sample(rng, pool, np.exp(actors.activity[pool]), extra).tolist()
            )
            members_arr = np.sort(np.array(members, dtype=np.int64))
            self.tables["joint_action_actor"].add(
                action_id=np.full(len(members_arr), action_id), actor_id=actors.ids[members_arr]
            )
            place = plan.places[int(rng.integers(len(plan.places)))][1]
            candidates = [
                ("Fondation de France", 0.6, 5_000, 30_000),
                (region_funder, 0.3, 5_000, 40_000),
                (department_funder, 0.35, 3_000, 25_000),
                (
                    "Ville de Nantes" if plan.urban else f"Commune {_with_de(place)}",
                    0.35,
                    1_000,
                    10_000,
                ),
                (plan.interco, 0.25, 2_000, 15_000),
                (_FOUNDATIONS_ABRITEES[int(rng.integers(3))], 0.15, 2_000, 15_000),
                ("Caisse d'allocations familiales", 0.1, 2_000, 12_000),
            ]
            funders, amounts = [], []
            for funder, probability, low, high in candidates:
                if rng.random() < probability and funder not in funders:
                    funders.append(funder)
                    amount = round(float(rng.uniform(low, high)) / 500) * 500
                    amounts.append(np.nan if rng.random() < 0.05 else float(amount))
            if not funders:
                funders, amounts = ["Fondation de France"], [float(rng.integers(10, 41) * 500)]
            self.tables["joint_action_funding"].add(
                action_id=np.full(len(funders), action_id), funder=funders, amount_eur=amounts
            )

    def _coordination_funding(
        self,
        plan: _Plan,
        rng: np.random.Generator,
        maturity: np.ndarray,
        actors: _Actors,
        start_index: int,
        months: int,
    ) -> None:
        story = plan.story
        funders: list[str] = []
        starts: list[int] = []
        ends: list[int | None] = []
        amounts: list[float] = []
        # Fondation de France funds the coordination every year from the start.
        for year, base in enumerate((60_000, 50_000, 40_000)):
            t = 12 * year
            if t >= months:
                break
            funders.append("Fondation de France")
            starts.append(start_index + t)
            ends.append(start_index + t + 11)
            amounts.append(float(round(base * rng.uniform(0.9, 1.1), -3)))
        # Other funders join as the cooperation matures.
        company = self.sector_code["entreprise"]
        companies = [
            name for name, s in zip(actors.names, actors.sectors, strict=True) if s == company
        ]
        patron = f"Mécénat {companies[int(rng.integers(len(companies)))]}"
        joiners = [
            (_department_funder(plan), 0.33, 15_000, 30_000),
            (plan.interco, 0.45, 10_000, 25_000),
            (f"Région {plan.region}", 0.55, 15_000, 35_000),
            (patron, 0.7, 5_000, 12_000),
        ]
        for funder, threshold, low, high in joiners:
            if funder == patron and rng.random() < 0.4:
                continue  # not every territory finds a patron
            above = np.flatnonzero(maturity[:months] > threshold + rng.uniform(-0.04, 0.08))
            if not len(above):
                continue
            t = int(above[0]) + int(rng.integers(0, 3))
            if t >= months:
                continue
            end = None
            if story.kind == "regress" and t < story.leave and funder.startswith("Région"):
                end = start_index + min(story.leave + 3, months - 1)
            funders.append(funder)
            starts.append(start_index + t)
            ends.append(end)
            amounts.append(float(round(rng.uniform(low, high), -3)))
        count = len(funders)
        self.tables["coordination_funding"].add(
            id=self._ids("coordination_funding", count),
            territory_id=np.full(count, plan.id, dtype=object),
            funder=funders,
            start_month=_month_days(np.array(starts)),
            end_month=np.array(
                [_month_days(e) if e is not None else np.datetime64("NaT", "D") for e in ends],
                dtype="datetime64[D]",
            ),
            amount_eur=np.array(amounts),
        )

    def frames(self) -> dict[str, pd.DataFrame]:
        vocabularies = self.vocabularies()
        return {name: table.frame(vocabularies) for name, table in self.tables.items()}


def _weighted_sample(
    rng: np.random.Generator, pool: np.ndarray, weights: np.ndarray, size: int
) -> np.ndarray:
    """``size`` distinct items of ``pool`` drawn with probability ∝ weight (Gumbel top-k)."""
    if size <= 0:
        return pool[:0]
    if size >= len(pool):
        return pool
    keys = np.log(weights) - np.log(-np.log(rng.random(len(pool))))
    return pool[np.argpartition(-keys, size - 1)[:size]]


def _pick_title(rng: np.random.Generator, pool: Sequence[str], used: set[str]) -> str:
    """A title from the pool, not one already used this month when possible."""
    fresh = [title for title in pool if title not in used] or list(pool)
    return fresh[int(rng.integers(len(fresh)))]


def _department_funder(plan: _Plan) -> str:
    if plan.department is None:
        return "Conseil départemental"
    phrase = _DEPARTMENT_PHRASES.get(plan.department, f"de {plan.department}")
    return f"Département {phrase}"


@dataclass(frozen=True)
class _Actors:
    ids: np.ndarray  # actor.id
    sectors: np.ndarray  # sector codes
    names: list[str]
    activity: np.ndarray  # how central an organisation is in the cooperation
    engagement: np.ndarray  # propensity to answer surveys and attend workshops
    entry: np.ndarray  # month the organisation joins the actors list
    affinity: np.ndarray  # symmetric latent pair affinity
    place: np.ndarray


@dataclass(frozen=True)
class _Journals:
    ids: np.ndarray
    months: np.ndarray  # months since the territory's start
    month_index: np.ndarray  # absolute month index
    stage: np.ndarray  # declared stage rank from 0
    status: np.ndarray  # 0 draft, 1 submitted, 2 approved
    interviews: np.ndarray  # interviews held in the month


def generate_demo(
    config: AppConfig,
    n_territories: int = 6,
    seed: int = DEFAULT_SEED,
    end_month: dt.date | None = None,
    progress: Progress | None = None,
) -> dict[str, pd.DataFrame]:
    """Generate the demo history of ``n_territories`` territories up to ``end_month``.

    The first territories are the configured ones (``config.territories``, in order); beyond
    them, synthetic territories ``demo-0007``… are added, most with a complete 36-month history.
    Pure and deterministic: the same arguments give equal frames.

    Returns one DataFrame per table name (``territory`` holds only the synthetic territories;
    configured ones are expected in the database already), with the model's columns and
    integer primary keys from 1.
    """
    if n_territories < 1:
        raise ValueError("n_territories must be at least 1")
    end = (end_month or dt.date.today()).replace(day=1)
    plans = _plan_territories(config, n_territories, seed, end)
    generator = _Generator(config, end, plans)
    generator.add_users()
    for plan in plans:
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(plan.index, 1)))
        generator.add_territory(plan, rng)
        done = plan.index + 1
        if progress is not None and (done % 100 == 0 or done == len(plans)):
            progress(f"Jeu de démonstration : {done}/{len(plans)} territoires générés")
    return generator.frames()


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def database_is_empty(engine: Engine) -> bool:
    """True when the database holds no actor (the demo, or real data, was never loaded)."""
    with engine.connect() as connection:
        return connection.execute(select(Actor.id).limit(1)).first() is None


def _shift_keys(
    frames: dict[str, pd.DataFrame], offsets: dict[str, int]
) -> dict[str, pd.DataFrame]:
    """Shift integer ids (and the foreign keys pointing at them) past the rows already there."""
    if not any(offsets.values()):
        return frames
    shifted = {}
    for name, frame in frames.items():
        table = Base.metadata.tables[name]
        changes = {}
        for column in table.columns:
            if column.name not in frame.columns:
                continue
            if column.name == "id" and offsets.get(name):
                changes[column.name] = frame[column.name] + offsets[name]
            for key in column.foreign_keys:
                target = key.column
                if target.name == "id" and offsets.get(target.table.name):
                    changes[column.name] = frame[column.name] + offsets[target.table.name]
        shifted[name] = frame.assign(**changes) if changes else frame
    return shifted


def _integer_id_tables(names: Sequence[str]) -> list[Table]:
    tables = []
    for name in names:
        table = Base.metadata.tables[name]
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id" and isinstance(pk[0].type, Integer):
            tables.append(table)
    return tables


def load_demo(
    engine: Engine,
    frames: dict[str, pd.DataFrame],
    actor: str = "demo",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Insert the frames of :func:`generate_demo` in one transaction; return rows per table.

    The programme, stage model and configured territories must already be in the database
    (migrations + config sync); synthetic territories come with the frames. Integer ids are
    shifted past any rows already present (e.g. a user added before the demo), so the frames'
    foreign keys stay consistent. On PostgreSQL the id sequences are moved past the inserted
    ids. One ``audit_log`` row (``demo.load``) records the row counts. Any error (e.g. loading
    the same frames twice) rolls everything back.
    """
    unknown = set(frames) - set(Base.metadata.tables)
    if unknown:
        raise ValueError(f"unknown tables in demo frames: {', '.join(sorted(unknown))}")
    ordered = [t for t in Base.metadata.sorted_tables if t.name in frames]
    id_tables = _integer_id_tables([t.name for t in ordered])
    counts = {name: len(frames[name]) for name in frames}
    total = sum(counts.values())
    inserted = 0
    with engine.begin() as connection:
        offsets = {
            t.name: int(connection.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())
            for t in id_tables
        }
        shifted = _shift_keys(frames, offsets)
        for table in ordered:
            frame = shifted[table.name]
            columns = [c.name for c in table.columns if c.name in frame.columns]

            def report(done: int, name: str = table.name, before: int = inserted) -> None:
                if progress is not None:
                    progress(f"Chargement : {name} {before + done}/{total} lignes")

            inserted += insert_frame(
                connection,
                table,
                frame[columns],
                progress=report if len(frame) > CHUNK_ROWS else None,
            )
        if connection.dialect.name == "postgresql":
            for table in id_tables:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
        record(connection, actor, "demo.load", "database", details=counts)
    if progress is not None:
        progress(f"Chargement terminé : {total} lignes")
    return counts
