"""The catalogue pipeline: discover → validate → build CAD → export → render pages → site.

Each stage is one module; `pipeline.build.build_catalogue` chains them.
"""
