export {
  channelTarget,
  Client,
  connect,
  isServiceError,
  STREAM_WINDOW,
  type CallOptions,
  type ConnectOptions,
  type FrameOptions,
  type RenderOptions,
  type RenderStreamRequest,
  type SampleOptions,
  SERVICE_CONFIG,
} from "./client.js";
export { type Frame, MalformedFrameError } from "./frame.js";
export { POSE_LAYOUT, POSE_SIZE, PITCH, pose, type PoseName, ROLL, YAW } from "./pose.js";
export {
  ImageEncoding,
  type ModelDescription,
  type ModelSummary,
  PairRole,
  Partition,
  Style,
} from "./gen/animeceleb/v1/render.js";
export { type ServiceError, status } from "@grpc/grpc-js";
