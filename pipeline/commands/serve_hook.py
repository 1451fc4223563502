"""MkDocs hook, added by `python build.py serve` only: rebuild changed designs before each site build."""
from pipeline.commands import serve


def on_pre_build(config, **kwargs):  # noqa: ANN001, ARG001 - MkDocs' event signature
    if serve.current is not None:
        serve.current()
