//! The zero pose reproduces the bind pose exactly, bit for bit.
#[path = "poser_support/mod.rs"]
mod common;

use common::rich::rich_model;
use pmx_core::glam::{Mat4, Vec3};
use pmx_core::head_rotation;

fn bits(v: &[[f32; 3]]) -> Vec<[u32; 3]> {
    v.iter().map(|p| p.map(f32::to_bits)).collect()
}

#[test]
fn a_fresh_poser_gives_the_bind_pose() {
    let mut p = rich_model().poser();
    let model = p.model().clone();
    let posed = p.evaluate();
    assert_eq!(bits(&posed.positions), bits(&model.vertices.positions));
    assert_eq!(bits(&posed.normals), bits(&model.vertices.normals));
    for (i, bone) in model.bones.iter().enumerate() {
        let want = Mat4::from_translation(Vec3::from(bone.position)).to_cols_array();
        assert_eq!(posed.bone_matrices[i], want, "bone {i}");
        assert_eq!(
            posed.skin_matrices[i],
            Mat4::IDENTITY.to_cols_array(),
            "bone {i}"
        );
    }
}

#[test]
fn reset_after_a_pose_gives_the_bind_pose_again() {
    let mut p = rich_model().poser();
    let model = p.model().clone();
    for k in 0..model.morphs.len() {
        p.set_morph(k, 0.8).unwrap();
    }
    p.set_bone_rotation(2, head_rotation(15.0, -10.0, 5.0))
        .unwrap();
    p.set_bone_translation(8, Vec3::new(0.0, 3.0, -2.0))
        .unwrap();
    let moved = p.evaluate().positions.clone();
    assert_ne!(moved, model.vertices.positions);
    p.reset();
    let posed = p.evaluate();
    assert_eq!(bits(&posed.positions), bits(&model.vertices.positions));
    assert_eq!(bits(&posed.normals), bits(&model.vertices.normals));
    // Zero weights and identity rotations set explicitly are the zero pose too.
    p.set_morph(0, 0.0).unwrap();
    p.set_bone_rotation(2, head_rotation(0.0, 0.0, 0.0))
        .unwrap();
    assert_eq!(
        bits(&p.evaluate().positions),
        bits(&model.vertices.positions)
    );
}
