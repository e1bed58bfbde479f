//! Material morphs: multiply factors lerp(1, v, w), add terms v·w, base·mul + add.
#[path = "poser_support/mod.rs"]
mod common;

use common::*;
use pmx_core::{Material, MaterialOffset, MaterialOp, MorphKind, MorphOffsets};

fn offset(material: i32, op: MaterialOp, v: f32) -> MaterialOffset {
    MaterialOffset {
        material,
        op,
        diffuse: [v; 4],
        specular: [v; 3],
        specularity: v,
        ambient: [v; 3],
        edge_color: [v; 4],
        edge_size: v,
        texture_tint: [v; 4],
        sphere_tint: [v; 4],
        toon_tint: [v; 4],
    }
}

fn model() -> (pmx_core::Poser, [usize; 3]) {
    let mut b = Builder::new();
    let root = b.bone("センター", [0.0; 3], -1);
    b.vertex([0.0; 3], UP, bdef1(root));
    b.material(Material {
        diffuse: [0.8, 0.6, 0.4, 1.0],
        specular: [0.5, 0.5, 0.5],
        specularity: 10.0,
        ambient: [0.25, 0.25, 0.25],
        edge_color: [0.0, 0.0, 0.0, 1.0],
        edge_size: 2.0,
        ..Material::default()
    });
    b.material(Material::default());
    let mul = b.morph(
        "mul",
        MorphKind::Material,
        MorphOffsets::Material(vec![offset(0, MaterialOp::Multiply, 0.5)]),
    );
    let add = b.morph(
        "add",
        MorphKind::Material,
        MorphOffsets::Material(vec![offset(0, MaterialOp::Add, 0.25)]),
    );
    let all = b.morph(
        "all",
        MorphKind::Material,
        MorphOffsets::Material(vec![offset(-1, MaterialOp::Multiply, 0.0)]),
    );
    (b.poser(), [mul, add, all])
}

#[test]
fn multiply_lerps_from_one() {
    let (mut p, [mul, ..]) = model();
    p.set_morph(mul, 1.0).unwrap();
    let m = p.evaluate().materials[0];
    assert_eq!(m.diffuse, [0.4, 0.3, 0.2, 0.5]);
    assert_eq!(m.specularity, 5.0);
    assert_eq!(m.edge_size, 1.0);
    assert_eq!(m.texture_mul, [0.5; 4]);
    assert_eq!(m.texture_add, [0.0; 4]);
    p.set_morph(mul, 0.5).unwrap(); // factor 0.75
    let m = p.evaluate().materials[0];
    assert_eq!(m.diffuse, [0.8 * 0.75, 0.6 * 0.75, 0.4 * 0.75, 0.75]);
    assert_eq!(m.sphere_mul, [0.75; 4]);
}

#[test]
fn add_scales_with_weight_and_comes_after_multiply() {
    let (mut p, [mul, add, _]) = model();
    p.set_morph(add, 0.5).unwrap();
    let m = p.evaluate().materials[0];
    assert_eq!(m.ambient, [0.375; 3]);
    assert_eq!(m.toon_add, [0.125; 4]);
    assert_eq!(m.toon_mul, [1.0; 4]);
    // Multiply applies to the base only, whatever the morph order: 2 × 0.5 + 0.125.
    p.set_morph(mul, 1.0).unwrap();
    let m = p.evaluate().materials[0];
    assert_eq!(m.edge_size, 1.125);
    assert_eq!(m.specularity, 5.125);
}

#[test]
fn target_minus_one_reaches_every_material_and_others_stay() {
    let (mut p, [mul, _, all]) = model();
    p.set_morph(mul, 1.0).unwrap();
    let untouched = p.evaluate().materials[1];
    assert_eq!(
        untouched,
        pmx_core::MaterialParams::from_material(&Material::default())
    );
    p.set_morph(all, 1.0).unwrap();
    let posed = p.evaluate();
    assert_eq!(posed.materials[0].diffuse, [0.0; 4]);
    assert_eq!(posed.materials[1].diffuse, [0.0; 4]);
    p.reset();
    let posed = p.evaluate();
    assert_eq!(posed.materials[0].diffuse, [0.8, 0.6, 0.4, 1.0]);
}
