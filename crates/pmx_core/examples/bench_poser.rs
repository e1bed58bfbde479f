//! Poser speed on a synthetic model the size of a large real one:
//! 30k vertices, 220 bones, a BDEF2/BDEF4 mix, 100 vertex morphs.
//!
//! `cargo run --release --example bench_poser` prints the median time of one
//! `evaluate` (three morphs and a head rotation set) and the throughput of
//! `evaluate_batch` on one thread and on all cores. Figures only; nothing is
//! asserted.

use std::sync::Arc;
use std::time::Instant;

use pmx_core::glam::Vec3;
use pmx_core::{
    head_rotation, Bone, Deform, Model, Morph, MorphKind, MorphOffsets, Poser, VertexOffset,
};

const VERTICES: usize = 30_000;
const BONES: usize = 220;
const MORPHS: usize = 100;
/// Share of vertices on the head and its children (face, hair).
const HEAD_SHARE: f32 = 0.35;

/// A tiny deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn bone(name: String, position: Vec3, parent: i32) -> Bone {
    Bone {
        name,
        position: position.to_array(),
        parent,
        ..Bone::default()
    }
}

/// A spine ending in 首 (4) and 頭 (5), 40 face/hair bones under 頭, the
/// rest in chains hanging from 上半身; 35% of the vertices on the head.
fn synthetic_model() -> Model {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut model = Model::default();
    let spine = [
        ("全ての親", 0.0, -1),
        ("センター", 8.0, 0),
        ("下半身", 11.0, 1),
        ("上半身", 12.0, 1),
        ("首", 16.0, 3),
        ("頭", 17.0, 4),
    ];
    for (name, y, parent) in spine {
        model
            .bones
            .push(bone(name.into(), Vec3::new(0.0, y, 0.0), parent));
    }
    let head: usize = 5;
    let face_bones: Vec<usize> = (0..40)
        .map(|i| {
            let p = Vec3::new(
                rng.unit() * 2.0 - 1.0,
                17.0 + rng.unit() * 3.0,
                rng.unit() - 0.5,
            );
            model.bones.push(bone(format!("face{i}"), p, head as i32));
            model.bones.len() - 1
        })
        .collect();
    while model.bones.len() < BONES {
        let i = model.bones.len();
        let parent = if i % 8 == 0 { 3 } else { i - 1 };
        let p = Vec3::from(model.bones[parent].position)
            + Vec3::new(rng.unit() - 0.5, -1.0, rng.unit() - 0.5);
        model.bones.push(bone(format!("body{i}"), p, parent as i32));
    }
    let first_body = face_bones[face_bones.len() - 1] + 1;
    let body_bones: Vec<usize> = (first_body..BONES).chain(0..4).collect();

    let head_vertices = (VERTICES as f32 * HEAD_SHARE) as usize;
    for i in 0..VERTICES {
        let on_head = i < head_vertices;
        let pick = |rng: &mut Rng| {
            if !on_head {
                body_bones[rng.below(body_bones.len())]
            } else if rng.below(4) == 0 {
                head
            } else {
                face_bones[rng.below(face_bones.len())]
            }
        };
        let anchor = Vec3::from(model.bones[pick(&mut rng)].position);
        let p = anchor + Vec3::new(rng.unit() - 0.5, rng.unit() - 0.5, rng.unit() - 0.5);
        let n =
            Vec3::new(rng.unit() - 0.5, rng.unit() - 0.5, rng.unit() - 0.5).normalize_or(Vec3::Y);
        let deform = if i % 3 == 0 {
            Deform::Bdef4 {
                bones: [0; 4].map(|_| pick(&mut rng) as i32),
                weights: [0.4, 0.3, 0.2, 0.1],
            }
        } else {
            Deform::Bdef2 {
                bones: [pick(&mut rng) as i32, pick(&mut rng) as i32],
                weight: rng.unit(),
            }
        };
        let v = &mut model.vertices;
        v.positions.push(p.to_array());
        v.normals.push(n.to_array());
        v.uvs.push([rng.unit(), rng.unit()]);
        v.deforms.push(deform);
        v.edge_scales.push(1.0);
    }
    for m in 0..MORPHS {
        let count = 200 + rng.below(400);
        let offsets = (0..count)
            .map(|_| VertexOffset {
                vertex: rng.below(head_vertices) as u32,
                offset: [rng.unit() * 0.1, rng.unit() * 0.1, rng.unit() * 0.1],
            })
            .collect();
        model.morphs.push(Morph {
            name: format!("morph{m}"),
            name_en: String::new(),
            panel: 1 + (m % 3) as u8,
            kind: MorphKind::Vertex,
            offsets: MorphOffsets::Vertex(offsets),
        });
    }
    model
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let model = Arc::new(synthetic_model());
    let t = Instant::now();
    let mut poser = Poser::new(model.clone()).expect("valid model");
    println!(
        "model: {} vertices, {} bones, {} morphs; Poser::new {:.2} ms",
        model.vertices.len(),
        model.bones.len(),
        model.morphs.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    let neck = model.bone_index("首").unwrap();
    let mut rng = Rng(42);

    // Single evaluate: three morphs and a head rotation, changing every pose.
    let mut times = Vec::new();
    for i in 0..400 {
        poser.reset();
        for _ in 0..3 {
            poser.set_morph(rng.below(MORPHS), rng.unit()).unwrap();
        }
        let f = i as f32 * 0.1;
        let q = head_rotation(f.sin() * 20.0, f.cos() * 20.0, 5.0);
        poser.set_bone_rotation(neck, q).unwrap();
        let t = Instant::now();
        std::hint::black_box(poser.evaluate());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "evaluate (3 morphs + head rotation): median {:.3} ms/pose",
        median(times)
    );

    poser.reset();
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(poser.evaluate());
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!("evaluate (zero pose): median {:.3} ms/pose", median(times));

    // Batches of N poses, each with three morphs and a head rotation.
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let v = model.vertices.len();
    for n in [8, 64, 512] {
        let mut weights = vec![0.0f32; n * MORPHS];
        let mut rotations = Vec::with_capacity(n);
        for i in 0..n {
            for _ in 0..3 {
                weights[i * MORPHS + rng.below(MORPHS)] = rng.unit();
            }
            let mut angle = || rng.unit() * 40.0 - 20.0;
            let (y, p, r) = (angle(), angle(), angle());
            rotations.push(head_rotation(y, p, r).to_array());
        }
        let mut positions = vec![0.0f32; n * v * 3];
        let mut normals = vec![0.0f32; n * v * 3];
        for threads in [1, cores] {
            let mut rates = Vec::new();
            for _ in 0..7 {
                let t = Instant::now();
                poser
                    .evaluate_batch_on(
                        threads,
                        &weights,
                        &[neck],
                        &rotations,
                        &mut positions,
                        &mut normals,
                    )
                    .unwrap();
                rates.push(n as f64 / t.elapsed().as_secs_f64());
            }
            let rate = median(rates);
            println!(
                "evaluate_batch ({n} poses, {threads} of {cores} threads): median {rate:.0} poses/s ({:.3} ms/pose)",
                1e3 / rate
            );
        }
    }
}
