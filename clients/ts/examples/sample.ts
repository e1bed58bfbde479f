// Pull frames from a render server's Sample stream, print each frame's labels and the rate,
// and write one frame as a PNG.
//
//   npm run build && node dist/examples/sample.js --addr localhost:50051 --n 100 --seed 1 --out frame.png
// --addr takes several replicas as ip:port,ip:port (round-robin) or dns:///name:port.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { PNG } from "pngjs";
import { connect, type Frame, PITCH, ROLL, Style, YAW } from "../src/index.js";

const { values } = parseArgs({
  options: {
    addr: { type: "string", default: "localhost:50051" },
    n: { type: "string", default: "16" },
    seed: { type: "string", default: "0" },
    model: { type: "string", default: "" },
    size: { type: "string", default: "256" },
    out: { type: "string", default: "frame.png" },
    write: { type: "string", default: "0" },
    token: { type: "string", default: process.env.ANIMECELEB_TOKEN ?? "" },
    tls: { type: "boolean", default: false },
  },
});
const n = Number(values.n);
const which = Number(values.write);
const size = Number(values.size);
if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(which) && which >= 0 && which < n)) {
  throw new Error("need --n >= 1 and 0 <= --write < --n");
}

function writePng(path: string, f: Frame): void {
  const png = new PNG({ width: f.width, height: f.height, colorType: 6 }); // RGBA, straight alpha
  png.data = Buffer.from(f.rgba.buffer, f.rgba.byteOffset, f.rgba.byteLength);
  writeFileSync(path, PNG.sync.write(png));
}

const client = connect(values.addr!, { token: values.token || undefined, tls: values.tls });
try {
  const start = performance.now();
  let got = 0;
  let written = false;
  for await (const f of client.sample(n, Number(values.seed), { modelId: values.model, size })) {
    const angles = [f.pose[YAW], f.pose[PITCH], f.pose[ROLL]].map((a) => a.toFixed(2).padStart(6));
    console.log(`${String(f.index).padStart(4)} ${f.modelId} ${Style[f.style]} light ${f.light.toFixed(2)} yaw/pitch/roll ${angles.join(" ")}`);
    if (got === which) {
      writePng(values.out!, f);
      written = true;
    }
    got++;
  }
  const secs = (performance.now() - start) / 1000;
  console.log(`${got} frames of ${size}x${size} in ${secs.toFixed(2)} s (${(got / secs).toFixed(1)} frames/s)`);
  if (!written) throw new Error(`the stream ended after ${got} frames, before frame ${which}`);
  console.log(`frame ${which} written to ${values.out}`);
} finally {
  client.close();
}
