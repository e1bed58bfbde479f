import { once } from "node:events";
import { isIP } from "node:net";
import * as grpc from "@grpc/grpc-js";
import {
  ImageEncoding,
  type ModelDescription,
  type ModelSummary,
  Partition,
  type RenderRequest,
  RenderServiceClient,
  Style,
} from "./gen/animeceleb/v1/render.js";
import { decodeFrame, type Frame } from "./frame.js";
import { healthStatus, SERVING } from "./health.js";

// A 1024x1024 RGBA frame (the server's default size bound) is 4 MiB plus its header, over
// gRPC's default 4 MiB receive limit.
const MAX_FRAME_MESSAGE = 64 << 20;
const SERVICE_NAME = "animeceleb.v1.RenderService";

export interface ConnectOptions {
  /**
   * Sent as "authorization: Bearer <token>" with every call. Without `tls` only to a loopback
   * address (connect throws otherwise), so it never crosses a network in clear text.
   */
  token?: string;
  /** Connect over TLS: true for the system roots, or grpc-js's SSL credentials. */
  tls?: boolean | grpc.ChannelCredentials;
  /** Extra grpc-js channel options. */
  channelOptions?: grpc.ChannelOptions;
  /** How frames travel unless a call says otherwise; default raw RGBA. See RenderOptions. */
  encoding?: ImageEncoding;
}

/** Per-call options. */
export interface CallOptions {
  /** Give up (DEADLINE_EXCEEDED) at this time, a Date or milliseconds since the epoch. */
  deadline?: Date | number;
  /** Cancel the call (CANCELLED) when this signal aborts. */
  signal?: AbortSignal;
}

/** What to render: one frame of a renderStream, or render()'s options. */
export interface FrameOptions {
  /** Default: the server's (MMD). */
  style?: Style;
  /** Light intensity in [0, 2]; default 0.6. */
  light?: number;
  /** Width and height in pixels; default 256. */
  size?: number;
  /**
   * How the frame travels: IMAGE_ENCODING_PNG is several times smaller on the wire and costs
   * the server time to compress. Frames arrive decoded to RGBA either way. Default: the
   * client's (ConnectOptions.encoding), else raw.
   */
  encoding?: ImageEncoding;
}

export interface RenderOptions extends CallOptions, FrameOptions {}

/** One request of a renderStream. */
export interface RenderStreamRequest extends FrameOptions {
  modelId: string;
  /** 20 numbers in POSE_LAYOUT order. */
  pose: ArrayLike<number>;
}

/**
 * How many requests renderStream sends ahead of the frames received: enough to keep the
 * server's own window (twice its batch, 16 by default) full across a round trip, few enough
 * that a live request source is read at the pace frames are taken, not as far as the
 * transport's buffers (megabytes) would allow.
 */
export const STREAM_WINDOW = 64;

export interface SampleOptions extends CallOptions {
  /** Restrict to one model; default every model, drawn uniformly. */
  modelId?: string;
  /** Styles to draw from; default all four. */
  styles?: Style[];
  /** (source, driving) pairs of one model and style; a pair counts as two frames. */
  pairs?: boolean;
  size?: number;
  partition?: Partition;
  /** As in RenderOptions. */
  encoding?: ImageEncoding;
}

/**
 * The channel options every client sets: round_robin over every address the target gives (a
 * list, or a dns:/// name with several addresses such as a Kubernetes headless Service), and
 * the Python client's retry policy: a call no server took (one restarting or shutting down
 * answers UNAVAILABLE) is tried again, on the next server when there are several. gRPC retries
 * a stream only before its first frame arrives, so no frame is ever duplicated.
 */
export const SERVICE_CONFIG = {
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{ service: SERVICE_NAME }],
      retryPolicy: {
        maxAttempts: 4,
        initialBackoff: "0.1s",
        maxBackoff: "1s",
        backoffMultiplier: 2,
        retryableStatusCodes: ["UNAVAILABLE"],
      },
    },
  ],
};

const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  "grpc.max_receive_message_length": MAX_FRAME_MESSAGE,
  "grpc.service_config": JSON.stringify(SERVICE_CONFIG),
  // Reconnect soon after a server restarts (the default backoff grows to two minutes).
  "grpc.initial_reconnect_backoff_ms": 100,
  "grpc.max_reconnect_backoff_ms": 2000,
};

const HOST_PORT = /^(?:\[([^\]]+)\]|([^:/[\],]+)):(\d{1,5})$/;

/** `address` as host and port, if it is "host:port" or "[v6]:port". */
function hostPort(address: string): { host: string; port: string } | undefined {
  const m = HOST_PORT.exec(address.trim());
  return m ? { host: m[1] ?? m[2], port: m[3] } : undefined;
}

/**
 * The grpc-js target for `address`. Several "ip:port" addresses (an array, or one string with
 * commas) become one ipv4: or ipv6: target, which round_robin balances over; anything else
 * ("host:port", "dns:///name:port", "ipv4:a:p,b:p", ...) is a target as it is. A list takes IP
 * literals only: grpc-js resolves no list of names (connect is synchronous, so it cannot
 * either); a name with several addresses is "dns:///name:port".
 */
