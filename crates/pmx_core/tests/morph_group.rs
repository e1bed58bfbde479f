//! Group and flip morphs.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::{ErrorKind, GroupOffset, MorphKind, MorphOffsets, Poser, VertexOffset};

fn vertex_morph(b: &mut Builder, name: &str, vertex: u32, offset: [f32; 3]) -> usize {
    b.morph(
        name,
        MorphKind::Vertex,
        MorphOffsets::Vertex(vec![VertexOffset { vertex, offset }]),
    )
}

fn base() -> Builder {
    let mut b = Builder::new();
    let root = b.bone("センター", [0.0; 3], -1);
    b.vertex([0.0; 3], UP, bdef1(root));
    b.vertex([0.0; 3], UP, bdef1(root));
    b
}

#[test]
fn nested_groups_multiply_weights() {
    let mut b = base();
    let leaf = vertex_morph(&mut b, "leaf", 0, [4.0, 0.0, 0.0]);
    let inner = b.group("inner", &[(leaf, 0.5)]);
    let outer = b.group("outer", &[(inner, 0.5)]);
    let mut p = b.poser();
    p.set_morph(outer, 1.0).unwrap();
    assert_eq!(p.evaluate().positions[0], [1.0, 0.0, 0.0]); // 4 × 0.5 × 0.5
    p.set_morph(outer, 0.5).unwrap();
    p.set_morph(leaf, 1.0).unwrap();
    assert_eq!(p.evaluate().positions[0], [4.5, 0.0, 0.0]); // 4 × 1 + 4 × 0.125
}

#[test]
fn negative_group_weights_pass_through() {
    let mut b = base();
    let leaf = vertex_morph(&mut b, "leaf", 1, [0.0, 2.0, 0.0]);
    let g = b.group("g", &[(leaf, -0.5)]);
    let mut p = b.poser();
    p.set_morph(g, 2.0).unwrap();
    assert_eq!(p.evaluate().positions[1], [0.0, -2.0, 0.0]);
}

#[test]
fn a_cycle_is_reported_at_construction() {
    let mut b = base();
    let leaf = vertex_morph(&mut b, "leaf", 0, [1.0, 0.0, 0.0]);
    let a = b.group("ループA", &[(leaf, 1.0), (2, 1.0)]);
    let c = b.group("ループB", &[(a, 1.0)]);
    assert_eq!(c, 2);
    let e = Poser::new(b.build()).err().expect("cycle must be rejected");
    assert_eq!(e.kind, ErrorKind::MorphCycle);
    assert_eq!(e.section, "poser");
    assert!(e.message.contains("ループ"), "{}", e.message);
}

#[test]
fn a_group_containing_itself_is_a_cycle() {
    let mut b = base();
    b.group("self", &[(0, 1.0)]);
    let e = Poser::new(b.build()).err().unwrap();
    assert_eq!((e.kind, e.item), (ErrorKind::MorphCycle, Some(0)));
    assert!(e.message.contains("self"));
}

#[test]
fn a_shared_child_is_not_a_cycle() {
    let mut b = base();
    let leaf = vertex_morph(&mut b, "leaf", 0, [1.0, 0.0, 0.0]);
    let g1 = b.group("g1", &[(leaf, 1.0)]);
    let g2 = b.group("g2", &[(leaf, 1.0), (g1, 1.0)]);
    let mut p = b.poser();
    p.set_morph(g2, 1.0).unwrap();
    assert_eq!(p.evaluate().positions[0], [2.0, 0.0, 0.0]);
}

/// Flip with two children: [0, 1/3) none, [1/3, 2/3) first, [2/3, 1] second,
/// each applied at its own stored weight.
#[test]
fn flip_applies_the_child_whose_range_holds_the_weight() {
    let mut b = base();
    let first = vertex_morph(&mut b, "first", 0, [1.0, 0.0, 0.0]);
    let second = vertex_morph(&mut b, "second", 1, [0.0, 1.0, 0.0]);
    let flip = b.morph(
        "flip",
        MorphKind::Flip,
        MorphOffsets::Flip(vec![
            GroupOffset {
                morph: first as i32,
                weight: 0.5,
            },
            GroupOffset {
                morph: second as i32,
                weight: 2.0,
            },
        ]),
    );
    let mut p = b.poser();
    let cases = [
        (0.2, [0.0, 0.0], [0.0, 0.0]),
        (0.4, [0.5, 0.0], [0.0, 0.0]),
        (0.6, [0.5, 0.0], [0.0, 0.0]),
        (0.7, [0.0, 0.0], [0.0, 2.0]),
        (1.0, [0.0, 0.0], [0.0, 2.0]),
        (3.0, [0.0, 0.0], [0.0, 2.0]),
        (-1.0, [0.0, 0.0], [0.0, 0.0]),
    ];
    for (w, v0, v1) in cases {
        p.set_morph(flip, w).unwrap();
        let posed = p.evaluate();
        assert_eq!(posed.positions[0][..2], v0, "weight {w}");
        assert_eq!(posed.positions[1][..2], v1, "weight {w}");
    }
}

#[test]
fn impulse_morphs_are_accepted_and_ignored() {
    let mut b = base();
    let imp = b.morph(
        "impulse",
        MorphKind::Impulse,
        MorphOffsets::Impulse(vec![pmx_core::ImpulseOffset {
            rigid_body: 0,
            local: false,
            velocity: [1.0, 0.0, 0.0],
            torque: [0.0; 3],
        }]),
    );
    let g = b.group("g", &[(imp, 1.0)]);
    let mut p = b.poser();
    let bind = bind(&p);
    p.set_morph(imp, 1.0).unwrap();
    p.set_morph(g, 1.0).unwrap();
    assert_eq!(p.evaluate().positions, bind);
}
