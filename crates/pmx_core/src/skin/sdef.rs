//! SDEF (spherical deform), in the formulation of saba and babylon-mmd:
//!
//! At load, R0 and R1 are corrected so that their weighted mean is C
//! (`rw = w0·R0 + w1·R1`, `R0' = C + R0 − rw`, `R1' = C + R1 − rw`), and
//! the two anchor points `CR0 = (C + R0') / 2`, `CR1 = (C + R1') / 2` are kept.
//! Per pose, with `q = slerp(q0, q1, w1)` the blended bone rotation:
//!
//! `p' = q · (p − C) + w0 · (M0 · CR0) + w1 · (M1 · CR1)`, `n' = q · n`.
//!
//! The vertex turns about the blended centre instead of averaging two
//! transformed points, so a twist keeps its distance from the axis where
//! BDEF2 collapses ("candy wrapper"). When both bones carry the same skin
//! matrix it reduces exactly (in exact arithmetic) to BDEF2, because
//! `w0·CR0 + w1·CR1 = C`.

use glam::{Mat3A, Vec3, Vec3A};

use super::{BoneInputs, Outputs};
use crate::skeleton::slerp;

#[derive(Debug, Clone, Copy)]
pub struct Sdef {
    pub v: u32,
    pub bones: [u32; 2],
    pub weights: [f32; 2],
    pub c: Vec3A,
    pub cr0: Vec3A,
    pub cr1: Vec3A,
}

impl Sdef {
    pub fn new(v: u32, bones: [u32; 2], weights: [f32; 2], c: Vec3, r0: Vec3, r1: Vec3) -> Sdef {
        let [w0, w1] = weights;
        let rw = r0 * w0 + r1 * w1;
        let r0 = c + r0 - rw;
        let r1 = c + r1 - rw;
        Sdef {
            v,
            bones,
            weights,
            c: c.into(),
            cr0: ((c + r0) * 0.5).into(),
            cr1: ((c + r1) * 0.5).into(),
        }
    }
}

pub fn skin(
    items: &[Sdef],
    bones: &BoneInputs,
    pos: &[[f32; 3]],
    nrm: &[[f32; 3]],
    out: &mut Outputs,
) {
    for it in items {
        let (p, n) = (pos[it.v as usize], nrm[it.v as usize]);
        let [b0, b1] = [it.bones[0] as usize, it.bones[1] as usize];
        if bones.at_rest[b0] && bones.at_rest[b1] {
            out.write(it.v, p, n);
            continue;
        }
        let [w0, w1] = it.weights;
        let q = slerp(bones.rotation[b0], bones.rotation[b1], w1);
        let r = Mat3A::from_quat(q);
        let p = r * (Vec3A::from_array(p) - it.c)
            + bones.skin[b0].transform_point3a(it.cr0) * w0
            + bones.skin[b1].transform_point3a(it.cr1) * w1;
        let n = r * Vec3A::from_array(n);
        out.write_transformed(it.v, p, n);
    }
}
