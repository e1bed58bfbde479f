//! IK: CCD in MMD's manner, with knee-style limits.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Mat4, Quat, Vec3};
use pmx_core::{AngleLimits, IkLink, Posed, Poser};

const HIP: usize = 0;
const KNEE: usize = 1;
const ANKLE: usize = 2;
const IK: usize = 3;
const KNEE_D: usize = 4;

/// 足 (0,10,0) → ひざ (0,5,0) → 足首 (0,0,0); 足ＩＫ at the ankle; ひざ may
/// only turn about X within [-180°, -0.5°] (the shin swings back, +Z).
/// ひざD (level 1) copies the knee's rotation by append.
fn leg() -> Builder {
    let mut b = Builder::new();
    let hip = b.bone("左足", [0.0, 10.0, 0.0], -1);
    let knee = b.bone("左ひざ", [0.0, 5.0, 0.0], hip);
    let ankle = b.bone("左足首", [0.0, 0.0, 0.0], knee);
    let ik = b.bone("左足ＩＫ", [0.0, 0.0, 0.0], -1);
    let knee_d = b.bone("左ひざD", [0.0, 5.0, 0.0], hip);
    b.append(knee_d, knee, 1.0, true, false, false);
    b.bone_mut(knee_d).layer = 1;
    b.ik(
        ik,
        ankle,
        40,
        2.0,
        vec![
            IkLink {
                bone: knee as i32,
                limits: Some(AngleLimits {
                    min: [-std::f32::consts::PI, 0.0, 0.0],
                    max: [-0.5f32.to_radians(), 0.0, 0.0],
                }),
            },
            IkLink {
                bone: hip as i32,
                limits: None,
            },
        ],
    );
    b.vertex([0.0, 0.0, -1.0], UP, bdef1(ankle));
    assert_eq!(
        [hip, knee, ankle, ik, knee_d],
        [HIP, KNEE, ANKLE, IK, KNEE_D]
    );
    b
}

fn matrix(posed: &Posed, bone: usize) -> Mat4 {
    Mat4::from_cols_array(&posed.bone_matrices[bone])
}

fn position(posed: &Posed, bone: usize) -> Vec3 {
    matrix(posed, bone).w_axis.truncate()
}

fn rotation(posed: &Posed, bone: usize) -> Quat {
    matrix(posed, bone).to_scale_rotation_translation().1
}

/// The knee's local rotation as a signed angle about X (radians), checking
/// it has no other component.
fn knee_angle(posed: &Posed) -> f32 {
    let local = rotation(posed, HIP).inverse() * rotation(posed, KNEE);
    let (axis, angle) = local.to_axis_angle();
    assert!(
        axis.y.abs() < 1e-3 && axis.z.abs() < 1e-3,
        "knee turned about {axis:?}"
    );
    angle * axis.x.signum()
}

fn solve(target: Vec3) -> Poser {
    let mut p = leg().poser();
    p.set_bone_translation(IK, target).unwrap();
    p.evaluate();
    p
}

#[test]
fn moving_the_ik_bone_pulls_the_effector_onto_it() {
    for target in [
        Vec3::new(0.0, 2.0, -1.0),
        Vec3::new(0.0, 4.0, -3.0),
        Vec3::new(1.0, 3.0, 0.5),
        Vec3::new(-2.0, 1.0, -2.0),
    ] {
        let mut p = solve(target);
        let posed = p.evaluate();
        let ankle = position(posed, ANKLE);
        assert!(
            ankle.distance(target) < 1e-3,
            "target {target}: ankle at {ankle}"
        );
        // The ankle's vertex comes along (it is one unit in front of the ankle).
        let v = Vec3::from(posed.positions[0]);
        assert!((v.distance(ankle) - 1.0).abs() < 1e-4);
    }
}

#[test]
fn a_knee_limited_link_never_bends_the_wrong_way() {
    let min = -std::f32::consts::PI;
    let max = -0.5f32.to_radians();
    for target in [
        Vec3::new(0.0, 2.0, -1.0),
        Vec3::new(0.0, 2.0, 1.0),
        Vec3::new(0.0, 3.0, 4.0),
        Vec3::new(0.0, 0.5, 0.0),
        Vec3::new(0.0, 6.0, 0.0),
        Vec3::new(3.0, 5.0, -3.0),
        Vec3::new(0.0, -3.0, 0.0),
    ] {
        let mut p = solve(target);
        let angle = knee_angle(p.evaluate());
        assert!(
            (min - 1e-4..=max + 1e-4).contains(&angle),
            "target {target}: knee at {}°",
            angle.to_degrees()
        );
    }
}

#[test]
fn a_bent_knee_points_forward() {
    // Ankle pulled straight up: the knee must come forward (-Z), the shin back.
    let mut p = solve(Vec3::new(0.0, 4.0, 0.0));
    let posed = p.evaluate();
    assert!(
        position(posed, KNEE).z < -1.0,
        "knee at {}",
        position(posed, KNEE)
    );
    assert!(position(posed, ANKLE).distance(Vec3::new(0.0, 4.0, 0.0)) < 1e-3);
}

#[test]
fn an_unreachable_target_stretches_the_leg_toward_it() {
    let mut p = solve(Vec3::new(0.0, -5.0, 0.0));
    let posed = p.evaluate();
    let ankle = position(posed, ANKLE);
    assert!(ankle.is_finite());
    assert!(ankle.distance(Vec3::ZERO) < 0.05, "ankle at {ankle}");
}

#[test]
fn later_levels_see_the_solved_chain() {
    let mut p = solve(Vec3::new(0.0, 3.0, -2.0));
    let posed = p.evaluate();
    assert_quat_close(rotation(posed, KNEE_D), rotation(posed, KNEE), 1e-6);
    assert!(knee_angle(posed) < -0.1);
}

#[test]
fn the_ik_bone_at_rest_leaves_the_leg_at_rest() {
    let mut p = leg().poser();
    let bind = bind(&p);
    let posed = p.evaluate();
    assert_eq!(posed.positions, bind);
    assert_eq!(rotation(posed, KNEE), Quat::IDENTITY);
}

#[test]
fn a_link_with_all_zero_limits_never_moves() {
    let mut b = leg();
    let ik = b.model.bones[IK].ik.as_mut().unwrap();
    ik.links[0].limits = Some(AngleLimits {
        min: [0.0; 3],
        max: [0.0; 3],
    });
    let mut p = b.poser();
    p.set_bone_translation(IK, Vec3::new(0.0, 3.0, -2.0))
        .unwrap();
    let posed = p.evaluate();
    let local = rotation(posed, HIP).inverse() * rotation(posed, KNEE);
    assert_quat_close(local, Quat::IDENTITY, 1e-7);
}
