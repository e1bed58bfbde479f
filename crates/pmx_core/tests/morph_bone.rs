//! Bone morphs: rotate and move bones, so their vertices follow.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Quat, Vec3};
use pmx_core::{BoneOffset, MorphKind, MorphOffsets};

fn model(rotation: Quat, translation: [f32; 3]) -> pmx_core::Poser {
    let mut b = Builder::new();
    let root = b.bone("センター", [0.0; 3], -1);
    let arm = b.bone("腕", [1.0, 0.0, 0.0], root);
    b.vertex([2.0, 0.0, 0.0], UP, bdef1(arm));
    b.vertex([-1.0, 0.0, 0.0], UP, bdef1(root));
    b.morph(
        "腕回し",
        MorphKind::Bone,
        MorphOffsets::Bone(vec![BoneOffset {
            bone: arm as i32,
            translation,
            rotation: rotation.to_array(),
        }]),
    );
    b.poser()
}

#[test]
fn a_bone_morph_rotates_its_vertices() {
    let mut p = model(rot(Vec3::Z, 90.0), [0.0; 3]);
    p.set_morph(0, 1.0).unwrap();
    let posed = p.evaluate();
    assert_close(posed.positions[0], [1.0, 1.0, 0.0], 1e-6);
    assert_close(posed.normals[0], [-1.0, 0.0, 0.0], 1e-6);
    assert_eq!(posed.positions[1], [-1.0, 0.0, 0.0]);
}

#[test]
fn half_weight_gives_half_the_rotation_and_translation() {
    let mut p = model(rot(Vec3::Z, 90.0), [0.0, 0.0, 2.0]);
    p.set_morph(0, 0.5).unwrap();
    let h = std::f32::consts::FRAC_1_SQRT_2;
    assert_close(p.evaluate().positions[0], [1.0 + h, h, 1.0], 1e-6);
}

#[test]
fn a_bone_morph_composes_with_the_user_rotation() {
    let mut p = model(rot(Vec3::Z, 90.0), [0.0; 3]);
    p.set_morph(0, 1.0).unwrap();
    p.set_bone_rotation(1, rot(Vec3::Z, 90.0)).unwrap();
    assert_close(p.evaluate().positions[0], [0.0, 0.0, 0.0], 1e-6);
}
