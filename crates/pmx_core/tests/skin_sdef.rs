//! SDEF: equals BDEF2 when both bones move together; keeps volume in a twist.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Quat, Vec3};
use pmx_core::{Deform, Poser};

/// 腕 (origin) → ひじ (1, 0, 0) along X. Vertex 0 is SDEF, vertex 1 the same
/// point as BDEF2, both half on each bone, half a unit off the axis.
fn arm() -> Poser {
    let mut b = Builder::new();
    let upper = b.bone("腕", [0.0; 3], -1);
    let lower = b.bone("ひじ", [1.0, 0.0, 0.0], upper);
    let sdef = Deform::Sdef {
        bones: [upper as i32, lower as i32],
        weight: 0.5,
        c: [1.0, 0.0, 0.0],
        r0: [0.5, 0.0, 0.0],
        r1: [1.5, 0.0, 0.0],
    };
    b.vertex([1.0, 0.5, 0.0], UP, sdef);
    b.vertex([1.0, 0.5, 0.0], UP, bdef2(upper, lower, 0.5));
    b.poser()
}

fn distance_from_x_axis(p: [f32; 3]) -> f32 {
    (p[1] * p[1] + p[2] * p[2]).sqrt()
}

#[test]
fn sdef_equals_bdef2_when_both_bones_turn_together() {
    let mut p = arm();
    let turns = [
        rot(Vec3::Z, 60.0),
        rot(Vec3::new(1.0, 2.0, -0.5), 130.0),
        rot(Vec3::X, 170.0) * rot(Vec3::Y, 30.0),
    ];
    for q in turns {
        p.set_bone_rotation(0, q).unwrap();
        p.set_bone_translation(0, Vec3::new(0.5, -2.0, 3.0))
            .unwrap();
        let posed = p.evaluate();
        assert_close(posed.positions[0], posed.positions[1], 1e-5);
        assert_close(posed.normals[0], posed.normals[1], 1e-5);
    }
}

#[test]
fn sdef_keeps_its_distance_from_the_axis_where_bdef2_collapses() {
    let mut p = arm();
    for deg in [90.0, 150.0, 180.0] {
        p.set_bone_rotation(1, rot(Vec3::X, deg)).unwrap();
        let posed = p.evaluate();
        let sdef = distance_from_x_axis(posed.positions[0]);
        let bdef = distance_from_x_axis(posed.positions[1]);
        assert!(
            (sdef - 0.5).abs() < 1e-5,
            "{deg}°: SDEF at {sdef} from the axis"
        );
        assert!(
            bdef < 0.5 * (deg / 2.0f32).to_radians().cos() + 1e-5,
            "{deg}°: BDEF2 at {bdef}"
        );
        assert!((posed.positions[0][0] - 1.0).abs() < 1e-5);
    }
    // Half the twist: the SDEF vertex turns by 75° for a 150° twist.
    p.set_bone_rotation(1, rot(Vec3::X, 150.0)).unwrap();
    let want = rot(Vec3::X, 75.0) * Vec3::new(0.0, 0.5, 0.0);
    assert_close(p.evaluate().positions[0], [1.0, want.y, want.z], 1e-5);
}

#[test]
fn sdef_normals_turn_with_the_blended_rotation() {
    let mut p = arm();
    p.set_bone_rotation(1, rot(Vec3::X, 90.0)).unwrap();
    let n = Vec3::from(p.evaluate().normals[0]);
    let want = rot(Vec3::X, 45.0) * Vec3::Y;
    assert!((n.length() - 1.0).abs() < 1e-6);
    assert_close(n.to_array(), want.to_array(), 1e-5);
    p.set_bone_rotation(1, Quat::IDENTITY).unwrap();
    assert_eq!(p.evaluate().normals[0], UP);
}
