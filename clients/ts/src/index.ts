export { Client, connect, type CallOptions, type ConnectOptions, type RenderOptions, type SampleOptions } from "./client.js";
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
export { status } from "@grpc/grpc-js";
