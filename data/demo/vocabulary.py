"""The demo's word lists (user-visible, in French): places, departments, the programme's
partners, organisation names, titles of joint actions and events, and how a place name reads
after « de » and « à ».

Data only, and two phrasing functions: the draws that use these lists live in
:mod:`data.demo.actors`, :mod:`data.demo.plan`, :mod:`data.demo.journal` and
:mod:`data.demo.actions`.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Places and partners
# ---------------------------------------------------------------------------------------------

# (commune as stored, place name used inside organisation names)
CONFIGURED_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
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
URBAN_TERRITORIES = frozenset({"nantes-qpv"})
INTERCOS: dict[str, str] = {
    "roya": "Communauté d'agglomération de la Riviera française",
    "entre-deux-mers": "Communauté de communes du Créonnais",
    "forbach": "Communauté d'agglomération Forbach Porte de France",
    "nantes-qpv": "Nantes Métropole",
    "aura": "Communauté de communes Ambert Livradois Forez",
    "haute-garonne": "Communauté de communes Cœur et Coteaux du Comminges",
}
GENERIC_PLACES = (
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
DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
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
DEPARTMENT_PHRASES: dict[str, str] = {
    "Alpes-Maritimes": "des Alpes-Maritimes",
    "Gironde": "de la Gironde",
    "Moselle": "de la Moselle",
    "Loire-Atlantique": "de la Loire-Atlantique",
    "Haute-Garonne": "de la Haute-Garonne",
    **{dep: phrase for dep, _region, phrase in DEPARTMENTS},
}
FDF_TEAMS: dict[str, str] = {
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
KIIF_MEMBERS: dict[str, str] = {
    "Auvergne-Rhône-Alpes": "Ronalpia",
    "Grand Est": "Le Filon",
    "Nouvelle-Aquitaine": "ATIS",
    "Occitanie": "Première Brique",
    "Pays de la Loire": "Les Ecossolies",
    "Provence-Alpes-Côte d'Azur": "Inter-Made",
}

# ---------------------------------------------------------------------------------------------
# Organisation names
# ---------------------------------------------------------------------------------------------

FANCY = (
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
SURNAMES = (
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
FIRST_NAMES = (
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
NAME_TEMPLATES: dict[str, tuple[str, ...]] = {
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
URBAN_COLLECTIVITE = (
    "Mairie de quartier {dc}",
    "CCAS de Nantes — antenne {c}",
    "{x}",
    "Ville de Nantes — pôle de proximité {c}",
    "Conseil nantais de la jeunesse ({c})",
    "Médiathèque {dc}",
    "Équipe de quartier {dc}",
)

# ---------------------------------------------------------------------------------------------
# Titles of joint actions, funders and events
# ---------------------------------------------------------------------------------------------

JOINT_ACTION_TITLES = (
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
FOUNDATIONS_ABRITEES = (
    "Fondation abritée Solidarités locales",
    "Fondation abritée Terres d'avenir",
    "Fondation abritée Ensemble pour demain",
)

# Event titles per stage bucket (0 emergence … 3 coalition).
WORKSHOP_TITLES: tuple[tuple[str, ...], ...] = (
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
MEETING_TITLES: tuple[tuple[str, ...], ...] = (
    ("Point binôme et acteurs moteurs", "Rencontre avec les élus", "Comité de pilotage TEC"),
    ("Comité de coopération", "Réunion de l'équipe d'animation", "Rencontre avec les élus"),
    ("Comité de coopération", "Comité de pilotage TEC", "Rencontre avec les financeurs"),
    ("Comité de coopération", "Conseil de la coalition", "Rencontre avec les financeurs"),
)

# ---------------------------------------------------------------------------------------------
# Place names in running text
# ---------------------------------------------------------------------------------------------

_ELISION_INITIALS = frozenset("aeiouyéèêàâîôûœ")
# Places whose name takes an article in running text.
_PLACE_ARTICLES = {"Dervallières": "les Dervallières"}


def with_de(place: str) -> str:
    """« de Tende », « d'Ambert », « du Vernet », « des Dervallières »."""
    name = _PLACE_ARTICLES.get(place, place)
    if name.startswith(("Le ", "le ")):
        return f"du {name[3:]}"
    if name.startswith(("Les ", "les ")):
        return f"des {name[4:]}"
    if name[:1].lower() in _ELISION_INITIALS:
        return f"d'{name}"
    return f"de {name}"


def with_a(place: str) -> str:
    """« à Tende », « au Vernet », « aux Dervallières »."""
    name = _PLACE_ARTICLES.get(place, place)
    if name.startswith(("Le ", "le ")):
        return f"au {name[3:]}"
    if name.startswith(("Les ", "les ")):
        return f"aux {name[4:]}"
    return f"à {name}"
