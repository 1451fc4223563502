"""The large downloads on a separate host: content-addressed names, links from every output, and the upload step.

The upload step talks to a stand-in for GitHub's release API on 127.0.0.1.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipeline.model import Download
from pipeline.siteinfo import SiteInfo, host_path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
import upload_downloads  # noqa: E402,F401 - the tool under test, importable

from tests.test_site_browser import browser  # noqa: E402,F401 - the Chromium fixture

HOSTED_SUFFIXES = (".stl", ".step", ".3mf", ".zip", ".dxf", ".pdf", ".csv", ".svg", ".py", ".toml")
SHOWN_SUFFIXES = (".png", ".jpg", ".glb")  # what pages display: pictures, the 3D view's GLB


def test_a_hosted_name_carries_the_whole_sha256_and_spreads_by_its_first_digits():
    sha = hashlib.sha256(b"headband").hexdigest()
    assert host_path(Download("downloads/v/v-adult.stl", 8, sha)) == f"{sha[:2]}/v-adult-{sha}.stl"


def test_without_a_download_host_every_link_stays_on_the_site():
    site = SiteInfo("https://example.org/cat/", None)
    stl = Download("downloads/v/v-adult.stl", 8, "ab" * 32)
    assert site.download_link(stl) == "https://example.org/cat/downloads/v/v-adult.stl"
    assert site.download_link(stl, "designs/v.md") == "../../downloads/v/v-adult.stl"
    assert site.download_link(stl, "designs/v.md", markdown=True) == "../downloads/v/v-adult.stl"


def test_with_a_download_host_every_download_leaves_the_site_but_what_pages_display():
    site = SiteInfo("https://example.org/cat/", None, "https://github.com/o/r/releases/download/downloads-")
    sha = "cd" * 32
    assert site.download_link(Download("downloads/v/v.zip", 8, sha, role="bundle"), "designs/v.md") == \
        f"https://github.com/o/r/releases/download/downloads-cd/v-{sha}.zip"
    for role, gone in (("manifest", "okh.toml"), ("checksums", "SHA256SUMS"), ("source", "v.py"),
                       ("cut-sheet", "v-adult-frame-sheet-co2-40w.svg"), ("template", "v-sheet-a4.pdf")):
        assert site.download_link(Download(f"downloads/v/{gone}", 8, sha, role=role), "designs/v.md").startswith("https://")
    for role, kept in (("viewer", "v-adult.glb"), ("picture", "v-adult.png"), ("step-picture", "v-assembly-1.png")):
        assert site.download_link(Download(f"downloads/v/{kept}", 8, sha, role=role), "designs/v.md").startswith("../../downloads/")


# --- the built site with a download host ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def download_server():
    """The download host: a second server on 127.0.0.1, serving a folder under /dl/ (filled once built)."""
    served = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            path = urlparse(self.path).path
            file = served["root"] / path.removeprefix("/dl/") if path.startswith("/dl/") else None
            if file is None or not file.is_file() or ".." in path:
                self.send_error(404)
                return
            data = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/dl/", served
    server.shutdown()


SITE_URL = "https://makers.example.org/catalogue/"


@pytest.fixture(scope="module")
def hosted_catalogue(catalogue, download_server, tmp_path_factory):
    """The real catalogue rebuilt (from the shared build's cache) with a download host and SITE_URL set."""
    from tests.conftest import build

    built, _ = catalogue
    root = tmp_path_factory.mktemp("hosted") / "project"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("site", "downloads", "designs", "index.md"),
                    symlinks=True)
    shutil.copytree(built / "designs", root / "designs")
    host_url, served = download_server
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"downloads_url: .*", f"downloads_url: {host_url}", config.read_text()))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SITE_URL", SITE_URL)
        report = build(root)
    assert report.ok, "\n".join(map(str, report.problems))
    served["root"] = root / "downloads-host"
    return root, report, host_url


def hosted_files(built: Path) -> int:
    """What the host holds: every file a build without a host publishes under downloads/ but what pages display,
    by content-addressed name (two designs with identical bytes under one name share it)."""
    files = [p for p in (built / "site/downloads").rglob("*") if p.is_file() and p.suffix not in SHOWN_SUFFIXES]
    return len({host_path(Download(p.name, 0, hashlib.sha256(p.read_bytes()).hexdigest())) for p in files})


def test_the_site_holds_no_download_but_what_pages_display_and_the_host_holds_them_by_hash(hosted_catalogue,
                                                                                          catalogue):
    root, report, _ = hosted_catalogue
    assert not [p for p in (root / "site/downloads").rglob("*") if p.is_file() and p.suffix not in SHOWN_SUFFIXES]
    hosted = [p for p in (root / "downloads-host").rglob("*") if p.is_file()]
    assert len(hosted) == hosted_files(catalogue[0])
    for path in hosted:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert path.parent.name == digest[:2] and digest in path.name
    assert list((root / "site/downloads").rglob("*.glb")), "the 3D view's GLB stays on the site"


