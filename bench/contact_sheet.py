"""One PNG: every model in every style at a few poses, labelled, to check the renderer by eye.

    python bench/contact_sheet.py [-o out/contact_sheet.png] [--synthetic]

Images are composited over a checkerboard (so missing or wrong alpha shows) with the alpha mask
beside each row.  Look for inside-out outlines, missing alpha, dark faces, flipped textures.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from _models import ROOT, find_models
from animeceleb.pose import POSE_LAYOUT
from animeceleb.render import STYLES, Renderer


def _pose(**values: float) -> np.ndarray:
    p = np.zeros(len(POSE_LAYOUT), dtype=np.float32)
    for k, v in values.items():
        p[POSE_LAYOUT.index(k)] = v
    return p


POSES = [
    ("neutral", _pose()),
    ("smile yaw+20", _pose(eye_smile_right=1, eye_smile_left=1, mouth_i=0.6, yaw=20)),
    ("a pitch+15", _pose(mouth_a=1, brow_up_right=1, brow_up_left=1, pitch=15)),
    ("wink-R roll+15", _pose(eye_close_right=1, mouth_o=0.5, roll=15, yaw=-15)),
]


def _checker(size: int, cell: int = 16) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size] // cell
    return np.where(((x + y) % 2 == 0)[..., None], 200, 150).astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-o", "--output", default=str(ROOT / "out" / "contact_sheet.png"))
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--synthetic", action="store_true", help="also the synthetic test head")
    args = ap.parse_args()

    r = Renderer(size=args.size)
    s = args.size
    pad = 18
    models = find_models(args.synthetic)
    cols = len(POSES) + 1  # + the alpha mask of the first pose
    rows = [(label, m, st) for label, m in models for st in STYLES]
    sheet = Image.new("RGB", (cols * s, len(rows) * (s + pad)), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    checker = _checker(s)
    for row, (label, model, style) in enumerate(rows):
        imgs = r.render_batch(model, [p for _, p in POSES], style.code, 0.6)
        y = row * (s + pad)
        for col, img in enumerate(imgs):
            a = img[..., 3:4].astype(np.float32) / 255.0
            comp = img[..., :3] * a + checker * (1.0 - a)
            sheet.paste(Image.fromarray(comp.astype(np.uint8)), (col * s, y + pad))
            draw.text((col * s + 4, y + 3), f"{label} {style.code}/{style.name}  {POSES[col][0]}",
                      fill=(255, 255, 255))
        sheet.paste(Image.fromarray(imgs[0][..., 3]).convert("RGB"), (len(POSES) * s, y + pad))
        draw.text((len(POSES) * s + 4, y + 3), "alpha (neutral)", fill=(255, 255, 255))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out)
    print(f"{out}  ({r.adapter_summary})")


if __name__ == "__main__":
    main()
