import assert from "node:assert/strict";
import { test } from "node:test";
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
});

test("pose() places named entries in POSE_LAYOUT order", () => {
  const p = pose({ mouth_a: 0.5, roll: -3 });
  assert.equal(p[POSE_LAYOUT.indexOf("mouth_a")], 0.5);
  assert.equal(p[19], -3);
  assert.equal(p.reduce((a, b) => a + b, 0), -2.5);
  assert.throws(() => pose({ nose: 1 } as never), RangeError);
});