SHARED_ASSETS = ("assets", "javascripts", "stylesheets")  # the theme's and ours, the same for 10 designs or 1,000


def test_the_site_holds_at_most_500_kb_per_design_beyond_the_shared_assets(hosted_catalogue):
    root, report, _ = hosted_catalogue
    files = [p for p in (root / "site").rglob("*") if p.is_file()]
    own = sum(p.stat().st_size for p in files
              if not set(p.relative_to(root / "site").parts[:-1]) & set(SHARED_ASSETS))
    assert own / len(report.designs) <= 500 * 1024, f"{own / len(report.designs) / 1024:.0f} kB per design"


def test_catalogue_json_and_every_okh_toml_point_at_the_host_and_the_site_url(hosted_catalogue):
    root, report, host_url = hosted_catalogue
    catalogue = json.loads((root / "site/catalogue.json").read_text(encoding="utf-8"))
    assert catalogue["site"] == SITE_URL
    for design in catalogue["designs"]:
        assert all(page.startswith(SITE_URL) for page in design["page"].values())
        assert design["bundle"]["url"].startswith(host_url)
        assert design["manifest"]["url"].startswith(host_url)
        for variant in design["variants"]:
            assert variant["picture"]["url"].startswith(SITE_URL)
            for fmt, file in variant["files"].items():
                assert file["url"].startswith(SITE_URL if fmt == "glb" else host_url), file
                if fmt != "glb":
                    assert file["sha256"] in file["url"]
    for manifest in (root / "site/downloads").glob("*/okh.toml"):
        okh = tomllib.loads(manifest.read_text(encoding="utf-8"))
        assert okh["repo"] == "https://github.com/open-hardware-catalogue/catalogue"
        assert okh["release"].startswith(host_url) and okh["user-manual"].startswith(SITE_URL)
        for part in okh["part"]:
            assert all(url.startswith((host_url, SITE_URL)) for url in part["export"] + part["source"])


def test_a_build_with_site_url_set_carries_it_into_the_sitemap(hosted_catalogue):
    root, report, _ = hosted_catalogue
    for lang in ("en", "fr"):
        sitemap = (root / "site" / lang / "sitemap.xml").read_text(encoding="utf-8")
        locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        assert locations and all(loc.startswith(SITE_URL) for loc in locations)
        assert any(loc == f"{SITE_URL}{lang}/designs/{report.designs[0].slug}/" for loc in locations)


@pytest.mark.browser
def test_every_link_of_the_site_answers_from_the_site_or_the_download_host(hosted_catalogue, catalogue,
                                                                           browser):  # noqa: F811
    from tests.test_site_browser import PROJECT_PATH, serve_site

    root, report, host_url = hosted_catalogue
    with serve_site(root / "site") as base_url:
        context = browser.new_context()
        page = context.new_page()
        pages = sorted(p.relative_to(root / "site").parent.as_posix() for p in (root / "site").rglob("index.html"))
        checked: dict[str, int] = {}
        for folder in pages:
            page.goto(base_url + ("" if folder == "." else folder + "/"))
            urls = page.eval_on_selector_all("a[href], img[src]", "els => els.map(e => e.href || e.src)")
            for url in {u.split("#")[0] for u in urls if u.startswith((base_url, host_url))}:
                if url not in checked:
                    checked[url] = context.request.get(url).status
        broken = {u: s for u, s in checked.items() if s != 200}
        assert broken == {}
        hosted = [u for u in checked if u.startswith(host_url)]
        assert len(hosted) == hosted_files(catalogue[0])
        for url in hosted:
            body = context.request.get(url).body()
            assert hashlib.sha256(body).hexdigest() in url, f"{url} does not hold the bytes its name says"
        for lang in ("en", "fr"):
            page.goto(base_url + f"{lang}/designs/ear-saver-strap/")
            glb = page.get_attribute("figure.design-viewer", "data-glb")
            assert not glb.startswith("http") and context.request.get(base_url + f"{lang}/designs/ear-saver-strap/" + glb).ok
        context.close()
    assert PROJECT_PATH in base_url


# --- the upload step, against a stand-in for GitHub's release API ---------------------------------------------

