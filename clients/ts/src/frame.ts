import { PNG } from "pngjs";
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
   * the background is transparent, so alpha is the foreground mask. Frames sent as PNG arrive
   * decoded to the same bytes.
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
  const rgba = decodeImage(m.encoding, m.image, m.width, m.height);
  return {
    modelId: m.modelId,
    pose: Float32Array.from(m.pose),
    style: m.style,
    light: m.light,
    width: m.width,
    height: m.height,
    rgba,
    index: m.index,
    pairId: m.pairId,
    role: m.role,
  };
}

function decodeImage(encoding: ImageEncoding, image: Uint8Array, width: number, height: number): Uint8Array {
  switch (encoding) {
    case ImageEncoding.IMAGE_ENCODING_UNSPECIFIED:
    case ImageEncoding.IMAGE_ENCODING_RAW_RGBA: {
      const want = width * height * 4;
      if (image.length !== want) {
        throw new MalformedFrameError(`${image.length} image bytes for ${width}x${height} RGBA, want ${want}`);
      }
      return new Uint8Array(image.buffer, image.byteOffset, image.byteLength);
    }
    case ImageEncoding.IMAGE_ENCODING_PNG: {
      // pngjs gives 8-bit RGBA, straight alpha, whatever the PNG's own colour type and depth.
      let png: PNG;
      try {
        png = PNG.sync.read(Buffer.from(image.buffer, image.byteOffset, image.byteLength));
      } catch (err) {
        throw new MalformedFrameError(`PNG: ${(err as Error).message}`);
      }
      if (png.width !== width || png.height !== height) {
        throw new MalformedFrameError(`PNG is ${png.width}x${png.height}, header says ${width}x${height}`);
      }
      return new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
    }
    default:
      throw new MalformedFrameError(`unknown image encoding ${encoding}`);
  }
}