export function channelTarget(address: string | readonly string[]): string {
  const list = typeof address === "string" ? address.split(",") : [...address];
  if (list.length === 0) throw new Error("no address given");
  if (list.length === 1) return list[0].trim();
  const parts = list.map(hostPort);
  if (typeof address === "string" && parts.includes(undefined)) return address; // a gRPC target
  const v4: string[] = [];
  const v6: string[] = [];
  list.forEach((a, i) => {
    const p = parts[i];
    const family = p ? isIP(p.host) : 0;
    if (!p || family === 0) {
      throw new Error(`${a}: several addresses must be ip:port (grpc-js resolves no list of names); for a name with several addresses use dns:///name:port`);
    }
    if (family === 4) v4.push(`${p.host}:${p.port}`);
    else v6.push(`[${p.host}]:${p.port}`);
  });
  if (v4.length && v6.length) throw new Error(`${list.join(",")}: one target holds IPv4 or IPv6 addresses, not both`);
  return v4.length ? `ipv4:${v4.join(",")}` : `ipv6:${v6.join(",")}`;
}

/** The host:port addresses `target` names directly: each of an ipv4:/ipv6: list, or itself. */
function namedAddresses(target: string): string[] {
  const m = /^ipv[46]:(?:\/\/\/)?(.*)$/.exec(target);
  return m ? m[1].split(",") : [target];
}

function isLoopback(address: string): boolean {
  const host = address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** Cancel `call` when `signal` aborts; the returned function stops watching. */
function cancelOnAbort(signal: AbortSignal | undefined, call: { cancel(): void }): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    call.cancel();
    return () => {};
  }
  const cancel = () => call.cancel();
  signal.addEventListener("abort", cancel, { once: true });
  return () => signal.removeEventListener("abort", cancel);
}

/**
 * A connection to one render server, or to several balanced round-robin (see connect). Errors
 * from the server are grpc-js ServiceErrors (isServiceError); a frame that contradicts its own
 * header is a MalformedFrameError.
 */
export class Client {
  /** The generated stub, for anything the wrapper does not cover. */
  readonly rpc: RenderServiceClient;
  private readonly metadata: grpc.Metadata;
  private readonly encoding: ImageEncoding;

  /** The grpc-js target the client dials (channelTarget of the address given). */
  readonly target: string;

  constructor(address: string | readonly string[], options: ConnectOptions = {}) {
    const { token, tls, channelOptions, encoding } = options;
    this.target = channelTarget(address);
    if (token && !tls && !namedAddresses(this.target).every(isLoopback)) {
      throw new Error(`a token to ${this.target} needs tls (clear text only to loopback)`);
    }
    const creds = tls === true ? grpc.credentials.createSsl() : tls || grpc.credentials.createInsecure();
    this.rpc = new RenderServiceClient(this.target, creds, { ...CHANNEL_OPTIONS, ...channelOptions });
    this.metadata = new grpc.Metadata();
    if (token) this.metadata.set("authorization", `Bearer ${token}`);
    this.encoding = encoding ?? ImageEncoding.IMAGE_ENCODING_RAW_RGBA;
  }

  close(): void {
    this.rpc.close();
  }