class FakeGitHub:
    """Releases and assets in memory, behind the REST calls tools/upload_downloads.py makes."""

    def __init__(self):
        self.releases: dict[str, dict] = {}
        self.uploads: list[str] = []
        self.tokens: set[str] = set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status, body=None):
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self):
                return self.rfile.read(int(self.headers.get("Content-Length", 0)))

            def do_GET(self):
                fake.tokens.add(self.headers["Authorization"])
                url = urlparse(self.path)
                if m := re.fullmatch(r"/repos/o/r/releases/tags/(.+)", url.path):
                    release = fake.releases.get(m[1])
                    return self._reply(404, {"message": "Not Found"}) if release is None else self._reply(200, release["json"])
                if m := re.fullmatch(r"/repos/o/r/releases/(\d+)/assets", url.path):
                    release = fake.by_id(int(m[1]))
                    query = parse_qs(url.query)
                    per_page, number = int(query["per_page"][0]), int(query["page"][0])
                    assets = list(release["assets"].values())[(number - 1) * per_page: number * per_page]
                    return self._reply(200, [{k: v for k, v in a.items() if k != "data"} for a in assets])
                return self._reply(404, {})

            def do_POST(self):
                url = urlparse(self.path)
                if url.path == "/repos/o/r/releases":
                    tag = json.loads(self._body())["tag_name"]
                    release_id = len(fake.releases) + 1
                    fake.releases[tag] = {"json": {"id": release_id, "tag_name": tag, "upload_url":
                                          f"http://127.0.0.1:{fake.port}/uploads/{release_id}/assets{{?name,label}}"},
                                          "assets": {}}
                    return self._reply(201, fake.releases[tag]["json"])
                if m := re.fullmatch(r"/uploads/(\d+)/assets", url.path):
                    name = parse_qs(url.query)["name"][0]
                    release = fake.by_id(int(m[1]))
                    if name in release["assets"]:
                        return self._reply(422, {"message": "already_exists"})
                    fake.uploads.append(name)
                    release["assets"][name] = {"id": 1000 + len(fake.uploads), "name": name, "state": "uploaded",
                                               "data": self._body()}
                    return self._reply(201, {"name": name})
                return self._reply(404, {})

            def do_DELETE(self):
                asset_id = int(self.path.rsplit("/", 1)[1])
                for release in fake.releases.values():
                    release["assets"] = {n: a for n, a in release["assets"].items() if a["id"] != asset_id}
                self._reply(204)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        self.api_url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def by_id(self, release_id: int) -> dict:
        return next(r for r in self.releases.values() if r["json"]["id"] == release_id)

    def asset_bytes(self) -> dict[str, bytes]:
        return {name: a["data"] for r in self.releases.values() for name, a in r["assets"].items()}


@pytest.fixture
def github():
    fake = FakeGitHub()
    yield fake
    fake.server.shutdown()


def lay_out(host_dir: Path, contents: list[bytes]) -> list[Path]:
    paths = []
    for data in contents:
        d = Download("downloads/x/part.stl", len(data), hashlib.sha256(data).hexdigest())
        path = host_dir / host_path(d)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def upload(host_dir: Path, github: FakeGitHub) -> subprocess.CompletedProcess:
    env = {"GITHUB_TOKEN": "test-token", "GITHUB_API_URL": github.api_url, "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, str(REPO / "tools/upload_downloads.py"), "--host-dir", str(host_dir),
                           "--downloads-url", "https://github.com/o/r/releases/download/downloads-"],
                          env=env, capture_output=True, text=True)


def test_upload_sends_each_file_once_to_the_release_of_its_hash_prefix(tmp_path, github):
    paths = lay_out(tmp_path, [f"part {i}".encode() for i in range(6)])
    done = upload(tmp_path, github)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "6 files uploaded, 0 already published"
    assert github.asset_bytes() == {p.name: p.read_bytes() for p in paths}
    assert set(github.releases) == {f"downloads-{p.parent.name}" for p in paths}
    assert github.tokens == {"Bearer test-token"}


def test_a_second_upload_sends_only_the_files_whose_sha256_is_new(tmp_path, github):
    lay_out(tmp_path, [b"adult", b"child"])
    assert upload(tmp_path, github).returncode == 0
    new = lay_out(tmp_path, [b"child, version 2"])
    done = upload(tmp_path, github)
    assert done.stdout.strip() == "1 files uploaded, 2 already published"
    assert github.uploads[-1] == new[0].name and len(github.uploads) == 3


def test_an_asset_left_half_uploaded_is_sent_again(tmp_path, github):
    [path] = lay_out(tmp_path, [b"visor"])
    assert upload(tmp_path, github).returncode == 0
    next(iter(github.releases.values()))["assets"][path.name]["state"] = "starter"
    assert upload(tmp_path, github).stdout.strip() == "1 files uploaded, 0 already published"
    assert github.asset_bytes() == {path.name: b"visor"}


def test_upload_refuses_an_address_that_is_not_a_github_release_with_the_expected_form(tmp_path, github):
    env = {"GITHUB_TOKEN": "t", "GITHUB_API_URL": github.api_url, "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, str(REPO / "tools/upload_downloads.py"), "--host-dir", str(tmp_path),
                           "--downloads-url", "https://bucket.example.org/dl/"], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "https://github.com/OWNER/REPO/releases/download/<tag prefix>" in done.stderr
    assert github.uploads == []
