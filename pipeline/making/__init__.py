"""Ways of making: one contract (contract.py), several implementations, one registry.

The contract's types live in `pipeline/making/contract.py`: MadeFile, MachineFigures, MadeVariant,
PublishedMade, the WayOfMaking protocol, FILE_ROLES and MACHINE_KINDS. `METHODS` below is the registry
the build iterates over (pipeline/catalogue.py), in the order design pages show the methods' sections:

    printing   printing.py: slice each variant for every reference printer (pipeline/production/)
    cutting    cutting.py: DXF/SVG of each cut part, nested on each reference laser's sheet (pipeline/cutting/)
    sewing     pipeline/sewing/method.py: patterns at 1:1 (tiled, A0, SVG, DXF) and fabric rolls nested

A new way of making (sewing) is a module or package that builds one object fulfilling WayOfMaking and
calls `METHODS.register(obj)`, added to `BUILT_IN` below; a test may register a toy one and unregister it.
A design names its methods in design.yaml's `made_by` (default: [printing]).
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
# The built-in ways of making, each a module of this package whose METHOD it registers, in page order.
BUILT_IN = ("printing", "cutting", "sewing")
# Where a built-in method lives when it is not a module of this package (a package of its own).
MODULES = {"sewing": "pipeline.sewing.method"}


def register_built_in() -> Registry:
    """The registry with every built-in method in it (imported on first use: the stages they wrap are heavy)."""
    for name in BUILT_IN:
        if name not in METHODS:
            try:
                module = importlib.import_module(MODULES.get(name, f".{name}"), __name__)
            except ModuleNotFoundError as err:  # not written yet on this branch
                if err.name not in (f"{__name__}.{name}", MODULES.get(name)):
                    raise
                continue
            METHODS.register(module.METHOD)
    return METHODS
