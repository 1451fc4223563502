"""The catalogue pipeline, one subpackage per stage, read in order in `catalogue.py`:

    source/    discover design folders, validate design.yaml and the script (never run)
    cad/       plan one job per variant, build the missing ones in confined workers, check them
      worker/  the only code that imports CadQuery: runs a script, writes STL/STEP/3MF/GLB, measures
    production/  slice every variant with PrusaSlicer per reference printer: times, filament, plates a workshop loads
    making/    the ways-of-making contract (issue 26) that printing, cutting and sewing fulfil
    sewing/    sewn designs: patterns from the pieces' outlines, tiled PDFs, SVG, DXF, fabric rolls nested
    reviews/   review records and makers' print reports, checked against the files just built
    pictures/  a PNG per variant and per assembly step (offscreen VTK, matplotlib fallback)
    publish/   the downloads folder: files, SHA256SUMS, zip bundles, okh.toml, catalogue.json
    pages/     the generated Markdown pages (Jinja2)
    site.py    mkdocs build --strict
    commands/  new, check, export, serve

Shared modules at the bottom: model (data types), config (BuildConfig, Limits),
fsutil (atomic writes, zips), materials, siteinfo, templating, languages and categories (each listed once),
photos (re-encoded without metadata), drawing/ (the 2D writer: SVG, PDF), shown_text (contributors' text escaped).
"""
