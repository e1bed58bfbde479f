//! BDEF1/2/4 linear blending, bad bone indices, normal renormalisation.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::Vec3;
use pmx_core::Deform;

fn two_bones() -> Builder {
    let mut b = Builder::new();
    b.bone("a", [0.0; 3], -1);
    b.bone("b", [0.0; 3], -1);
    b
}

#[test]
fn bdef2_blends_by_weight() {
    let mut b = two_bones();
    b.vertex([1.0, 2.0, 3.0], UP, bdef2(0, 1, 0.25));
    let mut p = b.poser();
    p.set_bone_translation(1, Vec3::new(4.0, 0.0, 0.0)).unwrap();
    assert_close(p.evaluate().positions[0], [4.0, 2.0, 3.0], 1e-6);
}

#[test]
fn bdef4_blends_by_weight() {
    let mut b = two_bones();
    b.bone("c", [0.0; 3], -1);
    b.bone("d", [0.0; 3], -1);
    b.vertex(
        [0.0; 3],
        UP,
        Deform::Bdef4 {
            bones: [0, 1, 2, 3],
            weights: [0.1, 0.2, 0.3, 0.4],
        },
    );
    let mut p = b.poser();
    for k in 0..4 {
        p.set_bone_translation(k, Vec3::new(10.0 * (k + 1) as f32, 0.0, 0.0))
            .unwrap();
    }
    // 1 + 4 + 9 + 16
    assert_close(p.evaluate().positions[0], [30.0, 0.0, 0.0], 1e-5);
}

#[test]
fn invalid_bones_are_dropped_and_the_rest_renormalised() {
    let mut b = two_bones();
    b.vertex([0.0; 3], UP, bdef2(1, usize::MAX, 0.5)); // -1 as i32
    b.vertex(
        [0.0; 3],
        UP,
        Deform::Bdef4 {
            bones: [1, 99, -7, 1],
            weights: [0.25, 0.5, 0.2, 0.05],
        },
    );
    b.vertex([5.0; 3], UP, Deform::Bdef1 { bone: 42 });
    let mut p = b.poser();
    p.set_bone_translation(1, Vec3::new(2.0, 0.0, 0.0)).unwrap();
    p.set_bone_translation(0, Vec3::new(0.0, 9.0, 0.0)).unwrap();
    let posed = p.evaluate();
    assert_close(posed.positions[0], [2.0, 0.0, 0.0], 1e-6);
    assert_close(posed.positions[1], [2.0, 0.0, 0.0], 1e-6);
    assert_eq!(posed.positions[2], [5.0; 3]);
}

#[test]
fn skinned_normals_are_unit_length() {
    let mut b = two_bones();
    b.vertex([0.0, 1.0, 0.0], [0.0, 3.0, 0.0], Deform::Bdef1 { bone: 0 });
    b.vertex([0.0, 1.0, 0.0], [0.0, 1.0, 0.0], bdef2(0, 1, 0.5));
    let mut p = b.poser();
    p.set_bone_rotation(0, rot(Vec3::Z, 60.0)).unwrap();
    p.set_bone_rotation(1, rot(Vec3::Z, -60.0)).unwrap();
    let posed = p.evaluate();
    for n in &posed.normals {
        assert!((Vec3::from(*n).length() - 1.0).abs() < 1e-6, "{n:?}");
    }
    let want = rot(Vec3::Z, 60.0) * Vec3::Y;
    assert_close(posed.normals[0], want.to_array(), 1e-6);
    assert_close(posed.normals[1], [0.0, 1.0, 0.0], 1e-6);
}

#[test]
fn vertices_without_a_deform_stay_put() {
    let mut b = two_bones();
    b.vertex([1.0; 3], UP, bdef2(0, 1, 0.5));
    b.model.vertices.deforms.clear();
    let mut p = b.poser();
    p.set_bone_translation(0, Vec3::ONE).unwrap();
    assert_eq!(p.evaluate().positions[0], [1.0; 3]);
}
