//! UV morphs on the main UV and on additional UV channels.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::{MorphKind, MorphOffsets, UvOffset};

#[test]
fn uv_morphs_move_their_channel() {
    let mut b = Builder::new();
    b.model.vertices.additional_uvs = vec![Vec::new()];
    b.model.header.additional_uv_count = 1;
    let root = b.bone("センター", [0.0; 3], -1);
    b.vertex([0.0; 3], UP, bdef1(root));
    let uv = b.morph(
        "uv",
        MorphKind::Uv,
        MorphOffsets::Uv(vec![UvOffset {
            vertex: 0,
            offset: [0.5, -1.0, 9.0, 9.0],
        }]),
    );
    let uv1 = b.morph(
        "uv1",
        MorphKind::Uv1,
        MorphOffsets::Uv(vec![UvOffset {
            vertex: 0,
            offset: [1.0, 2.0, 3.0, 4.0],
        }]),
    );
    // A channel the model does not have: ignored.
    let uv3 = b.morph(
        "uv3",
        MorphKind::Uv3,
        MorphOffsets::Uv(vec![UvOffset {
            vertex: 0,
            offset: [1.0; 4],
        }]),
    );
    let mut p = b.poser();
    p.set_morph(uv, 0.5).unwrap();
    p.set_morph(uv1, 0.25).unwrap();
    p.set_morph(uv3, 1.0).unwrap();
    let posed = p.evaluate();
    assert_eq!(posed.uvs[0], [0.25, -0.5]);
    assert_eq!(posed.additional_uvs[0][0], [0.25, 0.5, 0.75, 1.0]);
    p.reset();
    let posed = p.evaluate();
    assert_eq!(posed.uvs[0], [0.0, 0.0]);
    assert_eq!(posed.additional_uvs[0][0], [0.0; 4]);
}
