//! Vertex morphs: `position += weight * offset`, sparse, unclamped.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::{ErrorKind, MorphKind, MorphOffsets, VertexOffset};

fn model() -> pmx_core::Poser {
    let mut b = Builder::new();
    let root = b.bone("センター", [0.0, 0.0, 0.0], -1);
    b.vertex([1.0, 2.0, 3.0], UP, bdef1(root));
    b.vertex([-1.0, 0.5, 0.25], UP, bdef1(root));
    b.morph(
        "あ",
        MorphKind::Vertex,
        MorphOffsets::Vertex(vec![
            VertexOffset {
                vertex: 0,
                offset: [2.0, -4.0, 1.0],
            },
            // Out of range: ignored, never a panic.
            VertexOffset {
                vertex: 99,
                offset: [1.0, 1.0, 1.0],
            },
        ]),
    );
    b.morph(
        "い",
        MorphKind::Vertex,
        MorphOffsets::Vertex(vec![VertexOffset {
            vertex: 0,
            offset: [0.0, 0.0, 2.0],
        }]),
    );
    b.poser()
}

#[test]
fn half_weight_moves_half_way() {
    let mut p = model();
    p.set_morph(0, 0.5).unwrap();
    let posed = p.evaluate();
    assert_eq!(posed.positions[0], [2.0, 0.0, 3.5]);
    assert_eq!(posed.positions[1], [-1.0, 0.5, 0.25]);
}

#[test]
fn weights_are_not_clamped_and_add_up() {
    let mut p = model();
    p.set_morph(0, -1.0).unwrap();
    p.set_morph(1, 2.0).unwrap();
    assert_eq!(p.evaluate().positions[0], [-1.0, 6.0, 6.0]);
}

#[test]
fn turning_a_morph_off_restores_the_bind_pose_exactly() {
    let mut p = model();
    let bind = bind(&p);
    p.set_morph_by_name("あ", 0.3).unwrap();
    p.evaluate();
    p.set_morph_by_name("あ", 0.0).unwrap();
    assert_eq!(p.evaluate().positions, bind);
}

#[test]
fn bad_morph_references_are_typed_errors() {
    let mut p = model();
    let e = p.set_morph(7, 1.0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::IndexOutOfRange);
    assert_eq!((e.section, e.item), ("poser", Some(7)));
    let e = p.set_morph_by_name("ないよ", 1.0).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownName);
    assert!(e.message.contains("ないよ"));
    assert_eq!(
        p.set_morph(0, f32::NAN).unwrap_err().kind,
        ErrorKind::InvalidValue
    );
}
