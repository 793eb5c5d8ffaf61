"""What the binômes write in their monthly journals (in French): sentences per stage bucket,
for a stalled dynamic, and around a facilitator's departure and replacement.

Data only; :func:`data.demo.journal.draw_journals` picks from these pools. ``{dc}`` and
``{ac}`` stand for the main place with « de » and « à ».
"""

from __future__ import annotations

# Journal narratives per stage bucket: (strengths, difficulties, next steps).
NARRATIVES: tuple[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
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
STALL_NARRATIVES = (
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
LEAVE_DIFFICULTY = (
    "Départ de l'animatrice locale de la coopération : elle quitte ses fonctions ce mois-ci "
    "et n'est pas encore remplacée."
)
LEAVE_NEXT = "Organiser la passation et recruter rapidement une nouvelle animation locale."
AFTER_LEAVE_NARRATIVES = (
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
RECOVERY_STRENGTH = (
    "Arrivée d'un nouvel animateur ce mois-ci : les premiers rendez-vous avec les acteurs "
    "sont pris."
)
RECOVERY_NARRATIVES = (
    ("Reprise progressive des ateliers avec le nouvel animateur.",),
    ("Il faut reconstruire la confiance perdue pendant la vacance de l'animation.",),
    ("Relancer le comité de coopération et reprendre les projets communs en suspens.",),
)
