"""The site's public addresses, read from mkdocs.yml: where pages live, where heavy downloads live, the repository.

Every link to a published file, on a page or in catalogue.json and okh.toml,
is made by `SiteInfo.download_link`: the one place that knows which files are
on GitHub Pages and which on the download host.
"""
from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .languages import ALL
from .making.records import role_shown
from .model import Download

# The contributor's guide in each language of the site, at the repository's root (kept in step by
# tests/test_docs_languages.py: same sections, same commands).
CONTRIBUTOR_GUIDES = {language.code: language.contributor_guide for language in ALL}


@dataclass(frozen=True)
class SiteInfo:
    site_url: str  # ends with '/'; a GitHub Pages project path such as https://user.github.io/repo/
    repo_url: str | None
    downloads_url: str = ""  # '' = every download on Pages; else the host's address, ending with '/' or '-'

    def url(self, docs_path: str) -> str:
        """Absolute URL of a file on Pages given by its path relative to the docs folder."""
        return self.site_url + docs_path

    def page_url(self, page: str) -> str:
        """Absolute URL of a Markdown page (directory URLs: designs/x.md → designs/x/)."""
        stem = page.removesuffix(".md")
        stem = stem.removesuffix("index") if stem.endswith("index") else stem + "/"
        return self.site_url + stem

    def guide_url(self, lang: str, heading: str) -> str | None:
        """The address of one section of the contributor's guide in `lang`, as GitHub shows it (default branch
        main); None when mkdocs.yml names no repository."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/blob/main/{CONTRIBUTOR_GUIDES[lang]}#{github_anchor(heading)}"

    def is_hosted(self, download: Download) -> bool:
        """Whether this file is published on the download host rather than on Pages: every file but those pages
        display (their role's `shown`: pictures, and the GLB the 3D view loads with a cross-origin request)."""
        return bool(self.downloads_url) and not role_shown(download.role)

    def download_link(self, download: Download, from_page: str | None = None, markdown: bool = False) -> str:
        """The address of a published file, for every link to it.

        Absolute when `from_page` is None (catalogue.json, okh.toml) or when the file is on the download host.
        Else relative to the page `from_page` (its docs path, e.g. designs/x.md): to the page's URL
        (designs/x/) for raw HTML, which MkDocs leaves alone, or to the Markdown file when `markdown`,
        since MkDocs resolves and checks Markdown links from the file.
        """
        if self.is_hosted(download):
            return self.downloads_url + host_path(download)
        if from_page is None:
            return self.url(download.path)
        folder = posixpath.dirname(from_page) if markdown else self.page_url(from_page)[len(self.site_url):]
        return posixpath.relpath(download.path, folder.rstrip("/") or ".")


def host_path(download: Download) -> str:
    """The file's content-addressed place on the download host: <first two hex digits>/<stem>-<sha256>.<ext>.

    The name carries the whole SHA-256, so a published name never changes its bytes; the prefix spreads the
    files over 256 folders (GitHub: 256 releases, far below 1,000 assets each for a catalogue of thousands).
    """
    stem, dot, ext = download.name.rpartition(".")
    name = f"{stem}-{download.sha256}.{ext}" if dot else f"{download.name}-{download.sha256}"
    return f"{download.sha256[:2]}/{name}"


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (as github-slugger does): lower case, every character but
    letters, marks, digits, '-' and '_' removed (accents kept, apostrophes and no-break spaces removed), each
    space a hyphen. `heading` is the heading's text as written, inline code backticks included."""
    text = heading.replace("`", "").lower()
    kept = "".join(c for c in text if c in " -" or unicodedata.category(c)[0] in "LMN" or unicodedata.category(c) == "Pc")
    return kept.replace(" ", "-")


def read_site_info(mkdocs_yml: Path) -> SiteInfo:
    from mkdocs.utils.yaml import yaml_load  # understands mkdocs.yml's !ENV tags

    with open(mkdocs_yml, encoding="utf-8") as f:
        config = yaml_load(f) or {}
    extra = config.get("extra") or {}
    site_url = config.get("site_url") or "http://127.0.0.1:8000/"
    return SiteInfo(site_url.rstrip("/") + "/", config.get("repo_url") or extra.get("repo_url") or None,
                    (extra.get("downloads_url") or "").strip())
