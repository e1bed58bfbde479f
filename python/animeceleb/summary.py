"""Human-readable summaries of models: what `animeceleb info` and the
pre-renderer demo print."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from animeceleb import _core

NECK = "首"
HEAD = "頭"
# Control panels 1-3 hold the facial morphs (eyebrow, eye, mouth).
FACIAL_PANELS = {1: "brow", 2: "eye", 3: "mouth"}
DEFORM_NAMES = ("BDEF1", "BDEF2", "BDEF4", "SDEF", "QDEF")


def facial_morph_counts(model: _core.Model) -> dict[str, int]:
    counts = Counter(FACIAL_PANELS[m.panel] for m in model.morphs if m.panel in FACIAL_PANELS)
    return {part: counts.get(part, 0) for part in FACIAL_PANELS.values()}


def model_summary(model: _core.Model) -> dict[str, object]:
    kinds = Counter(int(k) for k in model.deform_kinds)
    morph_kinds = Counter(m.kind for m in model.morphs)
    return {
        "file": model.path,
        "format": f"{model.format.upper()} {model.format_version:.1f} ({model.encoding})",
        "name": f"{model.name} / {model.name_en}" if model.name_en else model.name,
        "vertices": model.vertex_count,
        "faces": model.face_count,
        "materials": len(model.materials),
        "textures": len(model.textures),
        "bones": len(model.bones),
        "morphs": ", ".join(f"{n} {k}" for k, n in morph_kinds.most_common()) or "none",
        "facial morphs": ", ".join(f"{n} {p}" for p, n in facial_morph_counts(model).items()),
        "deforms": ", ".join(f"{n} {DEFORM_NAMES[k]}" for k, n in sorted(kinds.items())),
        "rigid bodies": len(model.rigid_bodies),
        "joints": len(model.joints),
        "neck (首)": "found" if model.bone_index(NECK) is not None else "MISSING: cannot be framed",
        "head (頭)": "found" if model.bone_index(HEAD) is not None else "missing",
    }


def summary_table(paths: Iterable[Path]) -> str:
    """One row per model; a file that can't be read says ERROR in its row and its message on a
    line of its own below the table, so one long message never widens the table."""
    header = ("model", "format", "verts", "faces", "mats", "bones", "morphs",
              "brow/eye/mouth", "首")
    rows: list[tuple[str, ...]] = [header]
    errors: list[str] = []
    for path in paths:
        try:
            m = _core.load_model(path)
        except (_core.PmxError, OSError) as e:
            rows.append((path.name, "ERROR", "-", "-", "-", "-", "-", "-", "-"))
            errors.append(f"{path.name}: {e}")
            continue
        face = facial_morph_counts(m)
        rows.append((
            path.name,
            f"{m.format} {m.format_version:.1f}",
            str(m.vertex_count),
            str(m.face_count),
            str(len(m.materials)),
            str(len(m.bones)),
            str(len(m.morphs)),
            f"{face['brow']}/{face['eye']}/{face['mouth']}",
            "yes" if m.bone_index(NECK) is not None else "NO",
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows)
    table = "\n".join(line.rstrip() for line in lines)
    return "\n".join([table, "", "errors:", *(f"  {e}" for e in errors)]) if errors else table
