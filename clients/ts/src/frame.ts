import { ImageEncoding, type Frame as WireFrame, PairRole, Style } from "./gen/animeceleb/v1/render.js";
import { POSE_SIZE } from "./pose.js";

/** A frame whose image or pose does not match its own header. */
export class MalformedFrameError extends Error {
  override name = "MalformedFrameError";
}

/** One rendered image with the labels it was rendered with. */
export interface Frame {
  modelId: string;
  /** The pose that was rendered, 20 numbers in POSE_LAYOUT order. */
  pose: Float32Array;
  style: Style;
  light: number;
  width: number;
  height: number;
  /**
   * width*height*4 bytes, row-major from the top-left, straight (not premultiplied) alpha;
   * the background is transparent, so alpha is the foreground mask.
   */
  rgba: Uint8Array;
  /** Position of this frame in its stream, from 0. */
  index: number;
  /** Source and driving frames of one pair share pairId. */
  pairId: number;
  role: PairRole;
}

export function decodeFrame(m: WireFrame): Frame {
  if (m.pose.length !== POSE_SIZE) {
    throw new MalformedFrameError(`pose has ${m.pose.length} numbers, want ${POSE_SIZE}`);
  }
  if (!(m.width > 0 && m.height > 0)) {
    throw new MalformedFrameError(`size ${m.width}x${m.height}`);
  }
  // The client always asks for raw RGBA.
  if (m.encoding !== ImageEncoding.IMAGE_ENCODING_RAW_RGBA && m.encoding !== ImageEncoding.IMAGE_ENCODING_UNSPECIFIED) {
    throw new MalformedFrameError(`image encoding ${ImageEncoding[m.encoding] ?? m.encoding}, asked for raw RGBA`);
  }
  const want = m.width * m.height * 4;
  if (m.image.length !== want) {
    throw new MalformedFrameError(`${m.image.length} image bytes for ${m.width}x${m.height} RGBA, want ${want}`);
  }
  return {
    modelId: m.modelId,
    pose: Float32Array.from(m.pose),
    style: m.style,
    light: m.light,
    width: m.width,
    height: m.height,
    rgba: new Uint8Array(m.image.buffer, m.image.byteOffset, m.image.byteLength),
    index: m.index,
    pairId: m.pairId,
    role: m.role,
  };
}
