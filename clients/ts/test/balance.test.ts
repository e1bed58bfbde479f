// One client over several servers: the target it makes of an address list, and round_robin
// over two live servers, one of which then stops.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  Metadata,
  type sendUnaryData,
  Server,
  ServerCredentials,
  type ServerDuplexStream,
  type ServerWritableStream,
  type ServiceError,
} from "@grpc/grpc-js";
import { channelTarget, type Client, connect, ImageEncoding, isServiceError, pose, status, Style } from "../src/index.js";
import {
  type Frame,
  type ListModelsResponse,
  type RenderRequest,
  RenderServiceService,
  type SampleRequest,
} from "../src/gen/animeceleb/v1/render.js";
import { type LiveServer, startServer } from "./server.js";

test("address lists become one ipv4: or ipv6: target; other targets pass as they are", () => {
  assert.equal(channelTarget("10.0.0.5:50051,10.0.0.6:50051"), "ipv4:10.0.0.5:50051,10.0.0.6:50051");
  assert.equal(channelTarget(["10.0.0.5:1", " 10.0.0.6:2"]), "ipv4:10.0.0.5:1,10.0.0.6:2");
  assert.equal(channelTarget(["[::1]:1", "[fe80::2]:2"]), "ipv6:[::1]:1,[fe80::2]:2");
  assert.equal(channelTarget(["localhost:50051"]), "localhost:50051");
  for (const target of ["localhost:50051", "dns:///render.default.svc.cluster.local:50051", "ipv4:10.0.0.5:1,10.0.0.6:2"]) {
    assert.equal(channelTarget(target), target);
  }
  assert.throws(() => channelTarget([]), /no address/);
  assert.throws(() => channelTarget("10.0.0.5:1,render.example.com:2"), /dns:\/\/\/name:port/);
  assert.throws(() => channelTarget(["10.0.0.5:1", "[::1]:2"]), /not both/);
  assert.throws(() => channelTarget(["10.0.0.5:1", "10.0.0.6"]), /must be ip:port/);
  const c = connect(["127.0.0.1:1", "127.0.0.1:2"], { token: "t" }); // every address loopback
  assert.equal(c.target, "ipv4:127.0.0.1:1,127.0.0.1:2");
  c.close();
  assert.throws(() => connect("127.0.0.1:1,10.0.0.6:2", { token: "t" }), /needs tls/);
  assert.throws(() => connect("dns:///localhost:1", { token: "t" }), /needs tls/);
});

/** Render one 32 px frame on the client's channel; the address of the server that answered. */
function renderOn(c: Client, modelId: string): Promise<string> {
  const req: RenderRequest = { modelId, pose: Array.from(pose({ yaw: 10 })), style: Style.STYLE_FLAT, light: 0.6, size: 32, encoding: ImageEncoding.IMAGE_ENCODING_RAW_RGBA };
  return new Promise((resolve, reject) => {
    const call = c.rpc.render(req, new Metadata(), { deadline: Date.now() + 60_000 }, (err: ServiceError | null, frame) => {
      if (err) reject(err);
      else {
        assert.equal(frame.image.length, 32 * 32 * 4);
        resolve(call.getPeer());
      }
    });
  });
}

