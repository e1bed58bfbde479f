//! Append (付与) transforms: ratio, chains, local append, bone-morph input.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Mat4, Quat, Vec3};
use pmx_core::{BoneOffset, MorphKind, MorphOffsets, Posed};

fn world_rotation(posed: &Posed, bone: usize) -> Quat {
    Mat4::from_cols_array(&posed.bone_matrices[bone])
        .to_scale_rotation_translation()
        .1
}

fn world_position(posed: &Posed, bone: usize) -> [f32; 3] {
    Mat4::from_cols_array(&posed.bone_matrices[bone])
        .w_axis
        .truncate()
        .to_array()
}

/// root; a, b, c its children; b takes 0.5 of a, c takes 0.5 of b.
fn chain() -> Builder {
    let mut b = Builder::new();
    let root = b.bone("root", [0.0; 3], -1);
    let a = b.bone("a", [0.0, 1.0, 0.0], root);
    let bb = b.bone("b", [0.0, 2.0, 0.0], root);
    let c = b.bone("c", [0.0, 3.0, 0.0], root);
    b.append(bb, a, 0.5, true, true, false);
    b.append(c, bb, 0.5, true, false, false);
    b.vertex([1.0, 2.0, 0.0], UP, bdef1(bb));
    b
}

#[test]
fn half_ratio_gives_half_the_rotation() {
    let mut p = chain().poser();
    p.set_bone_rotation(1, rot(Vec3::Y, 90.0)).unwrap();
    let posed = p.evaluate();
    assert_quat_close(world_rotation(posed, 2), rot(Vec3::Y, 45.0), 1e-6);
    let h = std::f32::consts::FRAC_1_SQRT_2;
    assert_close(posed.positions[0], [h, 2.0, -h], 1e-6);
}

#[test]
fn appends_chain() {
    let mut p = chain().poser();
    p.set_bone_rotation(1, rot(Vec3::Y, 90.0)).unwrap();
    assert_quat_close(world_rotation(p.evaluate(), 3), rot(Vec3::Y, 22.5), 1e-6);
}

#[test]
fn the_bones_own_rotation_comes_first() {
    let mut p = chain().poser();
    p.set_bone_rotation(1, rot(Vec3::Y, 90.0)).unwrap();
    p.set_bone_rotation(2, rot(Vec3::Y, 10.0)).unwrap();
    let posed = p.evaluate();
    assert_quat_close(world_rotation(posed, 2), rot(Vec3::Y, 55.0), 1e-6);
    // c takes half of b's whole local rotation: 27.5°.
    assert_quat_close(world_rotation(posed, 3), rot(Vec3::Y, 27.5), 1e-6);
}

#[test]
fn translation_appends_with_the_ratio() {
    let mut p = chain().poser();
    p.set_bone_translation(1, Vec3::new(2.0, 0.0, 0.0)).unwrap();
    let posed = p.evaluate();
    assert_close(world_position(posed, 2), [1.0, 2.0, 0.0], 1e-6);
    // c appends rotation only.
    assert_close(world_position(posed, 3), [0.0, 3.0, 0.0], 0.0);
}

#[test]
fn negative_ratio_turns_the_other_way() {
    let mut b = chain();
    b.model.bones[2].append.as_mut().unwrap().ratio = -1.0;
    let mut p = b.poser();
    p.set_bone_rotation(1, rot(Vec3::X, 30.0)).unwrap();
    assert_quat_close(world_rotation(p.evaluate(), 2), rot(Vec3::X, -30.0), 1e-6);
}

#[test]
fn local_append_takes_the_world_rotation_of_the_source() {
    let mut b = Builder::new();
    let root = b.bone("root", [0.0; 3], -1);
    let parent = b.bone("parent", [0.0, 1.0, 0.0], root);
    let src = b.bone("src", [0.0, 2.0, 0.0], parent);
    let local = b.bone("local", [1.0, 0.0, 0.0], root);
    let plain = b.bone("plain", [2.0, 0.0, 0.0], root);
    b.append(local, src, 1.0, true, true, true);
    b.append(plain, src, 1.0, true, true, false);
    let mut p = b.poser();
    p.set_bone_rotation(parent, rot(Vec3::Y, 90.0)).unwrap();
    p.set_bone_translation(parent, Vec3::new(0.0, 0.0, 3.0))
        .unwrap();
    let posed = p.evaluate();
    // src has no rotation or translation of its own, but moved with its parent.
    assert_quat_close(world_rotation(posed, local), rot(Vec3::Y, 90.0), 1e-6);
    assert_close(world_position(posed, local), [1.0, 0.0, 3.0], 1e-6);
    assert_quat_close(world_rotation(posed, plain), Quat::IDENTITY, 0.0);
    assert_close(world_position(posed, plain), [2.0, 0.0, 0.0], 0.0);
}

#[test]
fn bone_morphs_feed_appends() {
    let mut b = chain();
    b.morph(
        "morph a",
        MorphKind::Bone,
        MorphOffsets::Bone(vec![BoneOffset {
            bone: 1,
            translation: [0.0; 3],
            rotation: rot(Vec3::Y, 90.0).to_array(),
        }]),
    );
    let mut p = b.poser();
    p.set_morph(0, 1.0).unwrap();
    assert_quat_close(world_rotation(p.evaluate(), 2), rot(Vec3::Y, 45.0), 1e-6);
}

#[test]
fn an_invalid_append_source_is_ignored() {
    let mut b = chain();
    b.model.bones[2].append.as_mut().unwrap().parent = 42;
    b.model.bones[3].append.as_mut().unwrap().parent = 3; // itself
    let mut p = b.poser();
    p.set_bone_rotation(1, rot(Vec3::Y, 90.0)).unwrap();
    let posed = p.evaluate();
    assert_quat_close(world_rotation(posed, 2), Quat::IDENTITY, 0.0);
    assert_quat_close(world_rotation(posed, 3), Quat::IDENTITY, 0.0);
}
