//! QDEF: dual-quaternion blend skinning (PMX 2.1).
//!
//! Each skin matrix is a unit dual quaternion `(r, d)` with `d = ½·t·r`
//! (`t` the translation as a pure quaternion). The weighted sum, with each
//! rotation's sign aligned to the first bone's (shortest path), is divided by
//! the norm of its real part; the position is `r·p·r⁻¹ + 2·(r.w·d.xyz −
//! d.w·r.xyz + r.xyz × d.xyz)` and the normal `r·n`. For a single bone this is
//! that bone's rigid transform, so it equals BDEF.

use glam::{Quat, Vec3, Vec3A};

use super::{BoneInputs, Outputs};

#[derive(Debug, Clone, Copy)]
pub struct Qdef {
    pub v: u32,
    pub bones: [u32; 4],
    pub weights: [f32; 4],
}

impl Qdef {
    /// From 2 to 4 (bone, weight) pairs; missing ones get weight 0.
    pub fn new(v: u32, pairs: &[(u32, f32)]) -> Qdef {
        let mut bones = [pairs[0].0; 4];
        let mut weights = [0.0; 4];
        for (k, &(b, w)) in pairs.iter().enumerate().take(4) {
            bones[k] = b;
            weights[k] = w;
        }
        Qdef { v, bones, weights }
    }
}

/// The dual part `½·t·r` of the rigid transform (rotation `r`, translation `t`).
pub fn dual_part(r: Quat, t: Vec3) -> Quat {
    Quat::from_xyzw(t.x, t.y, t.z, 0.0) * r * 0.5
}

pub fn skin(
    items: &[Qdef],
    bones: &BoneInputs,
    pos: &[[f32; 3]],
    nrm: &[[f32; 3]],
    out: &mut Outputs,
) {
    for it in items {
        let (p, n) = (pos[it.v as usize], nrm[it.v as usize]);
        let b = it.bones.map(|b| b as usize);
        if b.iter().all(|&b| bones.at_rest[b]) {
            out.write(it.v, p, n);
            continue;
        }
        let pivot = bones.rotation[b[0]];
        let mut real = Quat::from_xyzw(0.0, 0.0, 0.0, 0.0);
        let mut dual = Quat::from_xyzw(0.0, 0.0, 0.0, 0.0);
        for (&bk, &wk) in b.iter().zip(&it.weights) {
            if wk == 0.0 {
                continue;
            }
            let r = bones.rotation[bk];
            let w = if r.dot(pivot) < 0.0 { -wk } else { wk };
            real += r * w;
            dual += bones.dual[bk] * w;
        }
        let len = real.length();
        if len == 0.0 {
            out.write(it.v, p, n);
            continue;
        }
        let (real, dual) = (real * (1.0 / len), dual * (1.0 / len));
        let rv = Vec3A::new(real.x, real.y, real.z);
        let dv = Vec3A::new(dual.x, dual.y, dual.z);
        let t = (dv * real.w - rv * dual.w + rv.cross(dv)) * 2.0;
        let p = real * Vec3A::from_array(p) + t;
        let n = real * Vec3A::from_array(n);
        out.write_transformed(it.v, p, n);
    }
}
