"""Facts about print materials and how parts look, used by the CAD worker, the pictures and the pages."""
from __future__ import annotations

# Density of each material of the schema's enum, g/cm³, for the solid mass (100 % infill: an upper bound).
# PLA, PETG, ASA: Prusament technical data sheets (1.24, 1.27, 1.07). ABS 1.04, PET 1.38 (amorphous, as
# filament), TPU 1.21 (95A), PP 0.90, Nylon (PA6) 1.14: typical values of polymer reference tables
# (e.g. the plastics' entries in the CRC Handbook / MatWeb); brand filaments differ by a few per cent.
DENSITY_G_PER_CM3 = {
    "PLA": 1.24,
    "PETG": 1.27,
    "ABS": 1.04,
    "ASA": 1.07,
    "PET": 1.38,
    "TPU": 1.21,
    "PP": 0.90,
    "Nylon": 1.14,
}

# The colour of parts in pictures and the 3D view (a PETG orange that reads on light and dark pages).
PART_COLOUR = (0.93, 0.49, 0.13)


def solid_mass_g(volume_mm3: float) -> dict[str, float]:
    """Mass of a solid part in each material (g); a print with partial infill weighs less."""
    return {name: round(volume_mm3 / 1000 * density, 2) for name, density in DENSITY_G_PER_CM3.items()}
