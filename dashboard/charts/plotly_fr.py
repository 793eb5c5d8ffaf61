"""Plotly's own chrome in French: the mode bar trimmed to what a reader of these charts uses
(save as PNG, zoom, pan, reset), its tooltips and messages translated, and dates and numbers
the French way (« 1 234,5 », « nov. 2026 »). Passed as ``config`` to every chart drawn."""

from __future__ import annotations

from typing import Any

# Every text Plotly shows in the mode bar and its notices, in the bundle Streamlit ships.
DICTIONARY = {
    "Autoscale": "Échelle automatique",
    "Box Select": "Sélection rectangulaire",
    "Compare data on hover": "Comparer les données au survol",
    "Double-click on legend to isolate one trace": (
        "Double-cliquez sur la légende pour isoler une série"
    ),
    "Double-click to zoom back out": "Double-cliquez pour revenir à la vue d'ensemble",
    "Download plot": "Télécharger le graphique",
    "Download plot as a PNG": "Télécharger le graphique (PNG)",
    "Download plot as a png": "Télécharger le graphique (PNG)",
    "Download plot as JSON": "Télécharger le graphique (JSON)",
    "Image download succeeded": "Image téléchargée",
    "JSON download succeeded": "Fichier JSON téléchargé",
    "Lasso Select": "Sélection au lasso",
    "Pan": "Déplacer",
    "Preparing image - this may take a few seconds": (
        "Préparation de l'image : quelques secondes…"
    ),
    "Reset": "Réinitialiser",
    "Reset axes": "Réinitialiser les axes",
    "Reset view": "Réinitialiser la vue",
    "Reset views": "Réinitialiser les vues",
    "Show closest data on hover": "Afficher la donnée la plus proche au survol",
    "Sorry, there was a problem downloading your image!": (
        "Le téléchargement de l'image a échoué : réessayez."
    ),
    "Sorry, there was a problem downloading your JSON file!": (
        "Le téléchargement du fichier a échoué : réessayez."
    ),
    "Toggle Spike Lines": "Afficher ou masquer les repères",
    "Toggle show closest data on hover": "Afficher ou masquer la donnée au survol",
    "Zoom": "Zoomer",
    "Zoom in": "Zoom avant",
    "Zoom out": "Zoom arrière",
}
FORMAT = {
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ],
    "shortMonths": [
        "janv.", "févr.", "mars", "avr.", "mai", "juin",
        "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ],
    "date": "%d/%m/%Y",
    "decimal": ",",
    "thousands": "\u202f",
}  # fmt: skip
# What the mode bar keeps: PNG, zoom, pan, reset. The rest serves data exploration tools.
REMOVED_BUTTONS = [
    "select2d",
    "lasso2d",
    "zoomIn2d",
    "zoomOut2d",
    "autoScale2d",
    "toggleSpikelines",
    "hoverClosestCartesian",
    "hoverCompareCartesian",
    "toggleHover",
    "sendDataToCloud",
    "Fullscreen",  # Streamlit's own, with an English title Plotly's dictionary cannot reach
]
PLOTLY_CONFIG: dict[str, Any] = {
    "locale": "fr",
    "locales": {"fr": {"dictionary": DICTIONARY, "format": FORMAT}},
    "displaylogo": False,
    "modeBarButtonsToRemove": REMOVED_BUTTONS,
    "toImageButtonOptions": {"format": "png", "filename": "cooperascope-graphique", "scale": 2},
}
