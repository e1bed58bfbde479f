//! BDEF1/2/4: linear blend skinning. The weighted sum of the bones' skin
//! matrices transforms the position; its 3×3 part transforms the normal.

use glam::{Affine3A, Mat3A, Vec3A};

use super::{BoneInputs, Outputs};

#[derive(Debug, Clone, Copy)]
pub struct Linear1 {
    pub v: u32,
    pub bone: u32,
}

#[derive(Debug, Clone, Copy)]
pub struct Linear2 {
    pub v: u32,
    pub bones: [u32; 2],
    pub weights: [f32; 2],
}

#[derive(Debug, Clone, Copy)]
pub struct Linear4 {
    pub v: u32,
    pub bones: [u32; 4],
    pub weights: [f32; 4],
}

impl Linear4 {
    /// From 3 or 4 (bone, weight) pairs; a missing fourth gets weight 0.
    pub fn new(v: u32, pairs: &[(u32, f32)]) -> Linear4 {
        let mut bones = [pairs[0].0; 4];
        let mut weights = [0.0; 4];
        for (k, &(b, w)) in pairs.iter().enumerate().take(4) {
            bones[k] = b;
            weights[k] = w;
        }
        Linear4 { v, bones, weights }
    }
}

#[inline]
fn scaled(m: &Affine3A, w: f32) -> Affine3A {
    Affine3A {
        matrix3: Mat3A::from_cols(
            m.matrix3.x_axis * w,
            m.matrix3.y_axis * w,
            m.matrix3.z_axis * w,
        ),
        translation: m.translation * w,
    }
}

#[inline]
fn add_scaled(acc: &mut Affine3A, m: &Affine3A, w: f32) {
    acc.matrix3.x_axis += m.matrix3.x_axis * w;
    acc.matrix3.y_axis += m.matrix3.y_axis * w;
    acc.matrix3.z_axis += m.matrix3.z_axis * w;
    acc.translation += m.translation * w;
}

#[inline]
fn transform(m: &Affine3A, p: [f32; 3], n: [f32; 3]) -> (Vec3A, Vec3A) {
    (
        m.transform_point3a(Vec3A::from_array(p)),
        m.matrix3 * Vec3A::from_array(n),
    )
}

pub fn skin_linear1(
    items: &[Linear1],
    bones: &BoneInputs,
    pos: &[[f32; 3]],
    nrm: &[[f32; 3]],
    out: &mut Outputs,
) {
    for it in items {
        let (p, n) = (pos[it.v as usize], nrm[it.v as usize]);
        let b = it.bone as usize;
        if bones.at_rest[b] {
            out.write(it.v, p, n);
        } else {
            let (p, n) = transform(&bones.skin[b], p, n);
            out.write_transformed(it.v, p, n);
        }
    }
}

pub fn skin_linear2(
    items: &[Linear2],
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
        } else {
            let mut m = scaled(&bones.skin[b0], it.weights[0]);
            add_scaled(&mut m, &bones.skin[b1], it.weights[1]);
            let (p, n) = transform(&m, p, n);
            out.write_transformed(it.v, p, n);
        }
    }
}

pub fn skin_linear4(
    items: &[Linear4],
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
        } else {
            let mut m = scaled(&bones.skin[b[0]], it.weights[0]);
            for (&bk, &wk) in b.iter().zip(&it.weights).skip(1) {
                add_scaled(&mut m, &bones.skin[bk], wk);
            }
            let (p, n) = transform(&m, p, n);
            out.write_transformed(it.v, p, n);
        }
    }
}
