import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { InterceptingCall, type Interceptor } from "@grpc/grpc-js";
import {
  type Client,
  connect,
  type Frame,
  ImageEncoding,
  isServiceError,
  PairRole,
  Partition,
  pose,
  POSE_LAYOUT,
  type RenderStreamRequest,
  status,
  STREAM_WINDOW,
  Style,
  YAW,
} from "../src/index.js";
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

async function rejectsWith(promise: Promise<unknown>, code: status): Promise<void> {
  await assert.rejects(promise, (err) => {
    assert.ok(isServiceError(err, code), `${String(err)}, want ${status[code]}`);
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

// ----- renderStream -------------------------------------------------------------------------

/** Pose i of a stream, different for each i in [0, 20). */
function distinctPose(i: number): Float32Array {
  const p = new Float32Array(20);
  p[12] = i / 20; // mouth_a
  p[i % 12] = 0.5;
  p[YAW] = i - 10;
  p[YAW + 1] = (i % 5) * 1.5;
  p[YAW + 2] = -i / 4;
  return p;
}

test("renderStream: 20 requests come back in order, with their labels", async () => {
  const modelId = await onlyModel();
  const requests: RenderStreamRequest[] = Array.from({ length: 20 }, (_, i) => ({
    modelId, pose: distinctPose(i), style: Style.STYLE_MMD + (i % 4), light: 0.3 + i / 40, size: 32,
  }));
  let i = 0;
  for await (const f of client.renderStream(requests)) {
    const r = requests[i];
    assert.equal(f.index, i);
    assert.equal(f.modelId, modelId);
    assert.deepEqual(Array.from(f.pose), Array.from(r.pose));
    assert.equal(f.style, r.style);
    assert.equal(f.light, Math.fround(r.light!));
    checkImage(f, 32);
    i++;
  }
  assert.equal(i, requests.length);
});

test("renderStream: leaving the loop cancels the call and closes an endless async source", async () => {
  const modelId = await onlyModel();
  let sent = 0;
  let closed!: () => void;
  const stopped = new Promise<void>((resolve) => (closed = resolve));
  async function* endless(): AsyncGenerator<RenderStreamRequest> {
    try {
      for (let i = 0; ; i++) {
        yield { modelId, pose: distinctPose(i % 20), size: 32 };
        sent = i + 1;
      }
    } finally {
      closed();
    }
  }
  // grpc-js keeps its connection's socket referenced (holding the process open) only while
  // a call is active: there during the stream, gone once the break has cancelled it.
  const socketHeld = () => process.getActiveResourcesInfo().includes("TCPSocketWrap");
  let got = 0;
  for await (const f of client.renderStream(endless())) {
    assert.equal(f.index, got);
    assert.deepEqual(Array.from(f.pose), Array.from(distinctPose(got)));
    assert.ok(socketHeld(), "no socket held during the call: this check would prove nothing");
    if (++got === 3) break;
  }
  assert.ok(!socketHeld(), "the call still holds its socket after the break");
  // The source is closed at its next request, and was read no further than the window ahead
  // of the 3 frames taken (an endless source ends only this way).
  await stopped;
  assert.ok(sent <= 3 + STREAM_WINDOW, `${sent} requests sent for 3 frames`);
  // The server is free for the next call.
  checkImage(await client.render(modelId, new Float32Array(20), { style: Style.STYLE_FLAT, size: 32 }), 32);
});

test("renderStream: an unknown model id mid-stream is NOT_FOUND after the frames before it", async () => {
  const modelId = await onlyModel();
  const requests = [modelId, modelId, "no-such-model", modelId].map((id, i) => ({ modelId: id, pose: distinctPose(i), size: 32 }));
  const frames: Frame[] = [];
  await rejectsWith(
    (async () => {
      for await (const f of client.renderStream(requests)) frames.push(f);
    })(),
    status.NOT_FOUND,
  );
  assert.deepEqual(frames.map((f) => f.pose[YAW]), [-10, -9]);
});

test("renderStream: what the request source throws ends the loop", async () => {
  const modelId = await onlyModel();
  async function* broken(): AsyncGenerator<RenderStreamRequest> {
    yield { modelId, pose: distinctPose(0), size: 32 };
    throw new Error("the pose source broke");
  }
  let frames = 0;
  await assert.rejects(
    (async () => {
      for await (const _ of client.renderStream(broken())) frames++;
    })(),
    /the pose source broke/,
  );
  assert.ok(frames <= 1);
});

test("an AbortSignal cancels render, sample and renderStream", async () => {
  const modelId = await onlyModel();
  await rejectsWith(client.render(modelId, new Float32Array(20), { size: 32, signal: AbortSignal.abort() }), status.CANCELLED);
  const abort = new AbortController();
  const pull = async (frames: AsyncIterable<Frame>) => {
    for await (const _ of frames) abort.abort();
  };
  await rejectsWith(pull(client.sample(0, 1, { size: 32, signal: abort.signal })), status.CANCELLED);
  const again = new AbortController();
  // Endless, so the call can only end by the abort.
  function* requests(): Generator<RenderStreamRequest> {
    for (let i = 0; ; i++) yield { modelId, pose: distinctPose(i % 20), size: 32 };
  }
  await rejectsWith(
    (async () => {
      for await (const _ of client.renderStream(requests(), { signal: again.signal })) again.abort();
    })(),
    status.CANCELLED,
  );
});

// ----- PNG frames ----------------------------------------------------------------------------

test("PNG frames decode to the pixels of the raw frame of the same request", async () => {
  // The encoding of every frame as it arrived, before the wrapper decodes it.
  const seen: ImageEncoding[] = [];
  const record: Interceptor = (options, next) =>
    new InterceptingCall(next(options), {
      start: (metadata, _listener, start) =>
        start(metadata, {
          onReceiveMessage: (message: { encoding: ImageEncoding }, receive) => {
            seen.push(message.encoding);
            receive(message);
          },
        }),
    });
  const channelOptions = { interceptors: [record] };
  const raw = connect(server.address, { channelOptions });
  const png = connect(server.address, { channelOptions, encoding: ImageEncoding.IMAGE_ENCODING_PNG });
  const { RAW_RGBA, PNG } = { RAW_RGBA: ImageEncoding.IMAGE_ENCODING_RAW_RGBA, PNG: ImageEncoding.IMAGE_ENCODING_PNG };
  try {
    const modelId = await onlyModel();
    const p = distinctPose(7);
    const options = { style: Style.STYLE_SOFT, light: 0.8, size: 48 };
    const want = await raw.render(modelId, p, options);
    checkImage(want, 48);
    assert.deepEqual((await png.render(modelId, p, options)).rgba, want.rgba);
    assert.deepEqual((await raw.render(modelId, p, { ...options, encoding: PNG })).rgba, want.rgba);

    const streamed: Frame[] = [];
    for await (const f of png.renderStream([{ modelId, pose: p, ...options }, { modelId, pose: p, ...options, encoding: RAW_RGBA }])) {
      streamed.push(f);
    }
    assert.equal(streamed.length, 2);
    for (const f of streamed) assert.deepEqual(f.rgba, want.rgba);

    const draw = async (c: Client) => {
      const out: Uint8Array[] = [];
      for await (const f of c.sample(2, 99, { size: 32 })) out.push(f.rgba);
      return out;
    };
    assert.deepEqual(await draw(png), await draw(raw));
    assert.deepEqual(seen, [RAW_RGBA, PNG, PNG, PNG, RAW_RGBA, PNG, PNG, RAW_RGBA, RAW_RGBA]);
  } finally {
    raw.close();
    png.close();
  }
});
