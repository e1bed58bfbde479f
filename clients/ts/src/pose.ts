/** The pose vector: 20 numbers, morph weights in [0, 1] then yaw, pitch, roll in degrees. */
export const POSE_LAYOUT = [
  "eye_close_right", "eye_close_left", "eye_smile_right", "eye_smile_left",
  "eye_wide_right", "eye_wide_left", "brow_up_right", "brow_up_left",
  "brow_down_right", "brow_down_left", "brow_troubled_right", "brow_troubled_left",
  "mouth_a", "mouth_i", "mouth_u", "mouth_e", "mouth_o", "yaw", "pitch", "roll",
] as const;

export type PoseName = (typeof POSE_LAYOUT)[number];

export const POSE_SIZE = POSE_LAYOUT.length;

/** Indices of the head angles; entries before YAW are morph weights. */
export const YAW = 17;
export const PITCH = 18;
export const ROLL = 19;

/** A pose from named entries (others zero), e.g. `pose({ mouth_a: 1, yaw: 15 })`. */
export function pose(values: Partial<Record<PoseName, number>>): Float32Array {
  const out = new Float32Array(POSE_SIZE);
  for (const [name, value] of Object.entries(values)) {
    const i = POSE_LAYOUT.indexOf(name as PoseName);
    if (i < 0) throw new RangeError(`unknown pose entry ${name}`);
    out[i] = value;
  }
  return out;
}
