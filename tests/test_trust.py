"""Trust that follows the file: review records checked by SHA-256, makers' print reports with clean photos.

The project is a git repository with two commits (the review names the first),
built with the real pipeline and the real site; records and reports here are
test fixtures, never the catalogue's.
"""
from __future__ import annotations

import hashlib
import html as html_module
import io
import random
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from PIL import Image
from PIL.ExifTags import GPS

from pipeline.reviews.records import read_print_reports
from pipeline.source.discover import discover
from pipeline.source.validate import validate

from .conftest import FIXTURES, build, make_project

REVIEW = """reviewer: {{name: Fablab Test, kind: lab, url: "https://fablab.example/"}}
date: 2026-05-01
scope: community-test
findings: {{en: "Twelve makers printed it; it fits.", fr: "Douze makers l'ont imprimée ; elle s'ajuste."}}
reviewed:
  version: "1.0"
  variant: small
  parameters: {{width: 20.0, depth: 10.0, height: 5.0}}
  commit: {commit}
  files:
{files}
"""
REPORT = """maker: {{name: Ada Maker}}
date: 2026-05-02
variant: small
printed_file: {{name: box-small.stl, sha256: {sha}}}
printer: Prusa i3 MK3S
slicer: PrusaSlicer 2.5.0
material: PETG
settings: {{layer_height_mm: 0.2, infill_percent: 20}}
result: worked
photo: {{file: {photo}, alt: "The printed box on the bed"}}
"""
LATITUDE = (48.0, 51.0, 24.0)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=Tests", "-c", "user.email=tests@example.invalid",
                           *args], check=True, capture_output=True, text=True).stdout.strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gps_photo(path: Path) -> None:
    """A JPEG as a phone writes it: EXIF with a GPS position and the camera's name, and an ICC profile."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMakerCorp"
    exif[0x8825] = {GPS.GPSLatitudeRef: "N", GPS.GPSLatitude: LATITUDE, GPS.GPSLongitudeRef: "E",
                    GPS.GPSLongitude: (2.0, 21.0, 8.0)}
    Image.new("RGB", (640, 480), (180, 120, 40)).save(path, exif=exif.tobytes(), icc_profile=b"ICCPROFILE" * 20)


def text_of(page: Path) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    """Build at commit 1 with a matching review and a print report; then edit the script (commit 2) and build again."""
    root = make_project(tmp_path_factory.mktemp("trust"), [FIXTURES / "designs" / "box"])
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the box")
    commit = git(root, "rev-parse", "HEAD")
    assert build(root, site=False, production=False).ok
    downloads = root / "catalogue/downloads/box"
    reviewed = {name: sha256(downloads / name) for name in ("box-small.stl", "box-small.step")}
    files = "".join(f"    {name}: {digest}\n" for name, digest in reviewed.items())
    (root / "reviews/box").mkdir(parents=True)
    (root / "reviews/box/2026-05-01-fablab-test.yaml").write_text(REVIEW.format(commit=commit, files=files))
    (root / "reports/box").mkdir(parents=True)
    gps_photo(root / "reports/box/2026-05-02-ada.jpg")
    (root / "reports/box/2026-05-02-ada.yaml").write_text(REPORT.format(sha=reviewed["box-small.stl"], photo="2026-05-02-ada.jpg"))
    first = build(root, production=False)
    saved = tmp_path_factory.mktemp("first-site")
    shutil.copytree(root / "site", saved / "site")
    script = root / "designs/box/box.py"
    script.write_text(script.read_text().replace(".box(width, depth, height)", '.box(width, depth, height).edges("|Z").fillet(1)'))
    git(root, "commit", "-qam", "round the corners")
    second = build(root, production=False)
    return {"root": root, "commit": commit, "reviewed": reviewed, "first": first, "first_site": saved / "site",
            "second": second}


def test_a_review_whose_files_match_shows_on_the_page_and_the_cards(history):
    assert history["first"].ok, history["first"].problems
    site = history["first_site"]
    page = text_of(site / "en/designs/box/index.html")
    assert "Status: Community tested" in page
    assert "Community tested — small, 2026-05-01" in page
    assert "Reviewed by Fablab Test (a lab) on 2026-05-01" in page and "Twelve makers printed it" in page
    assert 'href="https://fablab.example/"' in (site / "en/designs/box/index.html").read_text()
    assert "Community tested (small)" in text_of(site / "en/index.html")  # the card: the variant it covers
    assert "Community tested (small)" in text_of(site / "en/designs/index.html")  # the sortable table
    manifest = tomllib.loads((site / "downloads/box/okh.toml").read_text())
    assert manifest["technology-readiness-level"] == "OTRL-4"


def test_editing_the_script_flips_the_review_to_changed_since_and_keeps_the_reviewed_files(history):
    assert history["second"].ok, history["second"].problems
    site = history["root"] / "site"
    page = text_of(site / "en/designs/box/index.html")
    assert "Changed since the review of 2026-05-01" in page
    assert "Status: Prototype" in page and "Status: Community tested" not in page
    assert "Prototype" in text_of(site / "en/index.html") and "Community tested" not in text_of(site / "en/index.html")
    folder = site / "downloads/box/reviewed" / history["commit"][:12]
    for name, digest in history["reviewed"].items():
        assert sha256(folder / name) == digest  # rebuilt from the recorded commit, byte for byte
        assert sha256(site / "downloads/box" / name) != digest  # the current file is another
        assert f"reviewed/{history['commit'][:12]}/{name}" in (site / "en/designs/box/index.html").read_text()
    assert (folder / "SHA256SUMS").read_text().count("box-small.") == 2
    assert tomllib.loads((site / "downloads/box/okh.toml").read_text())["technology-readiness-level"] == "OTRL-3"


def test_the_page_counts_makers_of_the_current_files_and_of_older_ones(history):
    before = text_of(history["first_site"] / "en/designs/box/index.html")
    after = text_of(history["root"] / "site/en/designs/box/index.html")
    assert "small: 1 maker(s) printed the current files, 0 printed older ones." in before
    assert "small: 0 maker(s) printed the current files, 1 printed older ones." in after
    assert "1 print report(s)" in text_of(history["root"] / "site/en/index.html")


def test_a_report_photo_is_published_without_its_gps_position_or_any_metadata(history):
    original = history["root"] / "reports/box/2026-05-02-ada.jpg"
    assert Image.open(original).getexif().get_ifd(0x8825)  # the fixture does carry a position
    published = history["root"] / "site/downloads/box/reports/2026-05-02-ada.jpg"
    data = published.read_bytes()
    with Image.open(io.BytesIO(data)) as photo:
        assert photo.format == "JPEG" and photo.size == (640, 480)
        assert dict(photo.getexif()) == {} and not photo.getexif().get_ifd(0x8825)
        assert "icc_profile" not in photo.info and "exif" not in photo.info
    for marker in (b"Exif", b"PhoneMakerCorp", b"ICCPROFILE", b"http://ns.adobe.com/xap"):
        assert marker not in data
    assert 'alt="The printed box on the bed"' in (history["root"] / "site/en/designs/box/index.html").read_text()
    second = history["root"] / "catalogue/downloads/box/reports/2026-05-02-ada.jpg"
    assert sha256(second) == sha256(history["first_site"] / "downloads/box/reports/2026-05-02-ada.jpg")  # deterministic


def test_a_record_whose_files_cannot_be_rebuilt_to_its_hashes_is_a_problem_naming_it(history, tmp_path):
    root = history["root"]
    record = root / "reviews/box/2026-05-01-fablab-test.yaml"
    wrong = record.with_name("2026-06-01-wrong-hash.yaml")
    wrong.write_text(record.read_text().replace(history["reviewed"]["box-small.stl"], "f" * 64))
    try:
        report = build(root, site=False, production=False)  # slicing the rounded box cold: 24 s nobody reads
    finally:
        wrong.unlink()
    assert [str(p).split(";")[0] for p in report.problems] == [
        f"reviews/box/2026-06-01-wrong-hash.yaml: reviewed.files.box-small.stl: rebuilt from commit "
        f"{history['commit'][:12]} with the recorded parameters it hashes to {history['reviewed']['box-small.stl'][:16]}…, "
        f"not the recorded {'f' * 16}…"]
    assert (root / "catalogue/en/designs/box.md").is_file()  # the design itself is still published


def test_an_oversized_photo_is_refused_with_its_size(box_project):
    folder = box_project / "reports/box"
    folder.mkdir(parents=True)
    noise = Image.frombytes("RGB", (700, 700), random.Random(13).randbytes(700 * 700 * 3))  # noise does not compress
    noise.save(folder / "big.png")
    size = (folder / "big.png").stat().st_size
    assert size > 500_000
    (folder / "2026-05-02-ada.yaml").write_text(REPORT.format(sha="a" * 64, photo="big.png"))
    designs, _ = validate(discover(box_project / "designs")[0], box_project)
    reports, problems = read_print_reports(box_project / "reports", box_project, designs)
    assert reports == []
    assert [str(p) for p in problems] == [
        f"reports/box/2026-05-02-ada.yaml:10: photo.file: big.png is {size / 1000:.0f} kB ({size} bytes); the limit is "
        "500 kB: resize it (e.g. 1600 px wide) or save it with more compression"]


def test_a_review_record_is_checked_against_its_schema_with_line_and_fix(box_project):
    from pipeline.reviews.records import read_reviews

    (box_project / "reviews/box").mkdir(parents=True)
    (box_project / "reviews/box/x.yaml").write_text(REVIEW.format(commit="abc", files="    box-small.stl: 1234\n")
                                                      .replace("community-test", "community-tested"))
    designs, _ = validate(discover(box_project / "designs")[0], box_project)
    records, problems = read_reviews(box_project / "reviews", box_project, designs)
    assert records == []
    assert [str(p) for p in problems] == [
        "reviews/box/x.yaml:9: reviewed.commit: 'abc' does not match the pattern ^[0-9a-f]{40}$",
        "reviews/box/x.yaml:11: reviewed.files.box-small.stl: expected string, got int 1234",
        "reviews/box/x.yaml:3: scope: 'community-tested' is not allowed; allowed: maker-test-print, community-test, "
        "requalification, clinical-assessment",
    ]


def test_report_writes_the_form_with_the_hashes_of_the_files_published_now(history, capsys):
    import build as cli

    root = history["root"]
    try:
        assert cli.main(["--root", str(root), "report", "designs/box", "--variant", "small"]) == 0
        [form] = list((root / "reports/box").glob("*-small-your-name.yaml"))
        data = yaml.safe_load(form.read_text())
        assert data["printed_file"] == {"name": "box-small.stl",
                                        "sha256": sha256(root / "catalogue/downloads/box/box-small.stl")}
        assert f"box-small.3mf  sha256: {sha256(root / 'catalogue/downloads/box/box-small.3mf')}" in form.read_text()
        capsys.readouterr()
        assert cli.main(["--root", str(root), "check", "box"]) == 1
        out = capsys.readouterr().out
        assert f"reports/box/{form.name}:5: maker.name: still to fill in: your name" in out
        assert f"reports/box/{form.name}:22: result: still to fill in: worked, needed-changes or failed" in out
    finally:
        for form in (root / "reports/box").glob("*-your-name.yaml"):
            form.unlink()
