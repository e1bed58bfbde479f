//! Forward kinematics: animated transforms, world transforms, skin matrices.

use glam::{Affine3A, Quat, Vec3};

use super::{append_transform, Level, Skeleton, SkeletonState};

/// Starts a pose: every bone's animated transform from the user's rotation
/// (projected onto the fixed axis, if the bone has one) and translation,
/// combined with the bone-morph input (`morph · user` and `user + morph`).
/// IK rotations are cleared and world transforms reset to the bind pose, so
/// a pose never depends on the previous one.
pub fn begin(
    skel: &Skeleton,
    user_rotation: &[Quat],
    user_translation: &[Vec3],
    st: &mut SkeletonState,
) {
    for (b, node) in skel.bones.iter().enumerate() {
        let mut rotation = user_rotation[b];
        if let Some(axis) = node.fixed_axis {
            rotation = project_on_axis(rotation, axis);
        }
        let morph = st.morph_rotation[b];
        if morph != Quat::IDENTITY {
            rotation = if rotation == Quat::IDENTITY {
                morph
            } else {
                (morph * rotation).normalize()
            };
        }
        let mut translation = user_translation[b];
        let morph_t = st.morph_translation[b];
        if morph_t != Vec3::ZERO {
            translation += morph_t;
        }
        st.rotation[b] = rotation;
        st.translation[b] = translation;
        st.ik_rotation[b] = Quat::IDENTITY;
        st.world[b] = Affine3A::from_translation(node.rest);
        st.at_rest[b] = true;
    }
}

/// Append transforms, then world transforms, for the bones of one level in order.
pub fn update_level(skel: &Skeleton, level: &Level, st: &mut SkeletonState) {
    for &b in &skel.order[level.bones.clone()] {
        append_transform::apply(skel, b as usize, st);
        update_world(skel, b as usize, st);
    }
}

/// Recomputes bone `b`'s world transform from its local transform and its
/// parent's current world transform.
#[inline]
pub fn update_world(skel: &Skeleton, b: usize, st: &mut SkeletonState) {
    let node = &skel.bones[b];
    let ik = st.ik_rotation[b];
    let rotation = if ik == Quat::IDENTITY {
        st.rotation[b]
    } else {
        ik * st.rotation[b]
    };
    let translation = st.translation[b];
    let parent_at_rest = match node.parent {
        Some(p) => st.at_rest[p as usize],
        None => true,
    };
    if parent_at_rest && rotation == Quat::IDENTITY && translation == Vec3::ZERO {
        st.world[b] = Affine3A::from_translation(node.rest);
        st.at_rest[b] = true;
    } else {
        let local = Affine3A::from_rotation_translation(rotation, node.rest_rel + translation);
        st.world[b] = match node.parent {
            Some(p) => st.world[p as usize] * local,
            None => local,
        };
        st.at_rest[b] = false;
    }
}

/// Skin matrices `world · T(-rest)`; exactly the identity for bones at rest.
pub fn finish(skel: &Skeleton, st: &mut SkeletonState) {
    for (b, node) in skel.bones.iter().enumerate() {
        st.skin[b] = if st.at_rest[b] {
            Affine3A::IDENTITY
        } else {
            let w = st.world[b];
            Affine3A {
                matrix3: w.matrix3,
                translation: w.translation - w.matrix3 * glam::Vec3A::from(node.rest),
            }
        };
    }
}

/// The part of `rotation` about `axis` (unit, or zero for a locked bone):
/// the twist of its swing-twist decomposition, `normalize(w, (v·a)·a)`. A
/// rotation already about the axis is kept as is (with its sign); a turn
/// about a perpendicular axis is dropped.
pub fn project_on_axis(rotation: Quat, axis: Vec3) -> Quat {
    if rotation == Quat::IDENTITY {
        return rotation;
    }
    let along = Vec3::new(rotation.x, rotation.y, rotation.z).dot(axis);
    let twist = Quat::from_xyzw(axis.x * along, axis.y * along, axis.z * along, rotation.w);
    let len2 = twist.length_squared();
    if len2 < 1e-12 || !len2.is_finite() {
        Quat::IDENTITY
    } else {
        twist * len2.sqrt().recip()
    }
}
