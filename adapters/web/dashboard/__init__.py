"""The chain director's dashboard: a view model (view.py), pure HTML/SVG renderers (render.py, sections.py,
charts.py), its Dutch texts (texts.py), and the aiohttp routes with their access flow (app.py, access.py)."""
