"""What the build publishes for people and machines: design pages, bundles, catalogue.json, okh.toml."""
from __future__ import annotations

import copy
import hashlib
import io
import json
import re
import tomllib
import zipfile
from pathlib import Path

import jsonschema
import pytest

from pipeline.cad.worker.threemf import model_xml
from pipeline.fsutil import deterministic_zip
from pipeline.publish.facts import masses_g, rebuild_command
from pipeline.publish.okh import toml_document

from .conftest import edit_box

REPO = Path(__file__).resolve().parent.parent
SCHEMAS = Path(__file__).resolve().parent / "schemas"
ECMA_NAMED_GROUP = re.compile(r"\(\?<([A-Za-z][A-Za-z0-9]*)>")


def okh_validator() -> jsonschema.Draft7Validator:
    """The published OKH-LOSH schema, its ECMAScript named groups made plain groups for Python's re."""
    schema = json.loads((SCHEMAS / "okh-losh.schema.json").read_text(encoding="utf-8"))

    def python_patterns(node):
        if isinstance(node, dict):
            return {k: ECMA_NAMED_GROUP.sub("(", v) if k == "pattern" and isinstance(v, str) else python_patterns(v)
                    for k, v in node.items()}
        if isinstance(node, list):
            return [python_patterns(v) for v in node]
        return node

    return jsonschema.Draft7Validator(python_patterns(schema), format_checker=jsonschema.FormatChecker())


def html_text(html: str) -> str:
    import html as html_module

    return html_module.unescape(re.sub(r"<[^>]+>", "", html))


def design_page(root: Path, slug: str, lang: str = "en") -> str:
    return (root / "site" / lang / "designs" / slug / "index.html").read_text(encoding="utf-8")


