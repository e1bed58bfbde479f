//! The skeleton: bones precomputed from a [`Model`] and their per-pose state.
//!
//! A bone's local transform is `T(rest - parent_rest + translation) ·
//! R(ik_rotation · rotation)`, its world transform `parent_world · local`,
//! and its skin matrix `world · T(-rest)` (the inverse bind matrix of an MMD
//! bone is a pure translation). Rotations are in MMD's bone frame: axis
//! aligned with the model at rest, exactly as VMD stores them.
//!
//! Evaluation order (driven by `poser.rs`): bones are sorted by
//! (after-physics flag, transform level, index) and grouped into *levels* of
//! equal (after-physics, level). [`fk::begin`] sets every bone's animated
//! transform (user input projected onto the bone's fixed axis, if any, then
//! bone-morph input);
//! then for each level, [`fk::update_level`] runs append transforms and FK for
//! its bones in order and [`ik_solver`] solves the IK bones of that level.
//! [`fk::finish`] derives the skin matrices.
//!
//! Bones at rest (identity rotation, zero translation, parent at rest) get
//! their world transform set to the exact bind translation and an exact
//! identity skin matrix, which is what lets the zero pose reproduce the bind
//! pose bit for bit and lets skinning skip them.
//!
//! Local axes (`LOCAL_AXES`) only orient MMD's manipulation gizmo; they do not
//! change how a bone's rotation is stored or applied. [`local_axes_frame`]
//! gives that frame for callers that want to express a rotation in it.
//!
//! Physics is not simulated: bones driven by rigid bodies follow FK.

pub mod append_transform;
pub mod fk;
pub mod ik_solver;

use std::ops::Range;

use glam::{Affine3A, Quat, Vec3};

use crate::model::{bone_flags, Bone, Model};
use ik_solver::IkSolver;

/// A bone as the poser uses it.
#[derive(Debug, Clone)]
pub struct BoneNode {
    pub parent: Option<u32>,
    /// Model-space rest position.
    pub rest: Vec3,
    /// Rest position relative to the parent's rest position.
    pub rest_rel: Vec3,
    pub append: Option<append_transform::AppendSource>,
    /// Unit fixed axis (zero: the bone cannot turn); present with `FIXED_AXIS`.
    pub fixed_axis: Option<Vec3>,
}

/// Consecutive bones of `Skeleton::order` sharing (after-physics, level).
#[derive(Debug, Clone)]
pub struct Level {
    pub after_physics: bool,
    pub layer: i32,
    /// Range into `Skeleton::order`.
    pub bones: Range<usize>,
    /// Range into `Skeleton::ik_solvers`.
    pub iks: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Skeleton {
    pub bones: Vec<BoneNode>,
    /// Bone indices sorted by (after-physics, level, index).
    pub order: Vec<u32>,
    pub levels: Vec<Level>,
    /// IK solvers in evaluation order (by their IK bone's place in `order`).
    pub ik_solvers: Vec<IkSolver>,
}

/// Per-pose state of every bone; reused across evaluations.
#[derive(Debug, Clone)]
pub struct SkeletonState {
    /// Bone-morph inputs (reset each pose).
    pub morph_rotation: Vec<Quat>,
    pub morph_translation: Vec<Vec3>,
    /// Local rotation and translation offset after append, before IK.
    pub rotation: Vec<Quat>,
    pub translation: Vec<Vec3>,
    /// Rotation added by IK (identity for bones outside IK chains).
    pub ik_rotation: Vec<Quat>,
    pub world: Vec<Affine3A>,
    /// Bone exactly at its bind transform (world = T(rest), skin = identity).
    pub at_rest: Vec<bool>,
    pub skin: Vec<Affine3A>,
}

impl Skeleton {
    pub fn new(model: &Model) -> Skeleton {
        let count = model.bones.len();
        let parents = valid_parents(&model.bones);
        let bones: Vec<BoneNode> = (0..count)
            .map(|i| {
                let b = &model.bones[i];
                let rest = Vec3::from_array(b.position);
                let rest_rel = match parents[i] {
                    Some(p) => rest - Vec3::from_array(model.bones[p as usize].position),
                    None => rest,
                };
                BoneNode {
                    parent: parents[i],
                    rest,
                    rest_rel,
                    append: append_transform::AppendSource::new(b, i, count),
                    fixed_axis: fixed_axis(b),
                }
            })
            .collect();

        let mut order: Vec<u32> = (0..count as u32).collect();
        order.sort_by_key(|&i| {
            let b = &model.bones[i as usize];
            (b.has(bone_flags::AFTER_PHYSICS), b.layer, i)
        });

        let topo = topological_order(&parents);
        let mut ik_solvers = Vec::new();
        let mut levels: Vec<Level> = Vec::new();
        for (pos, &i) in order.iter().enumerate() {
            let b = &model.bones[i as usize];
            let key = (b.has(bone_flags::AFTER_PHYSICS), b.layer);
            match levels.last_mut() {
                Some(l) if (l.after_physics, l.layer) == key => l.bones.end = pos + 1,
                _ => levels.push(Level {
                    after_physics: key.0,
                    layer: key.1,
                    bones: pos..pos + 1,
                    iks: ik_solvers.len()..ik_solvers.len(),
                }),
            }
            if let Some(solver) = IkSolver::new(model, i as usize, &parents, &topo) {
                ik_solvers.push(solver);
                if let Some(l) = levels.last_mut() {
                    l.iks.end = ik_solvers.len();
                }
            }
        }

        Skeleton {
            bones,
            order,
            levels,
            ik_solvers,
        }
    }

