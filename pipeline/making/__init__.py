"""Ways of making: one contract (contract.py), several implementations, one registry.

The contract lives in `pipeline/making/contract.py` (the WayOfMaking protocol, the Registry) and its
records in `pipeline/making/records.py` (MadeFile, MachineFigures, MadeVariant, PublishedMade, FILE_ROLES,
MACHINE_KINDS, and the PublishedVariant and PublishedDesign every later step reads); contract.py re-exports
them. This package is shared, like model.py: it imports no stage. `METHODS` below is the registry the build
iterates over (pipeline/catalogue.py, making/build.py), in the order design pages show the methods' sections:

    printing   pipeline/production/printing.py: each variant sliced for every reference printer
    cutting    pipeline/cutting/laser.py: DXF/SVG of each cut part, nested on each reference laser's sheet
    sewing     pipeline/sewing/method.py: patterns at 1:1 (tiled, A0, SVG, DXF) and fabric rolls nested

A way of making lives in its own stage package, with a module whose METHOD fulfils WayOfMaking, named in
`BUILT_IN` below (imported by name, as plugins are: this shared package imports no stage); a test may
`METHODS.register` a toy one and unregister it. A design names its methods in design.yaml's `made_by`
(default: [printing]).
"""
from __future__ import annotations

import importlib

from .contract import (
    FILE_ROLES,
    MACHINE_KINDS,
    FileRole,
    MachineFigures,
    MadeFile,
    MadeVariant,
    PublishedMade,
    Registry,
    WayOfMaking,
    role_shown,
)

__all__ = ["BUILT_IN", "FILE_ROLES", "FileRole", "MACHINE_KINDS", "METHODS", "MachineFigures", "MadeFile", "MadeVariant",
           "PublishedMade", "Registry", "WayOfMaking", "role_shown"]

METHODS = Registry()
# The built-in ways of making: the module holding each one's METHOD, in page order.
BUILT_IN = ("pipeline.production.printing", "pipeline.cutting.laser", "pipeline.sewing.method")


def register_built_in() -> Registry:
    """The registry with every built-in method in it, each imported on first use."""
    for module_name in BUILT_IN:
        method = importlib.import_module(module_name).METHOD
        if method.name not in METHODS:
            METHODS.register(method)
    return METHODS
