import assert from "node:assert/strict";
import { test } from "node:test";
import { PNG } from "pngjs";
import { decodeFrame, MalformedFrameError } from "../src/frame.js";
import { type Frame as WireFrame, ImageEncoding, PairRole, Style } from "../src/gen/animeceleb/v1/render.js";
import { pose, POSE_LAYOUT, YAW } from "../src/index.js";

function wire(width: number, height: number, image: Buffer): WireFrame {
  const p = new Array(20).fill(0);
  p[YAW] = 12.5;
  return {
    modelId: "m", pose: p, style: Style.STYLE_CEL, light: 0.5, width, height,
    encoding: ImageEncoding.IMAGE_ENCODING_RAW_RGBA, image, index: 3, pairId: 0, role: PairRole.PAIR_ROLE_UNSPECIFIED,
  };
}

test("a raw frame keeps its bytes and labels", () => {
  const bytes = Buffer.from(Array.from({ length: 24 }, (_, i) => i * 10));
  const f = decodeFrame(wire(3, 2, bytes));
  assert.deepEqual(Array.from(f.rgba), Array.from(bytes));
  assert.equal(f.pose[YAW], 12.5);
  assert.equal(f.pose.length, 20);
  assert.equal(f.index, 3);
  assert.equal(f.style, Style.STYLE_CEL);
});

test("a frame whose bytes, pose or encoding disagree with its header is refused", () => {
  assert.throws(() => decodeFrame(wire(3, 2, Buffer.alloc(23))), MalformedFrameError);
  assert.throws(() => decodeFrame({ ...wire(1, 1, Buffer.alloc(4)), pose: [1, 2] }), MalformedFrameError);
  assert.throws(() => decodeFrame(wire(0, 0, Buffer.alloc(0))), MalformedFrameError);
  assert.throws(
    () => decodeFrame({ ...wire(1, 1, Buffer.alloc(4)), encoding: ImageEncoding.IMAGE_ENCODING_PNG }),
    MalformedFrameError,
  );
  assert.throws(() => decodeFrame({ ...wire(1, 1, Buffer.alloc(4)), encoding: 7 as ImageEncoding }), MalformedFrameError);
});

test("a PNG frame decodes to its RGBA bytes, straight alpha, and must match its header", () => {
  const src = new PNG({ width: 4, height: 3, colorType: 6 });
  src.data = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256));
  src.data.set([200, 100, 50, 128], 4 * 6); // a half-transparent pixel keeps its colour
  const bytes = PNG.sync.write(src, { colorType: 6 });
  const f = decodeFrame({ ...wire(4, 3, bytes), encoding: ImageEncoding.IMAGE_ENCODING_PNG });
  assert.deepEqual(Array.from(f.rgba), Array.from(src.data));
  assert.equal(f.pose[YAW], 12.5);
  assert.throws(
    () => decodeFrame({ ...wire(5, 3, bytes), encoding: ImageEncoding.IMAGE_ENCODING_PNG }),
    /PNG is 4x3, header says 5x3/,
  );
  // An RGB PNG (no alpha channel) comes out as opaque RGBA.
  const solid = new PNG({ width: 4, height: 3, colorType: 6 });
  solid.data = Buffer.from(src.data.map((v, i) => (i % 4 === 3 ? 255 : v)));
  const rgb = PNG.sync.write(solid, { colorType: 2 });
  const opaque = decodeFrame({ ...wire(4, 3, rgb), encoding: ImageEncoding.IMAGE_ENCODING_PNG });
  assert.deepEqual(Array.from(opaque.rgba), Array.from(solid.data));
});

test("pose() places named entries in POSE_LAYOUT order", () => {
  const p = pose({ mouth_a: 0.5, roll: -3 });
  assert.equal(p[POSE_LAYOUT.indexOf("mouth_a")], 0.5);
  assert.equal(p[19], -3);
  assert.equal(p.reduce((a, b) => a + b, 0), -2.5);
  assert.throws(() => pose({ nose: 1 } as never), RangeError);
});
