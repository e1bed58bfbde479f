import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { type Client, connect, type Frame, PairRole, Partition, pose, POSE_LAYOUT, status, Style, YAW } from "../src/index.js";
import { type LiveServer, startServer } from "./server.js";

let server: LiveServer;
let client: Client;

before(async () => {
  server = await startServer();
  client = connect(server.address);
});

after(async () => {
  client?.close();
  await server?.stop();
});

async function onlyModel(): Promise<string> {
  const models = await client.listModels();
  assert.equal(models.length, 1, "the one sample character");
  return models[0].id;
}

/** size x size RGBA with a face on a transparent background. */
function checkImage(f: Frame, size: number): void {
  assert.equal(f.width, size);
  assert.equal(f.height, size);
  assert.equal(f.rgba.length, size * size * 4);
  let opaque = 0;
  let clear = 0;
  for (let i = 3; i < f.rgba.length; i += 4) {
    if (f.rgba[i] === 255) opaque++;
    else if (f.rgba[i] === 0) clear++;
  }
  assert.ok(opaque >= (size * size) / 20 && clear >= (size * size) / 20, `frame ${f.index}: ${opaque} opaque, ${clear} clear`);
}

async function rejectsWith(promise: Promise<unknown>, code: number): Promise<void> {
  await assert.rejects(promise, (err: { code?: number }) => {
    assert.equal(err.code, code, String(err));
    return true;
  });
}

test("list models and describe one", async () => {
  const models = await client.listModels();
  assert.equal(models.length, 1);
  const m = models[0];
  assert.ok(m.id !== "");
  assert.equal(m.name, server.model.name);
  assert.equal(m.nameEn, server.model.name_en);
  assert.equal(m.vertexCount, server.model.vertex_count);
  assert.equal(m.faceCount, server.model.face_count);
  assert.deepEqual(m.targetMorphs, server.model.target_morphs);
  const d = await client.describe(m.id);
  assert.equal(d.summary?.id, m.id);
  assert.equal(d.format, "pmx");
  assert.ok(d.boneCount > 0 && d.morphCount > 0);
  assert.deepEqual(Object.keys(d.annotation).sort(), [...server.model.target_morphs].sort());
  assert.ok(Object.values(d.annotation).every((source) => source !== ""));
});

test("render one frame: its size and the pose echoed", async () => {
  const id = await onlyModel();
  const p = pose({ eye_close_right: 0.75, mouth_a: 0.5, yaw: 12.5, pitch: -7, roll: 3.25 });
  const f = await client.render(id, p, { style: Style.STYLE_CEL, light: 0.7, size: 96 });
  assert.equal(f.modelId, id);
  assert.deepEqual(Array.from(f.pose), Array.from(p));
  assert.equal(f.style, Style.STYLE_CEL);
  assert.equal(f.light, Math.fround(0.7));
  assert.equal(f.index, 0);
  checkImage(f, 96);

  // Unset size, light and style are the server's defaults: 256, 0.6, MMD.
  const d = await client.render(id, new Float32Array(20));
  assert.equal(d.style, Style.STYLE_MMD);
  assert.equal(d.light, Math.fround(0.6));
  checkImage(d, 256);
});

test("stream 50 samples: distinct, valid frames in order", async () => {
  const id = await onlyModel();
  const n = 50;
  const size = 64;
  const poses = new Set<string>();
  const images = new Set<string>();
  let i = 0;
  for await (const f of client.sample(n, 2024, { size })) {
    assert.equal(f.index, i);
    assert.equal(f.modelId, id);
    assert.equal(f.role, PairRole.PAIR_ROLE_UNSPECIFIED);
    assert.ok(f.style >= Style.STYLE_MMD && f.style <= Style.STYLE_SOFT, `style ${f.style}`);
    assert.ok(f.light >= Math.fround(0.3) && f.light <= Math.fround(0.9), `light ${f.light}`);
    assert.equal(f.pose.length, 20);
    f.pose.forEach((v, j) => {
      const [lo, hi] = j >= YAW ? [-20, 20] : [0, 1];
      assert.ok(v >= lo && v <= hi, `frame ${i}: ${POSE_LAYOUT[j]} = ${v}`);
    });
    checkImage(f, size);
    poses.add(Array.from(f.pose).join(","));
    images.add(createHash("sha256").update(f.rgba).digest("hex"));
    i++;
  }
  assert.equal(i, n);
  assert.equal(poses.size, n, "distinct poses");
  assert.equal(images.size, n, "distinct images");
});

test("sampling is seeded, and leaving the loop ends an endless stream", async () => {
  const draws = async (seed: number) => {
    const out: string[] = [];
    // count 0 streams until the client stops.
    for await (const f of client.sample(0, seed, { size: 32 })) {
      out.push(Array.from(f.pose).join(","));
      if (out.length === 3) break;
    }
    return out;
  };
  const a = await draws(7);
  assert.equal(a.length, 3);
  assert.deepEqual(await draws(7), a);
  assert.notDeepEqual(await draws(8), a);
});

test("an unknown model id is NOT_FOUND", async () => {
  await rejectsWith(client.describe("no-such-model"), status.NOT_FOUND);
  await rejectsWith(client.render("no-such-model", new Float32Array(20), { size: 32 }), status.NOT_FOUND);
  let frames = 0;
  await rejectsWith(
    (async () => {
      for await (const _ of client.sample(5, 1, { modelId: "no-such-model", size: 32 })) frames++;
    })(),
    status.NOT_FOUND,
  );
  assert.equal(frames, 0);
});

test("a pose of the wrong length or out of range is INVALID_ARGUMENT", async () => {
  const id = await onlyModel();
  await rejectsWith(client.render(id, new Float32Array(19), { size: 32 }), status.INVALID_ARGUMENT);
  await rejectsWith(client.render(id, pose({ yaw: 120 }), { size: 32 }), status.INVALID_ARGUMENT);
  await rejectsWith(client.render(id, new Float32Array(20), { light: 5, size: 32 }), status.INVALID_ARGUMENT);
});

test("sample options reach the server: model, styles, pairs, size, partition", async () => {
  const modelId = await onlyModel();
  const frames: Frame[] = [];
  const options = { modelId, styles: [Style.STYLE_FLAT], pairs: true, size: 32, partition: Partition.PARTITION_FRONTAL };
  for await (const f of client.sample(4, 5, options)) frames.push(f);
  assert.equal(frames.length, 4, "two pairs");
  frames.forEach((f, i) => {
    assert.equal(f.role, i % 2 === 0 ? PairRole.PAIR_ROLE_SOURCE : PairRole.PAIR_ROLE_DRIVING);
    assert.equal(f.style, Style.STYLE_FLAT);
    assert.equal(f.width, 32);
    assert.deepEqual(Array.from(f.pose.slice(YAW)), [0, 0, 0], "frontal: no head angles");
  });
  assert.equal(frames[0].pairId, frames[1].pairId);
  assert.equal(frames[2].pairId, frames[3].pairId);
  assert.notEqual(frames[0].pairId, frames[2].pairId);
});
