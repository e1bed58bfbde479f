//! A small model with a bit of everything, for whole-poser tests.

use super::*;
use pmx_core::{AngleLimits, Deform, IkLink, MorphKind, MorphOffsets, VertexOffset};

/// Bones with awkward coordinates, every deform kind, vertex and group
/// morphs, an append and an IK leg.
pub fn rich_model() -> Builder {
    let mut b = Builder::new();
    let center = b.bone("センター", [0.1, 0.7, -0.3], -1);
    let upper = b.bone("上半身", [0.1, 10.3, 0.2], center);
    let neck = b.bone("首", [0.1, 15.7, 0.3], upper);
    let head = b.bone("頭", [0.13, 16.9, 0.31], neck);
    let eye = b.bone("右目", [-0.7, 17.3, -0.9], head);
    b.append(eye, head, 0.3, true, false, false);
    let hip = b.bone("右足", [-1.1, 9.7, 0.3], center);
    let knee = b.bone("右ひざ", [-1.1, 5.3, 0.1], hip);
    let ankle = b.bone("右足首", [-1.1, 0.9, 0.4], knee);
    let ik = b.bone("右足ＩＫ", [-1.1, 0.9, 0.4], -1);
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
                    max: [-0.008727, 0.0, 0.0],
                }),
            },
            IkLink {
                bone: hip as i32,
                limits: None,
            },
        ],
    );
    let n = |x: f32, y: f32, z: f32| {
        let v = Vec3::new(x, y, z).normalize();
        [v.x, v.y, v.z]
    };
    for i in 0..24 {
        let t = i as f32 * 0.37;
        let p = [t.sin() * 1.3, 8.0 + t * 0.41, t.cos() * 0.7 - 0.1];
        let nrm = n(t.sin(), 0.3, t.cos());
        let deform = match i % 6 {
            0 => bdef1(head),
            1 => bdef2(neck, head, 0.3),
            2 => Deform::Bdef4 {
                bones: [upper as i32, neck as i32, head as i32, eye as i32],
                weights: [0.1, 0.2, 0.3, 0.4],
            },
            3 => Deform::Sdef {
                bones: [neck as i32, head as i32],
                weight: 0.35,
                c: [0.1, 16.1, 0.3],
                r0: [0.1, 15.9, 0.3],
                r1: [0.1, 16.4, 0.3],
            },
            4 => Deform::Qdef {
                bones: [upper as i32, head as i32, -1, -1],
                weights: [0.45, 0.55, 0.0, 0.0],
            },
            _ => bdef2(knee, ankle, 0.7),
        };
        b.vertex(p, nrm, deform);
    }
    let m0 = b.morph(
        "あ",
        MorphKind::Vertex,
        MorphOffsets::Vertex(
            (0..12)
                .map(|v| VertexOffset {
                    vertex: v,
                    offset: [0.1, -0.2, 0.03 * v as f32],
                })
                .collect(),
        ),
    );
    let m1 = b.morph(
        "まばたき",
        MorphKind::Vertex,
        MorphOffsets::Vertex(
            (6..20)
                .map(|v| VertexOffset {
                    vertex: v,
                    offset: [-0.05, 0.11, 0.2],
                })
                .collect(),
        ),
    );
    b.group("笑顔", &[(m0, 0.7), (m1, 0.3)]);
    b
}
