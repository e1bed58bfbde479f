// Starts a live render server for the client tests:
// <repo>/.venv/bin/animeceleb serve --models <temp dir with the sample character> --host 127.0.0.1 --port P
// --workers 1, ready when its health service says SERVING. ANIMECELEB_VENV points at another
// virtual environment.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChannelCredentials } from "@grpc/grpc-js";
import { connect } from "../src/index.js";

/** What clients/testdata/sample_models.py says about the model it wrote. */
export interface SampleModel {
  name: string;
  name_en: string;
  vertex_count: number;
  face_count: number;
  target_morphs: string[];
}

export interface LiveServer {
  address: string;
  model: SampleModel;
  stop(): Promise<void>;
}

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const testdata = join(root, "clients", "testdata");

/** Start a server for the sample character, with extra serve arguments; `tls` reaches it. */
export async function startServer(args: string[] = [], tls?: ChannelCredentials): Promise<LiveServer> {
  const venv = process.env.ANIMECELEB_VENV ?? join(root, ".venv");
  const dir = mkdtempSync(join(tmpdir(), "animeceleb-ts-client-"));
  const models = join(dir, "models");
  let child: ChildProcess | undefined;
  let exited = false;
  let log = "";
  const stop = async () => {
    if (child?.pid !== undefined && !exited) {
      // Its own process group: stopping it stops any worker processes too.
      const pid = child.pid;
      const gone = new Promise((r) => child!.once("exit", r));
      process.kill(-pid, "SIGTERM");
      const timer = setTimeout(() => process.kill(-pid, "SIGKILL"), 15000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const facts = execFileSync(join(venv, "bin", "python"), [join(testdata, "sample_models.py"), models], {
      encoding: "utf8",
    });
    const model = JSON.parse(facts) as SampleModel;
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    child = spawn(join(venv, "bin", "animeceleb"), ["serve", "--models", models, "--host", "127.0.0.1", "--port", String(port), "--workers", "1", ...args], {
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    child.on("exit", () => (exited = true));
    child.on("error", (e) => {
      log += String(e);
      exited = true;
    });
    // Health checks need no token, so this probe also answers for a token-only server.
    const client = connect(address, { tls });
    try {
      const deadline = Date.now() + 180_000;
      let last: unknown;
      for (;;) {
        try {
          if (await client.serving({ deadline: Date.now() + 2000 })) break;
        } catch (err) {
          last = err;
        }
        if (exited) throw new Error(`server exited before it was SERVING:\n${log}`);
        if (Date.now() > deadline) throw new Error(`server not SERVING after 180 s (${String(last)}):\n${log}`);
        await sleep(200);
      }
    } finally {
      client.close();
    }
    return { address, model, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
