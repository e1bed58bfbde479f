//! Append ("inherit", 付与) transforms: a bone takes `ratio` of another
//! bone's rotation and/or translation on top of its own.
//!
//! Semantics follow babylon-mmd's `AppendTransformSolver`:
//! - rotation: the source's current local rotation (after its own append,
//!   with its IK rotation in front) or, with `APPEND_LOCAL`, the rotation of
//!   its world transform; scaled by `slerp(identity, source, ratio)` and
//!   applied after the bone's own: `own · scaled`.
//! - translation: the source's current translation offset (after its own
//!   append) or, with `APPEND_LOCAL`, its world displacement from rest;
//!   `own + ratio · source`.
//!
//! Appends chain because the source's own append is already in its local
//! transform when the source comes first in the evaluation order; a source
//! evaluated later contributes its animated (user + bone-morph) transform.
//! Negative ratios are allowed. A source outside the table, or the bone
//! itself, is ignored.

use glam::{Quat, Vec3};

use super::{scale_rotation, Skeleton, SkeletonState};
use crate::model::{bone_flags, Bone};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppendSource {
    pub source: u32,
    pub ratio: f32,
    pub rotate: bool,
    pub translate: bool,
    pub local: bool,
}

impl AppendSource {
    pub fn new(bone: &Bone, index: usize, bone_count: usize) -> Option<AppendSource> {
        let rotate = bone.has(bone_flags::APPEND_ROTATE);
        let translate = bone.has(bone_flags::APPEND_TRANSLATE);
        let append = bone.append?;
        let valid = append.parent >= 0
            && (append.parent as usize) < bone_count
            && append.parent as usize != index;
        (valid && (rotate || translate) && append.ratio.is_finite()).then_some(AppendSource {
            source: append.parent as u32,
            ratio: append.ratio,
            rotate,
            translate,
            local: bone.has(bone_flags::APPEND_LOCAL),
        })
    }
}

/// Adds bone `b`'s append transform (if any) to its local rotation/translation.
pub fn apply(skel: &Skeleton, b: usize, st: &mut SkeletonState) {
    let Some(ap) = skel.bones[b].append else {
        return;
    };
    let s = ap.source as usize;
    if ap.rotate {
        let source = if ap.local {
            if st.at_rest[s] {
                Quat::IDENTITY
            } else {
                Quat::from_mat3a(&st.world[s].matrix3).normalize()
            }
        } else if st.ik_rotation[s] == Quat::IDENTITY {
            st.rotation[s]
        } else {
            st.ik_rotation[s] * st.rotation[s]
        };
        let part = scale_rotation(source, ap.ratio);
        if part != Quat::IDENTITY {
            st.rotation[b] = if st.rotation[b] == Quat::IDENTITY {
                part
            } else {
                (st.rotation[b] * part).normalize()
            };
        }
    }
    if ap.translate {
        let source = if ap.local {
            if st.at_rest[s] {
                Vec3::ZERO
            } else {
                Vec3::from(st.world[s].translation) - skel.bones[s].rest
            }
        } else {
            st.translation[s]
        };
        if source != Vec3::ZERO && ap.ratio != 0.0 {
            st.translation[b] += source * ap.ratio;
        }
    }
}
