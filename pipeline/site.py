"""Site stage: build the static site with MkDocs (strict) and swap it into place."""
from __future__ import annotations

import logging
import os
from pathlib import Path

from .fsutil import fresh_staging, replace_dir


class SiteError(Exception):
    pass


def build_site(mkdocs_yml: Path, site_dir: Path, template_cache: Path | None = None, strict: bool = True) -> None:
    """`mkdocs build --strict` in-process, into a staging folder that replaces `site_dir` only on success."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner, known and planned for
    staging = fresh_staging(site_dir)
    warnings = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        config = load_config(str(mkdocs_yml), strict=strict, site_dir=str(staging))
        if template_cache is not None:
            _cache_compiled_templates(config, template_cache)
        build(config)
    except (Abort, ConfigurationError) as err:
        details = "; ".join(warnings.messages) or str(err)
        raise SiteError(f"mkdocs build failed: {details}") from None
    finally:
        logger.removeHandler(warnings)
    replace_dir(staging, site_dir)


def _cache_compiled_templates(config, folder: Path) -> None:
    """Keep Material's compiled Jinja templates between builds.

    MkDocs compiles the theme's templates on every build, most of a no-change
    rebuild's time; Jinja's bytecode cache is keyed by template source and
    checked for staleness, so a cached template is always the current one.
    """
    import jinja2

    folder.mkdir(parents=True, exist_ok=True)

    def on_env(env: jinja2.Environment, **_: object) -> jinja2.Environment:
        env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(folder))
        return env

    config.plugins.events["env"].insert(0, on_env)


class _WarningCollector(logging.Handler):
    """Keeps MkDocs' warnings so a failed strict build says why."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))
