"""Site stage: build one static site per language with MkDocs (strict), add what they share, swap it into place.

The published folder: en/ and fr/ (a whole MkDocs site each, with its own
search index and sitemap), and once for both: downloads/, catalogue.json, production.json, cutting.json, sewing.json, the
3D viewer (assets/) and index.html, which sends a reader to their language.
"""
from __future__ import annotations

import logging
import os
import shutil
from functools import partial
from pathlib import Path

from .forking import side_by_side
from .fsutil import fresh_staging, link_or_copy, replace_dir
from .languages import ALL
from .siteinfo import SiteInfo

# Each language's MkDocs configuration; each inherits mkdocs.yml.
SITE_CONFIGS = {language.code: language.site_config for language in ALL}
# Published once at the site's root, from the docs folder: the heavy downloads are never repeated per language.
SHARED = ("downloads", "assets", "catalogue.json", "production.json", "cutting.json", "sewing.json", "index.html",
          "404.html")


class SiteError(Exception):
    pass


def build_site(root: Path, docs_dir: Path, site_dir: Path, site: SiteInfo, template_cache: Path | None = None,
               strict: bool = True) -> None:
    """Both languages and the shared files, into a staging folder that replaces `site_dir` only on success.

    The languages are built side by side, each but the first in a forked copy of this process (MkDocs and
    its plugins already imported, no new interpreter): a site is most of a no-change rebuild, and the
    machine has a core per language to spare by then."""
    staging = fresh_staging(site_dir)
    jobs = [(root / config_file, staging / lang, f"{site.site_url}{lang}/", template_cache, strict)
            for lang, config_file in SITE_CONFIGS.items()]
    _import_mkdocs()  # once, before forking: each copy starts with it imported
    # a language's SiteError is raised here, as if built in this process
    side_by_side({job[1].name: partial(build_language, *job) for job in jobs}, first_here=True)
    publish_shared(docs_dir, staging)
    replace_dir(staging, site_dir)


def _import_mkdocs() -> None:
    import material.plugins.search.plugin  # noqa: F401 - imported for the forked copies
    import mkdocs.commands.build  # noqa: F401


def build_language(mkdocs_yml: Path, site_dir: Path, site_url: str, template_cache: Path | None = None,
                   strict: bool = True) -> None:
    """`mkdocs build --strict` in-process: one language's site."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner, known and planned for
    warnings = _WarningCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        config = load_config(str(mkdocs_yml), strict=strict, site_dir=str(site_dir), site_url=site_url)
        if template_cache is not None:
            _cache_compiled_templates(config, template_cache / mkdocs_yml.stem)
        build(config)
    except (Abort, ConfigurationError) as err:
        details = "; ".join(warnings.messages) or str(err)
        raise SiteError(f"{mkdocs_yml.name}: mkdocs build failed: {details}") from None
    finally:
        logger.removeHandler(warnings)


def publish_shared(docs_dir: Path, site_dir: Path) -> None:
    """The files both languages link to, once; hard links where the file system allows."""
    for name in SHARED:
        source = docs_dir / name
        if source.is_dir():
            for path in sorted(p for p in source.rglob("*") if p.is_file()):
                target = site_dir / name / path.relative_to(source)
                target.parent.mkdir(parents=True, exist_ok=True)
                link_or_copy(path, target)
        elif source.is_file():
            shutil.copyfile(source, site_dir / name)


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
