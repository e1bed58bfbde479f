import { BinaryReader, BinaryWriter } from "@bufbuild/protobuf/wire";
import type { CallOptions, Client, Metadata } from "@grpc/grpc-js";

// grpc.health.v1.Health/Check by hand: two one-field messages, not worth a second generated
// proto (grpc-js ships no health client).
const CHECK = "/grpc.health.v1.Health/Check";
export const SERVING = 1;
const NOT_FOUND = 5;

function serialize(service: string): Buffer {
  const w = new BinaryWriter();
  if (service !== "") w.uint32(10).string(service); // field 1, length-delimited
  return Buffer.from(w.finish());
}

function deserialize(bytes: Buffer): number {
  const r = new BinaryReader(bytes);
  let status = 0;
  while (r.pos < r.len) {
    const [field, wireType] = r.tag();
    if (field === 1 && wireType === 0) status = r.int32();
    else r.skip(wireType);
  }
  return status;
}

function check(client: Client, service: string, metadata: Metadata, options: Partial<CallOptions>): Promise<number> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(CHECK, serialize, deserialize, service, metadata, options, (err, status) =>
      err ? reject(err) : resolve(status ?? 0),
    );
  });
}

/** The health status of `service`, or of the whole server when it has no entry for it. */
export async function healthStatus(
  client: Client,
  service: string,
  metadata: Metadata,
  options: Partial<CallOptions>,
): Promise<number> {
  try {
    return await check(client, service, metadata, options);
  } catch (err) {
    if ((err as { code?: number }).code === NOT_FOUND) return check(client, "", metadata, options);
    throw err;
  }
}
