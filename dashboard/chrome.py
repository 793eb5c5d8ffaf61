"""French words over Streamlit's own chrome where it has no setting for them: the file
uploader's button and instructions, and the « Fullscreen » button Streamlit adds to Plotly's
mode bar (Plotly's own buttons are translated through its config: ``charts.plotly_fr``), as
style sheets that hide the English text and write the French one in its place; the data
grid's toolbar and column menu, the uploaded file's size, the « Skip to main content » link
and the names the framework gives its controls for screen readers (« Show password »,
« Link to heading »…), by a script (:data:`CHROME_FR_SCRIPT`) that rewrites those words as
Streamlit draws them. The elements keep their behaviour. ``tests/e2e`` reads the result in Chromium.

And :func:`preload_charts`, which has the browser load Plotly before the first chart.
"""

from __future__ import annotations

import json

import plotly.graph_objects as go
import streamlit as st

from data import fr

PRELOAD_KEY = "plotly-preload"

# Plotly shows a mode bar button's tooltip from its ``data-title`` attribute (CSS ::after).
PLOTLY_FULLSCREEN_CSS = """
.js-plotly-plot .plotly .modebar-btn[data-title="Fullscreen"]::after {
  content: "Plein écran" !important;
}
.js-plotly-plot .plotly .modebar-btn[data-title="Close fullscreen"]::after {
  content: "Quitter le plein écran" !important;
}
"""


def uploader_css(max_file_mb: float, extensions: list[str]) -> str:
    """The uploader's « Upload » button and « 25MB per file • CSV… » line, in French."""
    formats = ", ".join(e.upper() for e in extensions)
    instructions = (
        f"Déposez le fichier ici ou cliquez sur « Parcourir » — {fr.number(max_file_mb)} Mo "
        f"au plus · {formats}"
    )
    return f"""
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Parcourir"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{instructions}"; font-size: 0.875rem;
}}
/* The line wraps on a phone rather than losing its end. */
[data-testid="stFileUploaderDropzoneInstructions"],
[data-testid="stFileUploaderDropzoneInstructions"] span {{
  white-space: normal; overflow: visible; text-overflow: clip;
}}
"""


# Streamlit's own words: its data grid's (toolbar tooltips, column menu, search), its file
# input's name, its skip link and the names it gives its controls for screen readers, exactly
# as its front end writes them (streamlit/static/static/js/), in French.
CHROME_WORDS = {
    "Add row": "Ajouter une ligne",
    "Delete row(s)": "Supprimer les lignes choisies",
    "Clear selection": "Effacer la sélection",
    "Download as CSV": "Télécharger en CSV",
    "Search": "Rechercher",
    "Show/hide columns": "Afficher ou masquer des colonnes",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Sort ascending": "Trier par ordre croissant",
    "Sort descending": "Trier par ordre décroissant",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Autosize": "Largeur automatique",
    "Select all": "Tout sélectionner",
    "Automatic": "Automatique",
    "Localized": "Local",
    "Plain": "Brut",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
    "Accounting": "Comptable",
    "Calendar": "Calendrier",
    # Names for screen readers (aria-label) of the framework's own controls.
    "file upload": "Choisir un fichier",
    "Add files": "Ajouter des fichiers",
    "Decrement": "Diminuer",
    "Increment": "Augmenter",
    "Skip to main content": "Aller au contenu principal",
    "App pages": "Pages",
    "Sidebar": "Barre latérale",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Link to heading": "Lien vers ce titre",
    "Clear entry": "Effacer",
    "Clear value": "Effacer",
    "Clear all": "Tout effacer",
    "Selected values": "Valeurs choisies",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Main menu": "Menu principal",
    "Expand sidebar": "Ouvrir la barre latérale",
    "Collapse sidebar": "Fermer la barre latérale",
    "Navigate to home page": "Aller à la page d'accueil",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants",
    "Running...": "En cours…",
    "Stop script": "Arrêter",
    "Choose date": "Choisir une date",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "Dataframe column menu": "Menu de la colonne",
    "Copy column name": "Copier le nom de la colonne",
    "Close Search": "Fermer la recherche",
    "Previous Result": "Résultat précédent",
    "Next Result": "Résultat suivant",
    "Markdown content": "Texte",
}
ARIA_PREFIXES = {"Help for ": "Aide : ", "Remove ": "Retirer "}
# Streamlit writes an uploaded file's size as « 25.2KB »; French writes « 25,2 Ko ».
SIZE_UNITS = {"B": "o", "KB": "Ko", "MB": "Mo", "GB": "Go"}

