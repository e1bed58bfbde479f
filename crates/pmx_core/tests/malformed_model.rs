//! Hand-built models can be inconsistent (the JSON/writer path does not
//! validate like the parser): the poser never panics or loops on them.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::glam::{Quat, Vec3};
use pmx_core::{
    AngleLimits, Append, Deform, GroupOffset, IkLink, MorphKind, MorphOffsets, VertexOffset,
};

#[test]
fn broken_references_are_ignored() {
    let mut b = Builder::new();
    let a = b.bone("a", [0.0; 3], 1);
    let c = b.bone("c", [0.0, 1.0, 0.0], 2);
    let d = b.bone("d", [0.0, 2.0, 0.0], 0); // a → c → d → a: a parent cycle
    let e = b.bone("e", [0.0, 3.0, 0.0], 77);
    b.bone_mut(e).append = Some(Append {
        parent: -5,
        ratio: f32::NAN,
    });
    b.bone_mut(e).flags |= pmx_core::bone_flags::APPEND_ROTATE;
    b.ik(e, 99, 1_000_000, 1.0, vec![]);
    b.ik(
        d,
        a,
        10,
        1.0,
        vec![
            IkLink {
                bone: 1234,
                limits: None,
            },
            IkLink {
                bone: c as i32,
                limits: Some(AngleLimits {
                    min: [1.0, 2.0, 3.0],
                    max: [-1.0, -2.0, -3.0],
                }),
            },
        ],
    );
    b.vertex([0.0; 3], UP, bdef1(a));
    b.vertex([1.0; 3], UP, bdef1(c));
    // More deforms than vertices, fewer normals and UVs.
    b.model.vertices.deforms.push(Deform::Bdef1 { bone: 0 });
    b.model.vertices.normals.pop();
    b.model.vertices.uvs.clear();
    b.morph(
        "mismatched",
        MorphKind::Vertex,
        MorphOffsets::Group(vec![GroupOffset {
            morph: 0,
            weight: 1.0,
        }]),
    );
    b.morph(
        "far vertex",
        MorphKind::Vertex,
        MorphOffsets::Vertex(vec![VertexOffset {
            vertex: u32::MAX,
            offset: [1.0; 3],
        }]),
    );
    b.group("far child", &[(1_000_000, 1.0)]);
    let mut p = b.poser();
    for k in 0..3 {
        p.set_morph(k, 1.0).unwrap();
    }
    for bone in 0..4 {
        p.set_bone_rotation(bone, Quat::from_rotation_x(0.3))
            .unwrap();
        p.set_bone_translation(bone, Vec3::new(0.1, 0.2, 0.3))
            .unwrap();
    }
    let posed = p.evaluate();
    assert_eq!(posed.positions.len(), 2);
    assert_eq!(posed.normals.len(), 2);
    assert_eq!(posed.uvs.len(), 2);
    assert!(posed.positions.iter().flatten().all(|x| x.is_finite()));
    // A zero quaternion means no rotation.
    p.set_bone_rotation(0, Quat::from_xyzw(0.0, 0.0, 0.0, 0.0))
        .unwrap();
    p.evaluate();
    assert!(p
        .set_bone_rotation(0, Quat::from_xyzw(f32::NAN, 0.0, 0.0, 1.0))
        .is_err());
    assert!(p.set_bone_rotation(9, Quat::IDENTITY).is_err());
}

#[test]
fn an_empty_model_poses() {
    let mut p = Builder::new().poser();
    let posed = p.evaluate();
    assert!(posed.positions.is_empty() && posed.bone_matrices.is_empty());
    p.evaluate_batch(&[], &[], &[], &mut [], &mut []).unwrap();
}
