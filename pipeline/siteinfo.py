"""The site's public address, read from mkdocs.yml, for the absolute URLs of machine-readable files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SiteInfo:
    site_url: str  # ends with '/'; a GitHub Pages project path such as https://user.github.io/repo/
    repo_url: str | None

    def url(self, docs_path: str) -> str:
        """Absolute URL of a file given by its path relative to the docs folder."""
        return self.site_url + docs_path

    def page_url(self, page: str) -> str:
        """Absolute URL of a Markdown page (directory URLs: designs/x.md → designs/x/)."""
        stem = page.removesuffix(".md")
        stem = stem.removesuffix("index") if stem.endswith("index") else stem + "/"
        return self.site_url + stem


def read_site_info(mkdocs_yml: Path) -> SiteInfo:
    from mkdocs.utils.yaml import yaml_load  # understands mkdocs.yml's !ENV tags

    with open(mkdocs_yml, encoding="utf-8") as f:
        config = yaml_load(f) or {}
    site_url = config.get("site_url") or "http://127.0.0.1:8000/"
    return SiteInfo(site_url.rstrip("/") + "/", config.get("repo_url"))
