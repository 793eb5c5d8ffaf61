"""Chart builders: pure functions from DataFrames to plotly figures, tested without Streamlit.

One module per chart family — ``timeline`` (stage timeline), ``heatmap`` (indicator heatmap),
``trends`` (small multiples), ``sparkline`` (an indicator card's sparkline), ``participation``
(respondents per wave), ``radar`` (factor radar), ``network`` (the network report: cooperation
map, response rate, actors and actions, changes), ``actions`` (joint actions) — over
``common`` (French layout, empty figure, month axis, series styles). The pages call the
builders re-exported here (``charts.stage_timeline``).

Import rules: plotly, pandas, numpy, networkx, ``dashboard.status`` and ``dashboard.theme``,
``data.fr``, ``data.config`` (types), ``data.domain`` and ``indicators``; never Streamlit,
never the database.
"""

from dashboard.charts.actions import joint_actions_timeline
from dashboard.charts.heatmap import indicator_heatmap
from dashboard.charts.network import (
    actions_map,
    network_changes,
    network_graph,
    response_rate_chart,
    stable_layout,
)
from dashboard.charts.participation import respondents_per_wave
from dashboard.charts.radar import factor_radar
from dashboard.charts.sparkline import indicator_trend
from dashboard.charts.timeline import stage_timeline
from dashboard.charts.trends import small_multiples

__all__ = [
    "actions_map",
    "factor_radar",
    "indicator_heatmap",
    "indicator_trend",
    "joint_actions_timeline",
    "network_changes",
    "network_graph",
    "respondents_per_wave",
    "response_rate_chart",
    "small_multiples",
    "stable_layout",
    "stage_timeline",
]