def test_every_okh_manifest_is_valid_against_the_published_schema(catalogue):
    root, report = catalogue
    validator = okh_validator()
    for design in report.designs:
        manifest = tomllib.loads((root / "site/downloads" / design.slug / "okh.toml").read_text(encoding="utf-8"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(manifest)]
        assert errors == [], f"{design.slug}: {errors}"
        assert manifest["license"] == design.licence
        assert len(manifest["part"]) == len(design.variants)


def test_the_okh_validator_rejects_a_manifest_without_a_licence(catalogue):
    root, report = catalogue
    manifest = tomllib.loads((root / "site/downloads" / report.designs[0].slug / "okh.toml").read_text())
    broken = copy.deepcopy(manifest)
    del broken["license"]
    broken["documentation-language"] = "not a language tag!"
    messages = [e.message for e in okh_validator().iter_errors(broken)]
    assert any("'license' is a required property" in m for m in messages)
    assert len(messages) == 2


def test_toml_writer_round_trips_nested_tables_and_quotes():
    document = {"name": 'a "quoted" name é', "n": 1.5, "list": ["x", "y"],
                "mass": {"value": 2.0, "unit": "g"}, "part": [{"name": "p", "mass": {"value": 1, "unit": "g"}}]}
    assert tomllib.loads(toml_document(document)) == document


def test_catalogue_json_lists_every_design_with_absolute_download_urls(catalogue):
    root, report = catalogue
    document = json.loads((root / "site/catalogue.json").read_text(encoding="utf-8"))
    site = document["site"]
    assert site.startswith("https://") and site.endswith("/")
    assert [d["slug"] for d in document["designs"]] == [d.slug for d in report.designs]
    for entry in document["designs"]:
        assert entry["metadata"]["title"]["en"] and entry["metadata"]["title"]["fr"]
        assert entry["page"] == {lang: f"{site}{lang}/designs/{entry['slug']}/" for lang in ("en", "fr")}
        assert entry["category_title"]["fr"] and entry["category_title"]["en"]
        for variant in entry["variants"]:
            assert set(variant["files"]) == {"stl", "step", "3mf", "glb"}
            for file in variant["files"].values():
                assert file["url"].startswith(site)
                local = root / "site" / file["url"].removeprefix(site)
                assert hashlib.sha256(local.read_bytes()).hexdigest() == file["sha256"]


def test_catalogue_json_gives_each_design_yaml_as_written_without_the_build_fields():
    import yaml

    from pipeline.publish.catalogue_json import design_fields
    from pipeline.source.discover import discover
    from pipeline.source.validate import validate

    designs, problems = validate(discover(REPO / "designs")[0], REPO)
    assert problems == [] and designs
    for design in designs:
        written = yaml.safe_load((design.folder / "design.yaml").read_text(encoding="utf-8"))
        for internal in ("script", "mesh", "rules"):
            written.pop(internal, None)
        assert json.loads(json.dumps(design_fields(design))) == written, design.slug


def test_each_bundle_holds_files_licence_readme_and_metadata(catalogue):
    root, report = catalogue
    for design in report.designs:
        with zipfile.ZipFile(root / "site/downloads" / design.slug / f"{design.slug}.zip") as bundle:
            names = bundle.namelist()
            readme = bundle.read(f"{design.slug}/README.md").decode()
            lisezmoi = bundle.read(f"{design.slug}/LISEZMOI.md").decode()
            sums = bundle.read(f"{design.slug}/SHA256SUMS").decode()
            licence = bundle.read(f"{design.slug}/LICENCE.txt").decode()
        assert names == sorted(names)
        assert f"{design.slug}/source/design.yaml" in names
        for variant in design.variants:
            for fmt in ("stl", "step", "3mf", "glb", "png"):
                assert f"{design.slug}/files/{design.slug}-{variant.name}.{fmt}" in names
        planner = json.loads((root / "site/production.json").read_text())
        plates = {f"{design.slug}/printing/{run['plate_3mf']['url'].rsplit('/', 1)[-1]}" for d in planner["designs"]
                  if d["slug"] == design.slug for v in d["variants"] for run in v["runs"].values()}
        assert plates <= set(names)  # the plates a workshop loads, one per variant and printer it fits
        assert bool(plates) == ("printing" in design.made_by)  # cut only: its nested sheets are in cutting/
        assert ("Layer height" in readme) == ("printing" in design.made_by)
        assert ".venv/bin/python build.py export" in readme
        assert ("Hauteur de couche" in lisezmoi) == ("printing" in design.made_by)
        assert ".venv/bin/python build.py export" in lisezmoi
        assert "non traduit" not in lisezmoi  # every real design is translated
        assert len(sums.splitlines()) == len(names) - 1
        assert len(licence) > 500


def test_bundles_are_byte_identical_whatever_the_order_and_clock():
    first = deterministic_zip({"b.txt": b"2", "a.txt": b"1"})
    second = deterministic_zip({"a.txt": b"1", "b.txt": b"2"})
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert [i.date_time for i in archive.infolist()] == [(2020, 4, 24, 0, 0, 0)] * 2


def test_published_3mf_is_a_model_with_the_stl_triangles(catalogue):
    root, report = catalogue
    artifact = report.artifacts[0]
    with zipfile.ZipFile(artifact.file("3mf")) as archive:
        model = archive.read("3D/3dmodel.model").decode()
        assert "[Content_Types].xml" in archive.namelist()
    assert model.count("<triangle ") == artifact.facts.triangles
    assert 'unit="millimeter"' in model


def test_3mf_model_escapes_its_title():
    import numpy as np

    xml = model_xml(np.zeros((3, 3)), np.array([[0, 1, 2]]), 'R&D "<shield>"')
    assert "R&amp;D" in xml and "&lt;shield&gt;" in xml


def test_thumbnails_are_pngs_of_the_advertised_size(catalogue):
    root, report = catalogue
    for artifact in report.artifacts:
        name = f"{artifact.job.design.slug}-{artifact.job.variant.name}.png"
        data = (root / "site/downloads" / artifact.job.design.slug / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(data[16:20], "big") == 640 and int.from_bytes(data[20:24], "big") == 480


def test_the_matplotlib_fallback_draws_a_picture(catalogue, tmp_path):
    from pipeline.pictures.thumbnails import render_with_matplotlib

    _, report = catalogue
    target = tmp_path / "fallback.png"
    render_with_matplotlib(report.artifacts[0].file("stl"), target)
    data = target.read_bytes()
    assert data[:4] == b"\x89PNG"
    assert len(data) > 2000  # not a blank image


def test_design_page_shows_status_downloads_parameters_and_rebuild_command(catalogue):
    root, report = catalogue
    design = next(d for d in report.designs if d.slug == "ear-saver-strap")
    html = design_page(root, design.slug)
    assert "Status: Prototype" in html  # no review record: the status is derived, never declared
    assert html.index("Status: Prototype") < html.index('id="downloads"')
    words = html_text(html)
    assert ".venv/bin/python build.py export designs/ear-saver-strap -p length=130 -p hook_count=3" in words
    for fmt in ("stl", "step", "3mf", "glb"):
        assert f"ear-saver-strap-child.{fmt}" in html
    assert "ear-saver-strap.zip" in html and "okh.toml" in html
    for parameter in design.parameters:
        assert f"<code>{parameter.name}</code>" in html
    assert "yaml" not in html.split('id="licence-and-authors"')[0].lower().split("</h1>")[1]


def test_french_design_page_is_in_french_with_the_same_downloads(catalogue):
    root, _ = catalogue
    english, french = design_page(root, "ear-saver-strap"), design_page(root, "ear-saver-strap", "fr")
    words = html_text(french)
    assert '<html lang="fr"' in french
    assert "Attache-masque" in words and "Statut : Prototype" in words and "Évaluation : Prototype" in words
    assert "Téléchargements" in words and "Largeur de la bande centrale." in words
    assert "Downloads" not in words and "non traduit" not in words
    links = re.compile(r'href="([^"]*downloads/[^"]+)"')
    assert links.findall(french) == links.findall(english)  # one copy of each file serves both languages
    assert all(link.startswith("../../../downloads/") for link in links.findall(french))


def test_every_sha256_on_a_design_page_matches_its_file(catalogue):
    root, report = catalogue
    for design in report.designs:
        html = design_page(root, design.slug)
        folder = root / "site/downloads" / design.slug
        pairs = re.findall(r"\b([0-9a-f]{64})  ([\w.-]+)", html)
        assert len(pairs) >= 5 * len(design.variants)
        for sha, name in pairs:
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == sha


def test_mass_is_the_solid_volume_times_the_material_density(catalogue):
    _, report = catalogue
    artifact = report.artifacts[0]
    masses = dict(masses_g(artifact.job.design, artifact))
    assert masses["PETG"] == pytest.approx(artifact.facts.volume_mm3 / 1000 * 1.27, abs=0.01)


def test_rebuild_command_names_each_changed_parameter(catalogue):
    _, report = catalogue
    design = report.designs[0]
    assert rebuild_command(design, [("width", 180.0)]) == f".venv/bin/python build.py export designs/{design.slug} -p width=180"


def test_no_page_links_to_an_absolute_path(catalogue):
    root, _ = catalogue
    for page in (root / "site").rglob("*.html"):
        if page.name == "404.html":  # MkDocs roots it at site_url's path on purpose: it is served at any depth
            continue
        html = page.read_text(encoding="utf-8")
        absolute = re.findall(r'(?:href|src|data-glb)="(/[^/"][^"]*)"', html)
        assert absolute == [], f"{page}: {absolute[:3]} break under a project path"


def test_home_page_shows_a_card_per_design_and_each_category_has_a_page(catalogue):
    root, report = catalogue
    for lang in ("en", "fr"):
        home = (root / "site" / lang / "index.html").read_text(encoding="utf-8")
        assert home.count('class="grid cards design-cards"') == 1
        for design in report.designs:
            assert f'href="designs/{design.slug}/"' in home
            assert f"../downloads/{design.slug}/{design.slug}-{design.variants[0].name}.png" in home
        for category in ("visor", "ear-saver", "adapter", "door-opener"):
            assert (root / "site" / lang / "designs/categories" / category / "index.html").is_file()


def test_each_language_has_its_own_search_index_in_its_language(catalogue):
    root, _ = catalogue
    for lang, words, foreign in (("en", ("PETG", "hook_pitch", "Ear saver", "Width of the central band"), "Attache-masque"),
                                 ("fr", ("PETG", "hook_pitch", "Attache-masque", "élastiques", "Largeur de la bande centrale"), "Ear saver")):
        index = json.loads((root / "site" / lang / "search/search_index.json").read_text(encoding="utf-8"))
        text = " ".join(doc["text"] + " " + doc["title"] for doc in index["docs"]
                        if doc["location"].startswith("designs/ear-saver-strap/"))
        for word in words:
            assert word in text, (lang, word)
        assert foreign not in text
        assert index["config"]["lang"] == [lang]


def test_the_mit_licence_text_names_the_authors_and_years_instead_of_placeholders(box_project):
    from pipeline.publish.facts import licence_text
    from pipeline.source.discover import discover
    from pipeline.source.validate import validate

    edit_box(box_project, lambda d: d.update(licence="MIT", authors=[{"name": "Ada"}, {"name": "Brussels makers"}],
                                             version="1.1", changelog=[{"version": "1.1", "date": "2021-03-02", "changes": "b"},
                                                                       {"version": "1.0", "date": "2020-04-01", "changes": "a"}]))
    [design], problems = validate(discover(box_project / "designs")[0], box_project)
    text = licence_text(design)
    assert "Copyright (c) 2020-2021 Ada, Brussels makers\n" in text
    assert "<" not in text and "[year]" not in text


def test_designs_published_side_by_side_are_the_bytes_published_in_turn(tmp_path, monkeypatch):
    """Two forked copies write every other design's folder (pipeline/publish/downloads.py): the files, their
    order in catalogue.json and the records handed on are those of one process publishing them in turn."""
    import shutil

    from pipeline.catalogue import BuildConfig, build_catalogue

    from .conftest import FIXTURES, make_project

    root = make_project(tmp_path / "project", [FIXTURES / "designs" / "box"])
    for slug in ("box-two", "box-three"):
        shutil.copytree(root / "designs" / "box", root / "designs" / slug)
        meta = root / "designs" / slug / "design.yaml"
        meta.write_text(meta.read_text().replace("id: box", f"id: {slug}"))

    def published() -> tuple[dict[str, bytes], list[str]]:
        report = build_catalogue(BuildConfig(root=root, workers=2, site=False, production=False))
        assert report.ok, [str(p) for p in report.problems]
        files = {p.relative_to(root).as_posix(): p.read_bytes()
                 for p in sorted((root / "catalogue").rglob("*")) if p.is_file() and "downloads" in p.parts
                 or p.name == "catalogue.json"}
        return files, [d.slug for d in report.designs]

    side_by_side, slugs = published()
    monkeypatch.setattr("pipeline.forking.can_fork", lambda: False)
    in_turn, slugs_in_turn = published()
    assert slugs == slugs_in_turn == ["box", "box-three", "box-two"]
    assert side_by_side.keys() == in_turn.keys() and len(side_by_side) > 20
    assert side_by_side == in_turn
