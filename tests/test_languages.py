"""Two languages: what a contributor writes in one language, and what a French reader then sees."""
from __future__ import annotations

import json
import re

from build import summary
from pipeline.templating import environment

from .conftest import build, edit_box, problems_for


def test_a_design_without_french_builds_shows_the_english_text_marked_and_is_counted(box_project):
    edit_box(box_project, lambda d: d["parameters"]["depth"].update(description={"en": "Depth.", "fr": "Profondeur."}))
    report = build(box_project)
    assert report.ok, report.problems
    missing = report.untranslated["box"]
    assert "parameters.width.description" in missing and "variants[1].description" in missing
    assert "summary" in missing
    assert "title" not in missing and "parameters.depth.description" not in missing
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    assert '<span lang="en">Width.</span> <span class="untranslated">(non traduit)</span>' in french
    assert "Profondeur." in french and "Boîte de test" in french
    english = (box_project / "site/en/designs/box/index.html").read_text(encoding="utf-8")
    assert "non traduit" not in english and "Width." in english and "Depth." in english
    assert f"{len(missing)} text(s) without French" in summary(report)


def test_tags_have_one_french_name_from_the_glossary_and_a_missing_one_is_counted(box_project):
    edit_box(box_project, lambda d: d.update(tags=["visor", "gizmo"]))
    report = build(box_project)
    assert report.ok, report.problems
    tags = [path for path in report.untranslated["box"] if path.startswith("tag")]
    assert tags == ['tag "gizmo" (designs/tags.yml)']
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    english = (box_project / "site/en/designs/box/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-tag">visière<', french) and re.search(r'class="md-tag">gizmo<', french)
    assert re.search(r'class="md-tag">visor<', english) and "visière" not in english
    french_index = (box_project / "site/fr/tags/index.html").read_text(encoding="utf-8")
    assert 'id="tag:visière"' in french_index and 'id="tag:visor"' not in french_index
    entry = json.loads((box_project / "site/catalogue.json").read_text(encoding="utf-8"))["designs"][0]
    assert entry["tags"] == {"en": ["visor", "gizmo"], "fr": ["visière", "gizmo"]}  # as each site shows them
    assert entry["metadata"]["tags"] == ["visor", "gizmo"]  # design.yaml as written


def test_a_broken_tag_glossary_is_named_and_the_designs_still_build(box_project):
    (box_project / "designs/tags.yml").write_text("visor: visière\nheadband: [serre-tête\n", encoding="utf-8")
    edit_box(box_project, lambda d: d.update(tags=["visor"]))
    problems = problems_for(box_project)
    assert len(problems) == 1
    assert re.fullmatch(r'designs/tags.yml:\d+: is not valid YAML \(.*\); write one line per tag, '
                        r'"<tag in English>: <nom français>"', problems[0])
    report = build(box_project)
    assert [str(p) for p in report.problems] == problems
    french = (box_project / "site/fr/designs/box/index.html").read_text(encoding="utf-8")
    assert re.search(r'class="md-tag">visor<', french)  # in English, until the glossary is mended


def test_a_text_in_french_only_names_the_field_and_the_fix(box_project):
    edit_box(box_project, lambda d: d["parameters"]["width"].update(description={"fr": "Largeur."}))
    problems = problems_for(box_project)
    assert len(problems) == 1
    assert re.search(r"design.yaml:\d+: parameters.width.description: .* is not a text; write it as a plain string "
                     r"\(English\) or with en: and fr: keys \(en required\)", problems[0])


def test_generated_words_follow_the_page_language():
    template = environment().from_string('{{ tr("Downloads", "Téléchargements") }} {{ 0.4 | num }} {{ 1500 | size }}')
    assert template.render(lang="en") == "Downloads 0.4 1.5\u00a0kB"  # a size never splits from its unit
    assert template.render(lang="fr") == "Téléchargements 0,4 1,5\u00a0ko"
    durations = environment().from_string('{{ "1 h 07 min" | duration }}; {{ "2 d 03 h" | duration }}')
    assert durations.render(lang="en") == "1\u00a0h\u00a007\u00a0min; 2\u00a0d\u00a003\u00a0h"  # never split in a cell
    assert durations.render(lang="fr") == "1\u00a0h\u00a007\u00a0min; 2\u00a0j\u00a003\u00a0h"
