//! Skinning: posed vertices from morphed bind positions and skin matrices.
//!
//! Each vertex's deform is flattened once into a list per kind (linear blend
//! with 1, 2 or 4 bones, SDEF, QDEF). Bone indices of -1 or outside the
//! table are ignored and their weight dropped; the weights that remain are
//! renormalised when they no longer sum to 1 (within 1e-6), equal bones are
//! merged, and a vertex left without a bone stays where the morphs put it.
//!
//! A vertex whose bones are all at rest (skin matrix exactly the identity)
//! is copied, not transformed: the zero pose reproduces the bind pose bit for
//! bit, and unmoved parts of the body cost one copy. Transformed normals use
//! the rotation part and are renormalised; copied normals are as stored.

pub mod bdef;
pub mod qdef;
pub mod sdef;

use glam::{Affine3A, Quat, Vec3, Vec3A};

use crate::model::{Deform, Model};

/// Deform data of one model, grouped by kind.
#[derive(Debug, Clone, Default)]
pub struct Skin {
    pub(crate) linear1: Vec<bdef::Linear1>,
    pub(crate) linear2: Vec<bdef::Linear2>,
    pub(crate) linear4: Vec<bdef::Linear4>,
    pub(crate) sdef: Vec<sdef::Sdef>,
    pub(crate) qdef: Vec<qdef::Qdef>,
    /// Vertices with no usable bone.
    pub(crate) unbound: Vec<u32>,
}

/// Per-pose bone data the kernels read.
pub struct BoneInputs<'a> {
    pub skin: &'a [Affine3A],
    pub at_rest: &'a [bool],
    /// Rotation of each skin matrix (filled only when SDEF/QDEF need it).
    pub rotation: &'a [Quat],
    /// Dual part of each skin matrix as a dual quaternion (QDEF only).
    pub dual: &'a [Quat],
}

/// Where the kernels write: flat `x, y, z` per vertex.
pub struct Outputs<'a> {
    pub positions: &'a mut [f32],
    pub normals: &'a mut [f32],
}

impl Outputs<'_> {
    #[inline]
    pub(crate) fn write(&mut self, v: u32, p: [f32; 3], n: [f32; 3]) {
        let i = v as usize * 3;
        self.positions[i..i + 3].copy_from_slice(&p);
        self.normals[i..i + 3].copy_from_slice(&n);
    }

    #[inline]
    pub(crate) fn write_transformed(&mut self, v: u32, p: Vec3A, n: Vec3A) {
        let n = n.normalize_or_zero();
        self.write(v, p.to_array(), n.to_array());
    }
}

impl Skin {
    pub fn new(model: &Model) -> Skin {
        let bone_count = model.bones.len();
        let mut skin = Skin::default();
        let vertex_count = model.vertices.len();
        for (v, deform) in model.vertices.deforms.iter().enumerate().take(vertex_count) {
            let v = v as u32;
            let (bones, weights, n): ([i32; 4], [f32; 4], usize) = match *deform {
                Deform::Bdef1 { bone } => ([bone, -1, -1, -1], [1.0, 0.0, 0.0, 0.0], 1),
                Deform::Bdef2 { bones, weight } | Deform::Sdef { bones, weight, .. } => (
                    [bones[0], bones[1], -1, -1],
                    [weight, 1.0 - weight, 0.0, 0.0],
                    2,
                ),
                Deform::Bdef4 { bones, weights } | Deform::Qdef { bones, weights } => {
                    (bones, weights, 4)
                }
            };
            // Valid, non-zero, merged.
            let mut pairs: [(u32, f32); 4] = [(0, 0.0); 4];
            let mut count = 0;
            for k in 0..n {
                let (b, w) = (bones[k], weights[k]);
                if b < 0 || b as usize >= bone_count || w == 0.0 || !w.is_finite() {
                    continue;
                }
                match pairs[..count].iter_mut().find(|p| p.0 == b as u32) {
                    Some(p) => p.1 += w,
                    None => {
                        pairs[count] = (b as u32, w);
                        count += 1;
                    }
                }
            }
            let sum: f32 = pairs[..count].iter().map(|p| p.1).sum();
            if count == 0 || sum == 0.0 {
                skin.unbound.push(v);
                continue;
            }
            if (sum - 1.0).abs() > 1e-6 {
                for p in &mut pairs[..count] {
                    p.1 /= sum;
                }
            }
            let pairs = &pairs[..count];
            match (*deform, count) {
                (_, 1) => skin.linear1.push(bdef::Linear1 {
                    v,
                    bone: pairs[0].0,
                }),
                (
                    Deform::Sdef {
                        bones, c, r0, r1, ..
                    },
                    2,
                ) => {
                    // Keep the stored bone order so C/R0/R1 stay with their bones.
                    let (w0, w1) = if pairs[0].0 == bones[0] as u32 {
                        (pairs[0].1, pairs[1].1)
                    } else {
                        (pairs[1].1, pairs[0].1)
                    };
                    skin.sdef.push(sdef::Sdef::new(
                        v,
                        [bones[0] as u32, bones[1] as u32],
                        [w0, w1],
                        Vec3::from_array(c),
                        Vec3::from_array(r0),
                        Vec3::from_array(r1),
                    ));
                }
                (Deform::Qdef { .. }, _) => skin.qdef.push(qdef::Qdef::new(v, pairs)),
                (_, 2) => skin.linear2.push(bdef::Linear2 {
                    v,
                    bones: [pairs[0].0, pairs[1].0],
                    weights: [pairs[0].1, pairs[1].1],
                }),
                _ => skin.linear4.push(bdef::Linear4::new(v, pairs)),
            }
        }
        skin
    }

    /// Whether any vertex needs the skin matrices' rotations as quaternions.
    pub fn needs_rotations(&self) -> bool {
        !self.sdef.is_empty() || !self.qdef.is_empty()
    }

    pub fn needs_duals(&self) -> bool {
        !self.qdef.is_empty()
    }

    /// Skins every vertex: `positions` are the morphed bind positions,
    /// `normals` the bind normals.
    pub fn apply(
        &self,
        bones: &BoneInputs,
        positions: &[[f32; 3]],
        normals: &[[f32; 3]],
        out: &mut Outputs,
    ) {
        if bones.at_rest.iter().all(|&r| r) {
            // Nothing moved: every vertex is a copy.
            out.positions.copy_from_slice(positions.as_flattened());
            out.normals.copy_from_slice(normals.as_flattened());
            return;
        }
        for &v in &self.unbound {
            out.write(v, positions[v as usize], normals[v as usize]);
        }
        bdef::skin_linear1(&self.linear1, bones, positions, normals, out);
        bdef::skin_linear2(&self.linear2, bones, positions, normals, out);
        bdef::skin_linear4(&self.linear4, bones, positions, normals, out);
        sdef::skin(&self.sdef, bones, positions, normals, out);
        qdef::skin(&self.qdef, bones, positions, normals, out);
    }
}

/// Rotation and dual quaternion parts of skin matrices, for SDEF and QDEF.
pub fn rotations_and_duals(
    skin: &[Affine3A],
    at_rest: &[bool],
    rotation: &mut [Quat],
    dual: Option<&mut [Quat]>,
) {
    for (b, m) in skin.iter().enumerate() {
        rotation[b] = if at_rest[b] {
            Quat::IDENTITY
        } else {
            Quat::from_mat3a(&m.matrix3).normalize()
        };
    }
    if let Some(dual) = dual {
        for (b, m) in skin.iter().enumerate() {
            dual[b] = qdef::dual_part(rotation[b], Vec3::from(m.translation));
        }
    }
}
