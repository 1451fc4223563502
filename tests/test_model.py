"""The data handed between stages: what a problem says, and the one name of a variant's files."""
from __future__ import annotations

from pipeline.model import Problem, variant_stem


def test_a_problem_located_by_its_fields_reads_as_the_one_line_users_know():
    problem = Problem.at("ZeroDivisionError: float division by zero", file="designs/raises/broken.py", line=7,
                         design="raises", variant="small")
    assert str(problem) == "designs/raises/broken.py:7 [small]: ZeroDivisionError: float division by zero"
    assert (problem.design, problem.variant, problem.printer, problem.line) == ("raises", "small", None, 7)
    sliced = Problem.at("the slicer failed", file="designs/box", design="box", variant="wide", printer="mk3s-250x210")
    assert str(sliced) == "designs/box [wide] on mk3s-250x210: the slicer failed"


def test_a_variants_files_are_named_by_one_function():
    assert variant_stem("visor-headband-888", "adult") == "visor-headband-888-adult"
