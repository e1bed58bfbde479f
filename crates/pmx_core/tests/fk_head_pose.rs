//! FK and the head-pose convention (DESIGN.md): R = Ry(yaw)·Rx(pitch)·Rz(roll).
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Mat4, Vec3};
use pmx_core::{bone_flags, head_rotation};

#[test]
fn yaw_turns_the_face_to_the_characters_left() {
    let v = head_rotation(90.0, 0.0, 0.0) * Vec3::new(0.0, 0.0, -1.0);
    assert_close(v.to_array(), [1.0, 0.0, 0.0], 1e-6);
}

#[test]
fn pitch_lifts_the_chin() {
    let v = head_rotation(0.0, 90.0, 0.0) * Vec3::new(0.0, 0.0, -1.0);
    assert_close(v.to_array(), [0.0, 1.0, 0.0], 1e-6);
}

#[test]
fn roll_tilts_toward_the_left_shoulder() {
    let v = head_rotation(0.0, 0.0, 90.0) * Vec3::new(0.0, 1.0, 0.0);
    assert_close(v.to_array(), [1.0, 0.0, 0.0], 1e-6);
}

#[test]
fn the_order_is_yaw_then_pitch_then_roll() {
    let q = head_rotation(30.0, 20.0, 10.0);
    let want = head_rotation(30.0, 0.0, 0.0)
        * head_rotation(0.0, 20.0, 0.0)
        * head_rotation(0.0, 0.0, 10.0);
    assert_quat_close(q, want, 1e-7);
}

/// 上半身 → 首 → 頭; a vertex in front of the face, weighted to 頭.
fn head_model() -> pmx_core::Poser {
    let mut b = Builder::new();
    let upper = b.bone("上半身", [0.0, 10.0, 0.0], -1);
    let neck = b.bone("首", [0.0, 15.0, 0.0], upper);
    let head = b.bone("頭", [0.0, 16.0, 0.0], neck);
    b.vertex([0.0, 17.0, -1.0], [0.0, 0.0, -1.0], bdef1(head));
    b.vertex([0.0, 12.0, -1.0], [0.0, 0.0, -1.0], bdef1(upper));
    b.poser()
}

#[test]
fn yaw_on_the_neck_moves_a_head_vertex_to_the_predicted_place() {
    let mut p = head_model();
    let neck = p.model().bone_index("首").unwrap();
    p.set_bone_rotation(neck, head_rotation(90.0, 0.0, 0.0))
        .unwrap();
    let posed = p.evaluate();
    // (0, 2, -1) from the neck turns to (1, 2, 0).
    assert_close(posed.positions[0], [1.0, 17.0, 0.0], 1e-5);
    assert_close(posed.normals[0], [1.0, 0.0, 0.0], 1e-6);
    // The body does not move, bit for bit.
    assert_eq!(posed.positions[1], [0.0, 12.0, -1.0]);
}

#[test]
fn pitch_and_roll_on_the_neck() {
    let mut p = head_model();
    p.set_bone_rotation(1, head_rotation(0.0, 90.0, 0.0))
        .unwrap();
    // (0, 2, -1) → pitch: y' = -z... up: (0, 1, 2)
    assert_close(p.evaluate().positions[0], [0.0, 16.0, 2.0], 1e-5);
    p.set_bone_rotation(1, head_rotation(0.0, 0.0, 90.0))
        .unwrap();
    // roll takes +Y to +X: (0, 2, -1) → (2, 0, -1)
    assert_close(p.evaluate().positions[0], [2.0, 15.0, -1.0], 1e-5);
}

#[test]
fn bone_matrices_are_world_transforms_column_major() {
    let mut p = head_model();
    p.set_bone_rotation(1, head_rotation(90.0, 0.0, 0.0))
        .unwrap();
    p.set_bone_translation(0, Vec3::new(0.0, 1.0, 0.0)).unwrap();
    let posed = p.evaluate();
    let head = Mat4::from_cols_array(&posed.bone_matrices[2]);
    assert_close(head.w_axis.truncate().to_array(), [0.0, 17.0, 0.0], 1e-5);
    let skin = Mat4::from_cols_array(&posed.skin_matrices[2]);
    let v = skin.transform_point3(Vec3::new(0.0, 17.0, -1.0));
    assert_close(v.to_array(), posed.positions[0], 1e-5);
    assert_close(posed.positions[1], [0.0, 13.0, -1.0], 1e-6);
}

#[test]
fn a_fixed_axis_keeps_only_the_turn_about_that_axis() {
    let mut b = Builder::new();
    let root = b.bone("腕", [0.0; 3], -1);
    let twist = b.bone("腕捩", [1.0, 0.0, 0.0], root);
    b.bone_mut(twist).flags |= bone_flags::FIXED_AXIS;
    b.bone_mut(twist).fixed_axis = Some([2.0, 0.0, 0.0]);
    b.vertex([1.0, 1.0, 0.0], UP, bdef1(twist));
    let mut p = b.poser();
    // 90° about Y is dropped entirely; 90° about X is kept.
    p.set_bone_rotation(twist, rot(Vec3::Y, 90.0)).unwrap();
    assert_close(p.evaluate().positions[0], [1.0, 1.0, 0.0], 1e-6);
    p.set_bone_rotation(twist, rot(Vec3::new(1.0, 0.0, 0.0), 90.0))
        .unwrap();
    assert_close(p.evaluate().positions[0], [1.0, 0.0, 1.0], 1e-6);
    // About -X: the sign follows the axis it was given about.
    p.set_bone_rotation(twist, rot(Vec3::new(-1.0, 0.0, 0.0), 90.0))
        .unwrap();
    assert_close(p.evaluate().positions[0], [1.0, 0.0, -1.0], 1e-6);
}

#[test]
fn local_axes_give_the_frame_to_express_rotations_in() {
    let mut b = Builder::new();
    let arm = b.bone("左腕", [0.0; 3], -1);
    let bone = b.bone_mut(arm);
    bone.flags |= bone_flags::LOCAL_AXES;
    bone.local_axes = Some(pmx_core::LocalAxes {
        x: [0.0, -1.0, 0.0],
        z: [0.0, 0.0, 1.0],
    });
    let f = pmx_core::skeleton::local_axes_frame(bone).unwrap();
    assert_close((f * Vec3::X).to_array(), [0.0, -1.0, 0.0], 1e-6);
    assert_close((f * Vec3::Z).to_array(), [0.0, 0.0, 1.0], 1e-6);
    let bad = b.bone("no axes", [0.0; 3], -1);
    assert!(pmx_core::skeleton::local_axes_frame(b.bone_mut(bad)).is_none());
}

#[test]
fn levels_order_bones_and_after_physics_bones_come_last() {
    let mut b = Builder::new();
    let a = b.bone("a", [0.0; 3], -1);
    let late = b.bone("late", [0.0; 3], -1);
    let early = b.bone("early", [0.0; 3], -1);
    b.bone_mut(late).layer = 2;
    b.bone_mut(a).flags |= bone_flags::AFTER_PHYSICS;
    let skel = pmx_core::skeleton::Skeleton::new(&b.model);
    assert_eq!(skel.order, vec![early as u32, late as u32, a as u32]);
    let levels: Vec<(bool, i32)> = skel
        .levels
        .iter()
        .map(|l| (l.after_physics, l.layer))
        .collect();
    assert_eq!(levels, vec![(false, 0), (false, 2), (true, 0)]);
}
