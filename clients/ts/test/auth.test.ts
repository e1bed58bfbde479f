// A server with TLS (clients/testdata/localhost.crt, self-signed for 127.0.0.1) and a token:
// the token and the certificate open it, a missing or wrong token is UNAUTHENTICATED.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { credentials } from "@grpc/grpc-js";
import { connect, type ConnectOptions, status } from "../src/index.js";
import { startServer, testdata } from "./server.js";

const TOKEN = "s3cret-for-tests";

test("TLS and a bearer token", async () => {
  const tls = credentials.createSsl(readFileSync(join(testdata, "localhost.crt")));
  const server = await startServer(
    ["--token", TOKEN, "--tls-cert", join(testdata, "localhost.crt"), "--tls-key", join(testdata, "localhost.key")],
    tls,
  );
  const list = async (options: ConnectOptions) => {
    const c = connect(server.address, options);
    try {
      return await c.listModels({ deadline: Date.now() + 60_000 });
    } finally {
      c.close();
    }
  };
  const code = (err: { code?: number }) => err.code;
  try {
    assert.equal((await list({ tls, token: TOKEN })).length, 1);
    // A list (here the one server twice) is checked against its first address, 127.0.0.1.
    const both = connect([server.address, server.address], { tls, token: TOKEN });
    try {
      for (let i = 0; i < 3; i++) assert.equal((await both.listModels({ deadline: Date.now() + 60_000 })).length, 1);
    } finally {
      both.close();
    }
    await assert.rejects(list({ tls }), (e: { code?: number }) => code(e) === status.UNAUTHENTICATED);
    await assert.rejects(list({ tls, token: "wrong" }), (e: { code?: number }) => code(e) === status.UNAUTHENTICATED);
    await assert.rejects(list({ token: TOKEN }), (e: { code?: number }) => code(e) === status.UNAVAILABLE);
  } finally {
    await server.stop();
  }
});

test("a token is not sent in clear text beyond loopback", () => {
  assert.throws(() => connect("render.example.com:50051", { token: TOKEN }), /needs tls/);
  for (const address of ["127.0.0.1:1", "localhost:2", "[::1]:3"]) connect(address, { token: TOKEN }).close();
});
