"""The monthly review as a PDF report, built natively with fpdf2.

``document`` is the A4 document and its drawing primitives (headings, paragraphs, tables,
swatches) with the DejaVu Sans shipped in ``fonts/``; ``monthly`` draws the monthly review
(:func:`monthly_report_pdf`) with them: its first page, then a page per territory drawn by
``territory``.

Imports: fpdf2, pandas, ``data.fr``, ``data.labels``, ``data.access``, ``data.config``,
``data.domain``, ``indicators`` and the dashboard's visual language (``dashboard.status``,
``dashboard.theme``).
Pure: no Streamlit, no database; the pages read the scoped data and pass DataFrames.
"""

from dashboard.pdf.monthly import monthly_report_pdf

__all__ = ["monthly_report_pdf"]
