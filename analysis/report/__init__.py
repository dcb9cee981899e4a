"""Briefing exports: Excel-safe tables (CSV/XLSX), static chart images, the PPTX briefing pack.

Modules: ``tables`` (CSV with BOM, XLSX with fitted columns, formula-injection safe),
``images`` (plotly figure -> PNG/SVG through kaleido and a local Chromium), ``pptx``
(16:9 briefing slides with a Japanese font on every run) and ``briefing`` (the pack's content
and the exported tables, assembled from the filtered corpus frames). Personal names are withheld with
``analysis.names`` before anything is exported.
"""
