"""The built site: a page per design, a complete search index, and no broken download."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from pipeline.site import SiteError, build_site
from pipeline.siteinfo import SiteInfo


class Links(HTMLParser):
    """Every address a page points at: links, images and the 3D view's model."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        self.addresses += [attrs[name] for name in ("href", "src", "data-glb") if attrs.get(name)]


def links_of(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


def addresses_of(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.addresses


def test_every_design_has_a_page_in_each_language(catalogue):
    root, report = catalogue
    for design in report.designs:
        for lang in ("en", "fr"):
            page = root / "site" / lang / "designs" / design.slug / "index.html"
            assert getattr(design.title, lang) in page.read_text(encoding="utf-8")


def test_the_search_index_lists_every_design(catalogue):
    root, report = catalogue
    index = json.loads((root / "site/en/search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    for design in report.designs:
        assert design.title.en in titles


def test_the_search_index_leaves_out_checksums_and_production_tables_but_keeps_the_words(catalogue):
    """Every page loads its language's whole index: hashes and slicer figures are not what a reader types."""
    root, _ = catalogue
    for lang in ("en", "fr"):
        index = json.loads((root / f"site/{lang}/search/search_index.json").read_text(encoding="utf-8"))
        text = " ".join(doc["text"] for doc in index["docs"])
        assert not re.search(r"\b[0-9a-f]{64}\b", text), "a SHA-256 in the search index"
        assert "bedslinger-220.3mf" not in text, "a production plate in the search index"
        page = (root / f"site/{lang}/designs/visor-headband-888/index.html").read_text(encoding="utf-8")
        assert "bedslinger-220.3mf" in page and re.search(r"\b[0-9a-f]{64}\b", page)  # still on the page
        intro = {"en": "Sliced at every build with PrusaSlicer", "fr": "Tranché à chaque construction avec PrusaSlicer"}
        assert intro[lang] in text  # the section's words still found


def test_the_catalogue_index_links_every_design(catalogue):
    root, report = catalogue
    hrefs = links_of(root / "site/en/designs/index.html")
    for design in report.designs:
        assert f"{design.slug}/" in hrefs


def test_every_download_link_resolves_and_every_published_file_is_linked(catalogue):
    root, _ = catalogue
    site = root / "site"
    linked = set()
    for page in site.rglob("*.html"):
        base = "http://site/" + page.relative_to(site).as_posix()
        for address in addresses_of(page):
            target = urlparse(urljoin(base, address))
            path = unquote(target.path).lstrip("/")
            if not path.startswith("downloads/"):
                continue
            assert target.netloc == "site", f"{page}: {address} leaves the site"
            assert (site / path).is_file(), f"{page}: {address} is broken"
            linked.add(path)
    published = {f.relative_to(site).as_posix() for f in (site / "downloads").rglob("*") if f.is_file()}
    assert published and published <= linked, f"published but linked from no page: {sorted(published - linked)}"


def test_each_sitemap_gives_every_page_its_address_in_both_languages(catalogue):
    import re

    root, _ = catalogue
    for lang in ("en", "fr"):
        sitemap = (root / "site" / lang / "sitemap.xml").read_text(encoding="utf-8")
        entries = re.findall(r"<url>(.*?)</url>", sitemap, re.S)
        assert len(entries) > 15
        for entry in entries:
            loc = re.search(r"<loc>([^<]+)</loc>", entry).group(1)
            alternates = dict(re.findall(r'hreflang="(\w+)" href="([^"]+)"', entry))
            assert alternates[lang] == loc
            other = "fr" if lang == "en" else "en"
            assert alternates[other] == loc.replace(f"/{lang}/", f"/{other}/", 1)


def test_the_site_root_holds_each_language_and_one_copy_of_the_downloads(catalogue):
    root, report = catalogue
    site = root / "site"
    assert {"en", "fr", "downloads", "assets", "catalogue.json", "index.html"} <= {p.name for p in site.iterdir()}
    for lang in ("en", "fr"):
        assert not (site / lang / "downloads").exists() and not (site / lang / "assets" / "model-viewer").exists()
    assert len(list((site / "downloads").rglob("*.stl"))) == len(report.artifacts)


def _small_project(root: Path, french_page: str) -> Path:
    """Two one-page MkDocs sites in the catalogue's layout (mkdocs.yml inherited by mkdocs.<lang>.yml)."""
    (root / "mkdocs.yml").write_text("site_name: t\nsite_url: https://example.org/\nstrict: true\n"
                                     "validation:\n  links:\n    not_found: warn\n", encoding="utf-8")
    for lang, text in (("en", "# Home\n"), ("fr", french_page)):
        (root / f"mkdocs.{lang}.yml").write_text(f"INHERIT: mkdocs.yml\ndocs_dir: catalogue/{lang}\n", encoding="utf-8")
        (root / "catalogue" / lang).mkdir(parents=True)
        (root / "catalogue" / lang / "index.md").write_text(text, encoding="utf-8")
    return root


def test_a_strict_failure_in_either_language_fails_the_site_and_keeps_the_published_one(tmp_path):
    # the languages are built side by side, the second in a forked process: its failure must still reach the build
    root = _small_project(tmp_path, "# Accueil\n\n[perdu](missing.md)\n")
    site_dir = root / "site"
    site_dir.mkdir()
    (site_dir / "published.html").write_text("the last good site", encoding="utf-8")
    with pytest.raises(SiteError, match=r"mkdocs\.fr\.yml: .*missing\.md"):
        build_site(root, root / "catalogue", site_dir, SiteInfo("https://example.org/", None))
    assert sorted(p.name for p in site_dir.iterdir()) == ["published.html"]


def test_both_languages_are_built_into_the_site(tmp_path):
    root = _small_project(tmp_path, "# Accueil\n")
    build_site(root, root / "catalogue", root / "site", SiteInfo("https://example.org/", None))
    assert "Accueil" in (root / "site" / "fr" / "index.html").read_text(encoding="utf-8")
    assert "Home" in (root / "site" / "en" / "index.html").read_text(encoding="utf-8")
