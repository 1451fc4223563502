"""The built site: a page per design, a complete search index, and no broken download."""
from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def links_of(page: Path) -> list[str]:
    parser = Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.hrefs


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


def test_every_download_link_resolves_to_a_file_in_the_site(catalogue):
    root, report = catalogue
    site = root / "site"
    checked = 0
    for page in site.rglob("*.html"):
        base = "http://site/" + page.relative_to(site).as_posix()
        for href in links_of(page):
            if not href.endswith((".stl", ".step")):
                continue
            target = urlparse(urljoin(base, href))
            assert target.netloc == "site", f"{page}: {href} leaves the site"
            assert (site / unquote(target.path).lstrip("/")).is_file(), f"{page}: {href} is broken"
            checked += 1
    assert checked == 2 * len(report.artifacts)
