//! QDEF: dual-quaternion blending.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::Vec3;
use pmx_core::{Deform, Poser};

fn qdef(bones: [i32; 4], weights: [f32; 4]) -> Deform {
    Deform::Qdef { bones, weights }
}

fn bdef4(bones: [i32; 4], weights: [f32; 4]) -> Deform {
    Deform::Bdef4 { bones, weights }
}

/// root (origin) → child (1, 0, 0). Vertices in pairs: QDEF, then the same as BDEF4.
fn model() -> Poser {
    let mut b = Builder::new();
    b.bone("root", [0.0; 3], -1);
    b.bone("child", [1.0, 0.0, 0.0], 0);
    let p = [1.0, 0.5, 0.25];
    // One bone.
    b.vertex(p, UP, qdef([1, -1, -1, -1], [1.0, 0.0, 0.0, 0.0]));
    b.vertex(p, UP, bdef4([1, -1, -1, -1], [1.0, 0.0, 0.0, 0.0]));
    // Two bones, weights 0.7/0.3.
    b.vertex(p, UP, qdef([0, 1, -1, -1], [0.7, 0.3, 0.0, 0.0]));
    b.vertex(p, UP, bdef4([0, 1, -1, -1], [0.7, 0.3, 0.0, 0.0]));
    // Twist test: half on each bone, on the axis's circle of radius 0.5.
    b.vertex(
        [1.0, 0.5, 0.0],
        UP,
        qdef([0, 1, -1, -1], [0.5, 0.5, 0.0, 0.0]),
    );
    b.poser()
}

#[test]
fn qdef_equals_bdef4_for_a_single_bone() {
    let mut p = model();
    p.set_bone_rotation(1, rot(Vec3::new(1.0, -1.0, 2.0), 70.0))
        .unwrap();
    p.set_bone_translation(1, Vec3::new(0.0, 2.0, -1.0))
        .unwrap();
    p.set_bone_rotation(0, rot(Vec3::Y, 25.0)).unwrap();
    let posed = p.evaluate();
    assert_close(posed.positions[0], posed.positions[1], 1e-5);
    assert_close(posed.normals[0], posed.normals[1], 1e-5);
}

#[test]
fn qdef_equals_bdef4_when_the_bones_move_together() {
    let mut p = model();
    p.set_bone_rotation(0, rot(Vec3::new(0.3, 1.0, -2.0), 120.0))
        .unwrap();
    p.set_bone_translation(0, Vec3::new(3.0, -1.0, 0.5))
        .unwrap();
    let posed = p.evaluate();
    assert_close(posed.positions[2], posed.positions[3], 1e-5);
    assert_close(posed.normals[2], posed.normals[3], 1e-5);
}

#[test]
fn qdef_keeps_volume_in_a_twist() {
    let mut p = model();
    p.set_bone_rotation(1, rot(Vec3::X, 150.0)).unwrap();
    let v = p.evaluate().positions[4];
    let r = (v[1] * v[1] + v[2] * v[2]).sqrt();
    assert!((r - 0.5).abs() < 1e-5, "QDEF vertex {r} from the axis");
    assert!((v[0] - 1.0).abs() < 1e-5);
}
