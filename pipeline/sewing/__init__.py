"""Sewing stage: patterns for sewn designs (fabric masks), read from the pieces' outlines in the STEP.

    spec.py     design.yaml's `sewing` block as typed records
    pattern.py  each piece drawn as a pattern: cut line, stitch line, grainline, folds, notches, pleats, labels
    files.py    the pattern as tiled A4 and US-letter PDFs, one A0 sheet, SVG and DXF (one block per piece)
    roll.py     the pieces nested on fabric rolls: masks per metre, metres per 100 masks, the marker
    build.py    the stage: outlines from the STEP (the cutting worker's reader), then all of the above, cached
"""