  private unary<Req, Res>(
    method: (req: Req, md: grpc.Metadata, opts: Partial<grpc.CallOptions>, cb: (err: grpc.ServiceError | null, res: Res) => void) => grpc.ClientUnaryCall,
    request: Req,
    options: CallOptions,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      let unwatch = () => {};
      const call = method.call(this.rpc, request, this.metadata, { deadline: options.deadline }, (err, res) => {
        unwatch();
        if (err) reject(err);
        else resolve(res);
      });
      unwatch = cancelOnAbort(options.signal, call);
    });
  }

  /** The wire request for one frame, with the defaults filled in. */
  private request(modelId: string, pose: ArrayLike<number>, options: FrameOptions): RenderRequest {
    return {
      modelId,
      pose: Array.from(pose),
      style: options.style ?? Style.STYLE_UNSPECIFIED,
      light: options.light ?? 0,
      size: options.size ?? 0,
      encoding: this.wireEncoding(options.encoding),
    };
  }

  private wireEncoding(encoding: ImageEncoding | undefined): ImageEncoding {
    return encoding === undefined || encoding === ImageEncoding.IMAGE_ENCODING_UNSPECIFIED ? this.encoding : encoding;
  }

  /** Whether the server's health service (grpc.health.v1) says the render service is SERVING. */
  async serving(options: Pick<CallOptions, "deadline"> = {}): Promise<boolean> {
    return (await healthStatus(this.rpc, SERVICE_NAME, this.metadata, { deadline: options.deadline })) === SERVING;
  }

  /** Every model the server can render. */
  async listModels(options: CallOptions = {}): Promise<ModelSummary[]> {
    return (await this.unary(this.rpc.listModels, {}, options)).models;
  }

  /** One model in detail, with its annotation (target morph -> the model's own morph). */
  describe(modelId: string, options: CallOptions = {}): Promise<ModelDescription> {
    return this.unary(this.rpc.describeModel, { modelId }, options);
  }

  /** Render one frame of `modelId` in `pose` (20 numbers in POSE_LAYOUT order). */
  async render(modelId: string, pose: ArrayLike<number>, options: RenderOptions = {}): Promise<Frame> {
    return decodeFrame(await this.unary(this.rpc.render, this.request(modelId, pose, options), options));
  }

  /**
   * Render a stream of requests on one call; frames come back in request order, one per
   * request (frame.index counts from 0). It is render() for many frames without a round trip
   * each, and an endless `requests` is fine: it is read concurrently with the loop, at most
   * STREAM_WINDOW requests ahead of the frames taken, and the call's own buffers are drained
   * before more is written. Leaving a `for await` loop early (or options.signal) cancels the
   * call: the server stops rendering it, and `requests` is closed (its `return()` called) when
   * it next produces a request. An error ends the loop: a server status (NOT_FOUND for an
   * unknown model id, after the frames of the requests before it), or what `requests` threw.
   */
  async *renderStream(
    requests: Iterable<RenderStreamRequest> | AsyncIterable<RenderStreamRequest>,
    options: CallOptions = {},
  ): AsyncGenerator<Frame, void, undefined> {
    const call = this.rpc.renderStream(this.metadata, { deadline: options.deadline });
    const unwatch = cancelOnAbort(options.signal, call);
    // Aborts once the call is over for the sender: ended by the server, or let go by the loop.
    const over = new AbortController();
    const end = () => over.abort();
    call.on("error", end); // also keeps a late CANCELLED from being an unhandled 'error'
    call.on("status", end);
    let slots = STREAM_WINDOW; // requests that may be sent before the next frame comes
    let freed: (() => void) | undefined; // wakes the sender when a frame frees a slot
    over.signal.addEventListener("abort", () => freed?.(), { once: true });
    let sendError: { error: unknown } | undefined;
    const send = async () => {
      try {
        for await (const r of requests) {
          while (slots === 0 && !over.signal.aborted) await new Promise<void>((wake) => (freed = wake));
          if (over.signal.aborted) return; // leaving the for-await closes `requests`
          slots--;
          if (!call.write(this.request(r.modelId, r.pose, r))) {
            await once(call, "drain", { signal: over.signal }).catch(() => {});
          }
        }
        if (!over.signal.aborted) call.end();
      } catch (error) {
        if (!over.signal.aborted) {
          sendError = { error };
          call.cancel();
        }
      }
    };
    void send();
    try {
      for await (const wire of call) {
        slots++;
        freed?.();
        yield decodeFrame(wire);
      }
    } catch (err) {
      throw sendError ? sendError.error : err;
    } finally {
      end();
      unwatch();
      call.cancel();
    }
  }

  /**
   * Stream `count` frames whose poses, models, styles and lights the server draws with the
   * dataset policy from `seed` (same seed and options, same draws); `count` 0 streams until
   * the loop stops. Leaving a `for await` loop early cancels the stream.
   */
  async *sample(count: number, seed: number, options: SampleOptions = {}): AsyncGenerator<Frame, void, undefined> {
    const call = this.rpc.sample(
      {
        seed,
        count,
        modelId: options.modelId ?? "",
        styles: options.styles ?? [],
        pairs: options.pairs ?? false,
        size: options.size ?? 0,
        encoding: this.wireEncoding(options.encoding),
        partition: options.partition ?? Partition.PARTITION_UNSPECIFIED,
      },
      this.metadata,
      { deadline: options.deadline },
    );
    // Cancelling emits a CANCELLED error after the loop has let go of the stream; this keeps
    // it from becoming an unhandled 'error' event. Errors during the loop still throw from it.
    call.on("error", () => {});
    const unwatch = cancelOnAbort(options.signal, call);
    try {
      for await (const wire of call) yield decodeFrame(wire);
    } finally {
      unwatch();
      call.cancel();
    }
  }
}

/**
 * A client for the server at `address`: "host:port", several replicas as "ip:port,ip:port" or
 * an array, or any grpc-js target such as "dns:///name:port" (every address of a name: a
 * Kubernetes headless Service). Calls are balanced round-robin over all the addresses (a
 * stream stays on the server it started on) and retried on another server when one answers
 * UNAVAILABLE. Under TLS the certificate is checked against the first address's host (or
 * channelOptions["grpc.ssl_target_name_override"]). The first call connects.
 */
export function connect(address: string | readonly string[], options?: ConnectOptions): Client {
  return new Client(address, options);
}

/** Whether `err` is a status from a call (grpc-js ServiceError), and with `code` if given. */
export function isServiceError(err: unknown, code?: grpc.status): err is grpc.ServiceError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<grpc.ServiceError>;
  return typeof e.code === "number" && e.metadata instanceof grpc.Metadata && (code === undefined || e.code === code);
}