CHROME_FR_SCRIPT = (
    """
<script>
(() => {
  if (window.__cooperascopeChromeFr) return;
  window.__cooperascopeChromeFr = true;
  const words = WORDS;
  const units = UNITS;
  const prefixes = PREFIXES;
  // Only the framework's own chrome: tooltips, menus, the grid's toolbar, the uploader.
  const chrome = '[data-testid="stTooltipContent"], [data-baseweb="popover"], '
    + '[data-testid="stElementToolbar"], [data-testid="stFileUploader"], '
    + '[data-testid="stSkipToContent"]';
  const size = /^(\\d+(?:\\.\\d+)?)\\s?(B|KB|MB|GB)$/;
  const translate = (node) => {
    const text = node.nodeValue.trim();
    if (words[text]) { node.nodeValue = node.nodeValue.replace(text, words[text]); return; }
    const found = size.exec(text);
    if (found && node.parentElement.closest('[data-testid="stFileUploader"]')) {
      node.nodeValue = found[1].replace(".", ",") + "\\u00a0" + units[found[2]];
    }
  };
  // A name for screen readers: « Add row », « Add row: context », « Help for … ».
  const aria = (label) => {
    if (words[label]) return words[label];
    const [word, ...rest] = label.split(": ");
    if (rest.length && words[word]) return [words[word], ...rest].join(" : ");
    const prefix = Object.keys(prefixes).find((p) => label.startsWith(p));
    return prefix ? prefixes[prefix] + label.slice(prefix.length) : label;
  };
  const walk = (part) => {
    const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) translate(walker.currentNode);
  };
  const rename = (element) => {
    const label = element.getAttribute("aria-label");
    const french = label === null ? label : aria(label);
    if (french !== label) element.setAttribute("aria-label", french);
  };
  const visit = (root) => {
    root.querySelectorAll?.(chrome).forEach(walk);
    if (root.closest?.(chrome)) walk(root);
    root.querySelectorAll?.("[aria-label]").forEach(rename);
    if (root.matches?.("[aria-label]")) rename(root);  // the added element itself
    root.querySelectorAll?.('input[placeholder="Search"]').forEach((input) => {
      input.placeholder = words["Search"];
    });
  };
  new MutationObserver((changes) => changes.forEach((change) => {
    if (change.type === "attributes") {  // « Show password » becomes « Hide password »
      rename(change.target);
    } else if (change.type === "characterData") {
      if (change.target.parentElement?.closest(chrome)) translate(change.target);
    } else {
      change.addedNodes.forEach((node) => node.nodeType === 3
        ? node.parentElement?.closest(chrome) && translate(node) : visit(node));
    }
  })).observe(document.body, {
    childList: true, subtree: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label"],
  });
  visit(document.body);
})();
</script>
""".replace("WORDS", json.dumps(CHROME_WORDS, ensure_ascii=False))
    .replace("UNITS", json.dumps(SIZE_UNITS))
    .replace("PREFIXES", json.dumps(ARIA_PREFIXES, ensure_ascii=False))
)


def preload_charts() -> None:
    """Have the browser load Plotly now, unseen: Streamlit fetches and runs its chart library
    (4.7 MB of script, most of a second on a modest machine) only when a page first shows a
    chart. Shown under the sign-in form, an empty chart in a hidden container gets that done
    while the user types, instead of after the click."""
    with st.container(key=PRELOAD_KEY):
        st.plotly_chart(go.Figure(layout={"template": "none"}))
    st.html(f"<style>.st-key-{PRELOAD_KEY} {{ display: none; }}</style>")
