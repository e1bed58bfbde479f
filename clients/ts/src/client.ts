import { isIP } from "node:net";
import * as grpc from "@grpc/grpc-js";
import {
  ImageEncoding,
  type ModelDescription,
  type ModelSummary,
  Partition,
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
}

/** Per-call options. */
export interface CallOptions {
  /** Give up (DEADLINE_EXCEEDED) at this time, a Date or milliseconds since the epoch. */
  deadline?: Date | number;
}

export interface RenderOptions extends CallOptions {
  /** Default: the server's (MMD). */
  style?: Style;
  /** Light intensity in [0, 2]; default 0.6. */
  light?: number;
  /** Width and height in pixels; default 256. */
  size?: number;
}

export interface SampleOptions extends CallOptions {
  /** Restrict to one model; default every model, drawn uniformly. */
  modelId?: string;
  /** Styles to draw from; default all four. */
  styles?: Style[];
  /** (source, driving) pairs of one model and style; a pair counts as two frames. */
  pairs?: boolean;
  size?: number;
  partition?: Partition;
}

function isLoopback(address: string): boolean {
  const host = address.replace(/:\d+$/, "").replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** A connection to one render server. Errors from the server are grpc-js ServiceErrors. */
export class Client {
  /** The generated stub, for calls the wrapper does not cover (renderStream). */
  readonly rpc: RenderServiceClient;
  private readonly metadata: grpc.Metadata;

  constructor(address: string, options: ConnectOptions = {}) {
    const { token, tls, channelOptions } = options;
    if (token && !tls && !isLoopback(address)) {
      throw new Error(`a token to ${address} needs tls (clear text only to loopback)`);
    }
    const creds = tls === true ? grpc.credentials.createSsl() : tls || grpc.credentials.createInsecure();
    this.rpc = new RenderServiceClient(address, creds, {
      "grpc.max_receive_message_length": MAX_FRAME_MESSAGE,
      ...channelOptions,
    });
    this.metadata = new grpc.Metadata();
    if (token) this.metadata.set("authorization", `Bearer ${token}`);
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
      method.call(this.rpc, request, this.metadata, { deadline: options.deadline }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
    });
  }

  /** Whether the server's health service (grpc.health.v1) says the render service is SERVING. */
  async serving(options: CallOptions = {}): Promise<boolean> {
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
    const wire = await this.unary(
      this.rpc.render,
      {
        modelId,
        pose: Array.from(pose),
        style: options.style ?? Style.STYLE_UNSPECIFIED,
        light: options.light ?? 0,
        size: options.size ?? 0,
        encoding: ImageEncoding.IMAGE_ENCODING_RAW_RGBA,
      },
      options,
    );
    return decodeFrame(wire);
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
        encoding: ImageEncoding.IMAGE_ENCODING_RAW_RGBA,
        partition: options.partition ?? Partition.PARTITION_UNSPECIFIED,
      },
      this.metadata,
      { deadline: options.deadline },
    );
    // Cancelling emits a CANCELLED error after the loop has let go of the stream; this keeps
    // it from becoming an unhandled 'error' event. Errors during the loop still throw from it.
    call.on("error", () => {});
    try {
      for await (const wire of call) yield decodeFrame(wire);
    } finally {
      call.cancel();
    }
  }
}

/** A client for the server at `address` ("host:port"); the first call connects. */
export function connect(address: string, options?: ConnectOptions): Client {
  return new Client(address, options);
}
