"""Writing a shape to STL and STEP so that the same shape always gives the same bytes.

Runs inside a CAD worker (imports CadQuery and OCP).
"""
from __future__ import annotations

from pathlib import Path

import cadquery as cq
from OCP.APIHeaderSection import APIHeaderSection_MakeHeader
from OCP.BRepTools import BRepTools
from OCP.IFSelect import IFSelect_ReturnStatus
from OCP.Interface import Interface_Static
from OCP.StepBasic import StepBasic_Product
from OCP.STEPControl import STEPControl_AsIs, STEPControl_Writer
from OCP.StepRepr import StepRepr_NextAssemblyUsageOccurrence
from OCP.TCollection import TCollection_HAsciiString

from ...materials import PART_COLOUR

# The STEP header's time stamp: fixed, so that files do not change with the clock.
STEP_TIMESTAMP = "2020-04-24T00:00:00"


def export_stl(shape: cq.Shape, path: Path, tolerance_mm: float, angular_tolerance_rad: float,
               parallel: bool = True) -> None:
    """Binary STL meshed with an absolute chordal tolerance in millimetres (on threads when `parallel`)."""
    BRepTools.Clean_s(shape.wrapped)  # OCCT keeps the last mesh on the shape; never reuse one made at another tolerance
    if not shape.exportStl(str(path), tolerance=tolerance_mm, angularTolerance=angular_tolerance_rad,
                           ascii=False, relative=False, parallel=parallel):
        raise RuntimeError(f"OCCT could not write the STL {path.name}")


def export_step(shape: cq.Shape, path: Path, product_name: str) -> None:
    """AP214 STEP in millimetres, with a fixed header and product name.

    OCCT stamps the header with the wall clock and names the product
    'Open CASCADE STEP translator 7.9 N', N counting exports in the process:
    both would make identical shapes give different files.
    """
    Interface_Static.SetIVal_s("write.surfacecurve.mode", 1)
    Interface_Static.SetIVal_s("write.precision.mode", 0)
    Interface_Static.SetCVal_s("xstep.cascade.unit", "MM")
    Interface_Static.SetCVal_s("write.step.unit", "MM")
    writer = STEPControl_Writer()
    writer.Transfer(shape.wrapped, STEPControl_AsIs)
    model = writer.Model()
    name = TCollection_HAsciiString(product_name)
    occurrence = 0
    for index in range(1, model.NbEntities() + 1):
        entity = model.Value(index)
        if isinstance(entity, StepBasic_Product):
            entity.SetId(name)
            entity.SetName(name)
        elif isinstance(entity, StepRepr_NextAssemblyUsageOccurrence):
            # A shape of several solids is written as an assembly whose occurrences OCCT numbers
            # across the process's exports; number them within the file.
            occurrence += 1
            entity.SetId(TCollection_HAsciiString(str(occurrence)))
    header = APIHeaderSection_MakeHeader(model)
    header.SetName(TCollection_HAsciiString(f"{product_name}.step"))
    header.SetTimeStamp(TCollection_HAsciiString(STEP_TIMESTAMP))
    header.SetOriginatingSystem(TCollection_HAsciiString("open hardware design catalogue (CadQuery)"))
    if writer.Write(str(path)) != IFSelect_ReturnStatus.IFSelect_RetDone:
        raise RuntimeError(f"OCCT could not write the STEP {path.name}")


def export_glb(shape: cq.Shape, path: Path, tolerance_mm: float, angular_tolerance_rad: float) -> None:
    """Binary glTF for the web viewer and AR, in metres (glTF's unit), Y up, meshed at the STL's tolerance.

    CadQuery's exportGLTF writes millimetres as they are: viewers then show the part a thousand
    times too big. Same steps as it, with the writer told that the input is in millimetres.
    OCCT writes no time stamp.
    """
    from cadquery.occ_impl.assembly import toCAF
    from OCP.Message import Message_ProgressRange
    from OCP.RWGltf import RWGltf_CafWriter
    from OCP.TCollection import TCollection_AsciiString
    from OCP.TColStd import TColStd_IndexedDataMapOfStringString

    assembly = cq.Assembly(shape, name="part", color=cq.Color(*PART_COLOUR),
                           loc=cq.Location((0, 0, 0), (1, 0, 0), -90))  # CadQuery's Z up to glTF's Y up
    _, document = toCAF(assembly, True, True, tolerance_mm, angular_tolerance_rad)
    writer = RWGltf_CafWriter(TCollection_AsciiString(str(path)), True)
    writer.ChangeCoordinateSystemConverter().SetInputLengthUnit(0.001)
    if not writer.Perform(document, TColStd_IndexedDataMapOfStringString(), Message_ProgressRange()):
        raise RuntimeError(f"OCCT could not write the GLB {path.name}")


def export_3mf(stl: Path, path: Path, title: str) -> None:
    """3MF (the slicers' own format) holding the STL's triangles, as a deterministic zip.

    CadQuery's 3MF writer stamps the creation date and the zip entries with the
    clock; this one writes the same bytes for the same mesh.
    """
    from .threemf import write_3mf

    write_3mf(stl, path, title)