test("round_robin over two servers, and on over the other when one stops", async () => {
  // b holds one stream at most: its own count then tells where streams went.
  const started = await Promise.allSettled([startServer(), startServer(["--max-streams", "1"])]);
  const failed = started.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.all(started.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw failed.reason;
  }
  const [a, b] = started.map((r) => (r as PromiseFulfilledResult<LiveServer>).value);
  try {
    const c = connect(`${a.address},${b.address}`);
    try {
      assert.equal(c.target, `ipv4:${a.address},${b.address}`);
      const [{ id }] = await c.listModels();
      // round_robin picks among the servers connected so far: both, once both are up.
      const seen = new Map<string, number>();
      for (let calls = 0; calls < 40 && seen.size < 2; calls++) {
        const who = await renderOn(c, id);
        seen.set(who, (seen.get(who) ?? 0) + 1);
      }
      assert.deepEqual([...seen.keys()].sort(), [a.address, b.address].sort(), "calls served by both");
      // Both connected: consecutive calls alternate between them.
      let prev = await renderOn(c, id);
      for (let i = 0; i < 6; i++) {
        const next = await renderOn(c, id);
        assert.notEqual(next, prev, "two calls in a row on one server: not round-robin");
        prev = next;
      }
      // Two streams opened one after the other go one to each server: both are taken, and b,
      // which holds one at most, is full (a third stream straight to b is refused).
      const streams = [0, 1].map((seed) => c.sample(0, seed, { size: 32 }));
      try {
        for (const s of streams) assert.equal((await s.next()).done, false);
        const direct = connect(b.address);
        try {
          await assert.rejects(direct.sample(1, 0, { size: 32 }).next(), (err) => isServiceError(err, status.RESOURCE_EXHAUSTED));
        } finally {
          direct.close();
        }
      } finally {
        // Cancelled, so b's shutdown below has no call in flight to wait for.
        for (const s of streams) await s.return();
      }
      // One server goes away: calls go on, all served by the other (the wrapper's too).
      await b.stop();
      for (let i = 0; i < 6; i++) assert.equal(await renderOn(c, id), a.address, `call ${i} after ${b.address} stopped`);
      const f = await c.render(id, pose({}), { size: 32 });
      assert.equal(f.rgba.length, 32 * 32 * 4);
      let n = 0;
      for await (const frame of c.sample(4, 7, { size: 32 })) {
        assert.equal(frame.index, n++);
      }
      assert.equal(n, 4);
    } finally {
      c.close();
    }
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

/** A RenderService whose listModels answers `code` to its first `fail` calls, then a model. */
async function serveFlaky(code: status, fail: number): Promise<{ address: string; calls: () => number; stop: () => void }> {
  let calls = 0;
  const unimplemented = (_call: unknown, cb: (err: Partial<ServiceError>) => void) => cb({ code: status.UNIMPLEMENTED });
  const server = new Server();
  server.addService(RenderServiceService, {
    listModels: (_call: unknown, cb: sendUnaryData<ListModelsResponse>) => {
      if (++calls <= fail) cb({ code, details: "not now" });
      else cb(null, { models: [{ id: "m", name: "", nameEn: "", vertexCount: 0, faceCount: 0, targetMorphs: [], credit: "" }] });
    },
    describeModel: unimplemented,
    render: unimplemented,
    renderStream: (call: ServerDuplexStream<RenderRequest, Frame>) => call.emit("error", { code: status.UNIMPLEMENTED }),
    sample: (call: ServerWritableStream<SampleRequest, Frame>) => call.emit("error", { code: status.UNIMPLEMENTED }),
  });
  const port = await new Promise<number>((ok, fail) =>
    server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (err, p) => (err ? fail(err) : ok(p))),
  );
  return { address: `127.0.0.1:${port}`, calls: () => calls, stop: () => server.forceShutdown() };
}

test("the retry policy: UNAVAILABLE tried again, up to 4 attempts, on the other server of a list", async () => {
  const cases: [status, number, status | undefined, number][] = [
    [status.UNAVAILABLE, 3, undefined, 4],
    [status.UNAVAILABLE, 9, status.UNAVAILABLE, 4],
    [status.NOT_FOUND, 9, status.NOT_FOUND, 1],
  ];
  for (const [code, fail, want, wantCalls] of cases) {
    const s = await serveFlaky(code, fail);
    const c = connect(s.address);
    try {
      const got = await c.listModels({ deadline: Date.now() + 60_000 }).then(
        () => undefined,
        (err: ServiceError) => err.code,
      );
      assert.equal(got, want, `${status[code]} for the first ${fail} calls`);
      assert.equal(s.calls(), wantCalls, `${status[code]} for the first ${fail} calls: attempts`);
    } finally {
      c.close();
      s.stop();
    }
  }
  // A list with a server that is never available: every call is still served, by the other.
  const [down, up] = await Promise.all([serveFlaky(status.UNAVAILABLE, Infinity), serveFlaky(status.OK, 0)]);
  const c = connect([down.address, up.address]);
  try {
    for (let i = 0; i < 8; i++) assert.equal((await c.listModels({ deadline: Date.now() + 60_000 })).length, 1);
    assert.equal(up.calls(), 8);
    assert.ok(down.calls() > 0, "the unavailable server was tried");
  } finally {
    c.close();
    down.stop();
    up.stop();
  }
});
