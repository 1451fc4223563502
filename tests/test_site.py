"""The built site: a page per design, a complete search index, and no broken download."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


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


def test_every_design_has_a_page(catalogue):
    root, report = catalogue
    for design in report.designs:
        page = root / "site/designs" / design.slug / "index.html"
        assert page.is_file()
        assert design.title.en in page.read_text(encoding="utf-8")


def test_the_search_index_lists_every_design(catalogue):
    root, report = catalogue
    index = json.loads((root / "site/search/search_index.json").read_text(encoding="utf-8"))
    titles = {doc["title"] for doc in index["docs"]}
    for design in report.designs:
        assert design.title.en in titles


def test_the_catalogue_index_links_every_design(catalogue):
    root, report = catalogue
    hrefs = links_of(root / "site/designs/index.html")
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
