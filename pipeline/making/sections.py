"""A way of making's page section, rendered from a template in the method's own folder with the page's context.

The environment is the pages' (templating.environment: the same filters, `tr`, `say`, escaping), overlaid
with the method's folder first, so a method's template may include the pages' partials too.
"""
from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from ..templating import environment


@lru_cache(maxsize=8)
def _environment(folder: Path) -> jinja2.Environment:
    base = environment()
    return base.overlay(loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(folder)), base.loader]))


def render(folder: Path, template: str, context: Mapping[str, Any], **more: Any) -> str:
    """`template` of `folder` rendered with the page's `context` and the method's own names `more`."""
    return _environment(folder).get_template(template).render(dict(context), **more)
