//! evaluate_batch: equal to repeated single evaluation, bit for bit.
#[path = "poser_support/mod.rs"]
mod common;

use common::rich::rich_model;
use pmx_core::glam::Vec3;
use pmx_core::{head_rotation, ErrorKind};

fn weights_and_rotations(n: usize, m: usize) -> (Vec<f32>, Vec<[f32; 4]>) {
    let mut weights = Vec::new();
    let mut rotations = Vec::new();
    for i in 0..n {
        for k in 0..m {
            weights.push(((i * 7 + k * 3) % 11) as f32 / 10.0 - 0.2);
        }
        let f = i as f32;
        rotations.push(head_rotation(f * 3.0 - 20.0, 15.0 - f, f * 0.5).to_array());
        rotations.push(head_rotation(0.0, f - 10.0, 0.0).to_array());
    }
    (weights, rotations)
}

#[test]
fn batch_equals_repeated_single_evaluate() {
    let mut p = rich_model().poser();
    p.set_bone_translation(8, Vec3::new(0.0, 2.0, -1.0))
        .unwrap(); // IK leg up, kept in every pose
    let (n, m, v) = (37, p.model().morphs.len(), p.model().vertices.len());
    let bones = [2usize, 3];
    let (weights, rotations) = weights_and_rotations(n, m);
    let mut positions = vec![f32::NAN; n * v * 3];
    let mut normals = vec![f32::NAN; n * v * 3];
    p.evaluate_batch(&weights, &bones, &rotations, &mut positions, &mut normals)
        .unwrap();
    for i in 0..n {
        for k in 0..m {
            p.set_morph(k, weights[i * m + k]).unwrap();
        }
        for (j, &b) in bones.iter().enumerate() {
            let q = pmx_core::glam::Quat::from_array(rotations[i * bones.len() + j]);
            p.set_bone_rotation(b, q).unwrap();
        }
        let posed = p.evaluate();
        let range = i * v * 3..(i + 1) * v * 3;
        assert_eq!(
            posed.positions.as_flattened(),
            &positions[range.clone()],
            "pose {i}"
        );
        assert_eq!(posed.normals.as_flattened(), &normals[range], "pose {i}");
    }
}

#[test]
fn batch_leaves_the_poser_as_it_was() {
    let mut p = rich_model().poser();
    let before = p.evaluate().clone();
    let (m, v) = (p.model().morphs.len(), p.model().vertices.len());
    let (weights, rotations) = weights_and_rotations(3, m);
    let (mut pos, mut nrm) = (vec![0.0; 3 * v * 3], vec![0.0; 3 * v * 3]);
    p.evaluate_batch(&weights, &[2, 3], &rotations, &mut pos, &mut nrm)
        .unwrap();
    assert_eq!(p.evaluate(), &before);
}

#[test]
fn batch_checks_its_arguments() {
    let p = rich_model().poser();
    let (m, v) = (p.model().morphs.len(), p.model().vertices.len());
    let (weights, rotations) = weights_and_rotations(2, m);
    let (mut pos, mut nrm) = (vec![0.0; 2 * v * 3], vec![0.0; 2 * v * 3]);
    let e = p
        .evaluate_batch(&weights, &[2, 3], &rotations, &mut pos[1..], &mut nrm)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    let e = p
        .evaluate_batch(&weights, &[2], &rotations, &mut pos, &mut nrm)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    let e = p
        .evaluate_batch(&weights, &[2, 999], &rotations, &mut pos, &mut nrm)
        .unwrap_err();
    assert_eq!((e.kind, e.item), (ErrorKind::IndexOutOfRange, Some(999)));
    let mut bad = weights.clone();
    bad[1] = f32::INFINITY;
    let e = p
        .evaluate_batch(&bad, &[2, 3], &rotations, &mut pos, &mut nrm)
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    // Zero poses: nothing to do.
    p.evaluate_batch(&[], &[], &[], &mut [], &mut []).unwrap();
}

#[test]
fn batch_on_several_threads_equals_batch_on_one() {
    let p = rich_model().poser();
    let (n, m, v) = (70, p.model().morphs.len(), p.model().vertices.len());
    let (weights, rotations) = weights_and_rotations(n, m);
    let mut one = (vec![0.0; n * v * 3], vec![0.0; n * v * 3]);
    let mut four = (vec![1.0; n * v * 3], vec![1.0; n * v * 3]);
    p.evaluate_batch_on(1, &weights, &[2, 3], &rotations, &mut one.0, &mut one.1)
        .unwrap();
    p.evaluate_batch_on(4, &weights, &[2, 3], &rotations, &mut four.0, &mut four.1)
        .unwrap();
    assert_eq!(one, four);
}
