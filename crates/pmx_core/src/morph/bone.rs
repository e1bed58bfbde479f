//! Bone morphs: move and turn bones. They feed the skeleton as an extra
//! input beside the user's pose: for each bone, the translations of all
//! active bone morphs add up (`weight * translation`), and their rotations
//! compose in resolution order (`slerp(identity, rotation, weight)` each).
//! The skeleton then uses `morph_rotation * user_rotation` and
//! `user_translation + morph_translation` as the bone's animated transform
//! (the inputs append transforms read), as MMD and babylon-mmd do.

use glam::{Quat, Vec3};

use crate::model::{Model, MorphOffsets};
use crate::skeleton::scale_rotation;

#[derive(Debug, Clone, Default)]
pub struct BoneMorphs {
    /// Offsets of morph `i` are `[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    bone: Vec<u32>,
    translation: Vec<Vec3>,
    rotation: Vec<Quat>,
}

impl BoneMorphs {
    pub fn new(model: &Model) -> BoneMorphs {
        let bone_count = model.bones.len();
        let mut out = BoneMorphs {
            starts: vec![0],
            ..Default::default()
        };
        for morph in &model.morphs {
            if let MorphOffsets::Bone(items) = &morph.offsets {
                for item in items {
                    if item.bone >= 0 && (item.bone as usize) < bone_count {
                        out.bone.push(item.bone as u32);
                        out.translation.push(Vec3::from_array(item.translation));
                        out.rotation
                            .push(unit_or_identity(Quat::from_array(item.rotation)));
                    }
                }
            }
            out.starts.push(out.bone.len() as u32);
        }
        out
    }

    pub fn has(&self, morph: usize) -> bool {
        self.starts.get(morph + 1) > self.starts.get(morph)
    }

    /// Accumulates morph `morph` at `weight` into the per-bone morph inputs.
    pub fn apply(
        &self,
        morph: usize,
        weight: f32,
        translation: &mut [Vec3],
        rotation: &mut [Quat],
    ) {
        let (Some(&s), Some(&e)) = (self.starts.get(morph), self.starts.get(morph + 1)) else {
            return;
        };
        for i in s as usize..e as usize {
            let b = self.bone[i] as usize;
            let t = self.translation[i];
            if t != Vec3::ZERO {
                translation[b] += t * weight;
            }
            let q = scale_rotation(self.rotation[i], weight);
            if q != Quat::IDENTITY {
                rotation[b] = if rotation[b] == Quat::IDENTITY {
                    q
                } else {
                    (rotation[b] * q).normalize()
                };
            }
        }
    }
}

/// `q` normalised, or the identity when `q` is zero or not finite.
pub(crate) fn unit_or_identity(q: Quat) -> Quat {
    let len2 = q.length_squared();
    if !len2.is_finite() || len2 == 0.0 {
        Quat::IDENTITY
    } else if len2 == 1.0 {
        q
    } else {
        q.normalize()
    }
}