    pub fn len(&self) -> usize {
        self.bones.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bones.is_empty()
    }

    /// A fresh state with every bone at rest.
    pub fn state(&self) -> SkeletonState {
        let n = self.bones.len();
        SkeletonState {
            morph_rotation: vec![Quat::IDENTITY; n],
            morph_translation: vec![Vec3::ZERO; n],
            rotation: vec![Quat::IDENTITY; n],
            translation: vec![Vec3::ZERO; n],
            ik_rotation: vec![Quat::IDENTITY; n],
            world: self
                .bones
                .iter()
                .map(|b| Affine3A::from_translation(b.rest))
                .collect(),
            at_rest: vec![true; n],
            skin: vec![Affine3A::IDENTITY; n],
        }
    }
}

/// Parent links that point inside the table and do not form a cycle. A
/// cycle (only possible in hand-built models) is cut at the bone where the
/// walk closes it.
fn valid_parents(bones: &[Bone]) -> Vec<Option<u32>> {
    let n = bones.len();
    let mut parents: Vec<Option<u32>> = bones
        .iter()
        .enumerate()
        .map(|(i, b)| {
            (b.parent >= 0 && (b.parent as usize) < n && b.parent as usize != i)
                .then_some(b.parent as u32)
        })
        .collect();
    // 0 unvisited, 1 on the current walk, 2 known to reach a root.
    let mut state = vec![0u8; n];
    let mut walk = Vec::new();
    for start in 0..n {
        walk.clear();
        let mut cur = start;
        loop {
            match state[cur] {
                2 => break,
                1 => {
                    // `cur` closes a cycle: make it a root.
                    parents[cur] = None;
                    break;
                }
                _ => {
                    state[cur] = 1;
                    walk.push(cur);
                    match parents[cur] {
                        Some(p) => cur = p as usize,
                        None => break,
                    }
                }
            }
        }
        for &b in &walk {
            state[b] = 2;
        }
    }
    parents
}

/// Bones ordered parents-first (by depth, then index). `parents` is acyclic.
pub(crate) fn topological_order(parents: &[Option<u32>]) -> Vec<u32> {
    let n = parents.len();
    let mut depth = vec![usize::MAX; n];
    let mut chain = Vec::new();
    for start in 0..n {
        chain.clear();
        let mut cur = start;
        let base = loop {
            if depth[cur] != usize::MAX {
                break depth[cur] + 1;
            }
            chain.push(cur);
            match parents[cur] {
                Some(p) => cur = p as usize,
                None => break 0,
            }
        };
        for (d, &b) in chain.iter().rev().enumerate() {
            depth[b] = base + d;
        }
    }
    let mut topo: Vec<u32> = (0..n as u32).collect();
    topo.sort_by_key(|&i| (depth[i as usize], i));
    topo
}

fn fixed_axis(b: &Bone) -> Option<Vec3> {
    if !b.has(bone_flags::FIXED_AXIS) {
        return None;
    }
    let axis = Vec3::from_array(b.fixed_axis?);
    Some(if axis.is_finite() {
        axis.normalize_or_zero()
    } else {
        Vec3::ZERO
    })
}

/// The rotation whose columns are the bone's local X, Y, Z axes (from its
/// `LOCAL_AXES` x and z, orthonormalised: y = z × x, z = x × y), or `None`
/// without local axes. A rotation `q` about those axes is `F · q · F⁻¹` in the
/// bone frame that `Poser::set_bone_rotation` takes.
pub fn local_axes_frame(bone: &Bone) -> Option<Quat> {
    if !bone.has(bone_flags::LOCAL_AXES) {
        return None;
    }
    let axes = bone.local_axes?;
    let x = Vec3::from_array(axes.x).try_normalize()?;
    let y = Vec3::from_array(axes.z).cross(x).try_normalize()?;
    let z = x.cross(y);
    Some(Quat::from_mat3(&glam::Mat3::from_cols(x, y, z)).normalize())
}

/// Spherical interpolation along the shorter arc with a full-precision
/// `acos` (glam's `slerp` uses an approximation). `t` may lie outside [0, 1].
pub fn slerp(a: Quat, b: Quat, t: f32) -> Quat {
    let mut b = b;
    let mut dot = a.dot(b);
    if dot < 0.0 {
        b = -b;
        dot = -dot;
    }
    if dot > 0.9995 {
        return (a * (1.0 - t) + b * t).normalize();
    }
    let theta = dot.min(1.0).acos();
    let sin = theta.sin();
    let wa = ((1.0 - t) * theta).sin() / sin;
    let wb = (t * theta).sin() / sin;
    (a * wa + b * wb).normalize()
}

/// `ratio` of rotation `q` (`slerp(identity, q, ratio)`), exact for the
/// identity, ratio 0 and ratio 1.
#[inline]
pub fn scale_rotation(q: Quat, ratio: f32) -> Quat {
    if q == Quat::IDENTITY || ratio == 0.0 {
        Quat::IDENTITY
    } else if ratio == 1.0 {
        q
    } else {
        slerp(Quat::IDENTITY, q, ratio)
    }
}
