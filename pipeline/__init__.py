"""The catalogue pipeline, one subpackage per stage, read in order in `catalogue.py`:

    source/    discover design folders, validate design.yaml and the script (never run)
    cad/       plan one job per variant, build the missing ones in confined workers, check them
      worker/  the only code that imports CadQuery: runs a script, writes STL/STEP/3MF/GLB, measures
    making/    the contract every way of making fulfils (contract.py, records.py), its registry and its stage
               (build.py): each method a design's made_by names runs over its variants, behind its own cache
    production/  printing: slice every variant with PrusaSlicer per reference printer: times, filament, plates
    cutting/   laser cutting: each cut part's DXF and SVG, nested on each reference laser's sheet, cut figures
      worker/  reads the STEP's flat outlines in a confined process
    sewing/    sewing: patterns from the pieces' outlines (tiled PDFs, A0, SVG, DXF), fabric rolls nested
    reviews/   review records and makers' print reports, checked against the files just built
    pictures/  a PNG per variant and per assembly step (offscreen VTK, matplotlib fallback)
    publish/   the downloads folder: one list of a design's files, each with a role, from which SHA256SUMS,
               the zip, okh.toml, catalogue.json and the download host derive
    pages/     the generated Markdown pages (Jinja2)
    site.py    mkdocs build --strict
    commands/  new, check, export, serve

Shared modules at the bottom: model (the core data types), built (artifacts, facts, the build report),
trust_records (reviews and print reports), making (the ways of making's contract and records), runner (external
programs), wall (the walled children's confinement),
config (BuildConfig, Limits),
fsutil (atomic writes, zips), materials, siteinfo, templating, languages and categories (each listed once),
photos (re-encoded without metadata), drawing/ (the 2D writer: SVG, PDF), shown_text (contributors' text escaped).
"""
