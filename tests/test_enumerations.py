"""One home per enumeration: each list the schema enumerates is defined once in the code, and the two agree."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def schema(name: str) -> dict:
    return json.loads((REPO / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))


def test_the_licences_the_schema_accepts_are_those_whose_remix_terms_are_known():
    from pipeline.source.licences import REMIX_LICENCES

    accepted = schema("design")["properties"]["licence"]["anyOf"][0]["enum"]
    assert sorted(accepted) == sorted(REMIX_LICENCES)
    assert all(set(terms) <= set(accepted) for terms in REMIX_LICENCES.values() if terms)


def test_a_remix_of_a_tapr_licensed_design_keeps_its_licence():
    from pipeline.source.licences import lineage_problems

    remix = {"licence": "CERN-OHL-S-2.0", "provenance": {"origin": "remix", "remix_of": {
        "title": "A TAPR board", "url": "https://example.org/board", "licence": "TAPR-OHL-1.0"}}}
    assert lineage_problems(remix, "designs/x/design.yaml")
    assert lineage_problems(remix | {"licence": "TAPR-OHL-1.0"}, "designs/x/design.yaml") == []


def test_bom_units_step_views_and_materials_have_one_home_each():
    from pipeline.cutting import profiles
    from pipeline.materials import DENSITY_G_PER_CM3
    from pipeline.model import BOM_UNITS, STEP_VIEWS
    from pipeline.pictures.views import VIEWS

    design = schema("design")["properties"]
    assert design["bom"]["properties"]["items"]["items"]["properties"]["unit"]["enum"] == list(BOM_UNITS)
    assert design["steps"]["items"]["properties"]["view"]["enum"] == list(STEP_VIEWS) == list(VIEWS)
    assert design["materials"]["items"]["properties"]["name"]["enum"] == list(DENSITY_G_PER_CM3)
    assert set(design["cutting"]["properties"]["parts"]["items"]["properties"]["material"]["enum"]) == set(
        profiles.materials())


def test_review_scopes_and_report_results_have_one_home_each():
    from pipeline.pages.trust import RESULTS
    from pipeline.publish.facts import SCOPES
    from pipeline.trust_records import REVIEW_SCOPES

    assert schema("review")["properties"]["scope"]["enum"] == list(REVIEW_SCOPES)
    assert list(SCOPES) == [None, *REVIEW_SCOPES]
    assert schema("report")["properties"]["result"]["enum"] == list(RESULTS)


@pytest.mark.parametrize("name", ["printing", "cutting"])
def test_every_built_in_way_of_making_has_a_name_made_by_accepts(name):
    from pipeline.making import register_built_in

    pattern = schema("design")["properties"]["made_by"]["items"]["pattern"]
    assert name in register_built_in() and re.fullmatch(pattern, name)


def test_the_default_print_bed_is_a_reference_printers():
    """A design that declares no print_bed must fit this volume: the first reference printer's bed and height, so that
    every variant the CAD stage accepts is one the production stage can slice on it."""
    from pipeline.cad.checks import DEFAULT_PRINT_BED_MM
    from pipeline.production import profiles

    first = profiles.printers()[0]
    assert (*first.bed_mm, float(first.profile.settings["max_print_height"])) == DEFAULT_PRINT_BED_MM
