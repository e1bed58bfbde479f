//! Material morphs and the material parameters they produce.
//!
//! The rule: for each material, every *multiply* offset of every active
//! morph contributes a factor `lerp(1, value, weight) = (1 - weight) +
//! value * weight`, all factors multiplied together; every *add* offset
//! contributes `value * weight`, all summed. The result is `base * product + sum` for the material's own
//! colours and sizes. The three texture tints (texture, sphere, toon) have no
//! base: they start at multiply `(1, 1, 1, 1)` and add `(0, 0, 0, 0)` and are
//! handed to the renderer as those two factors (`colour * mul + add`).
//! Multiplication is therefore applied before addition regardless of morph
//! order. (babylon-mmd instead applies each morph to the running value in
//! morph order; the two differ only when a multiply morph comes after an add
//! morph on the same material.) An offset with material `-1` applies to
//! every material; other indices outside the table are ignored.

use crate::model::{Material, MaterialOffset, MaterialOp, Model, MorphOffsets};

/// A material's parameters after material morphs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MaterialParams {
    pub diffuse: [f32; 4],
    pub specular: [f32; 3],
    pub specularity: f32,
    pub ambient: [f32; 3],
    pub edge_color: [f32; 4],
    pub edge_size: f32,
    pub texture_mul: [f32; 4],
    pub texture_add: [f32; 4],
    pub sphere_mul: [f32; 4],
    pub sphere_add: [f32; 4],
    pub toon_mul: [f32; 4],
    pub toon_add: [f32; 4],
}

impl MaterialParams {
    /// The parameters of `material` with no morph applied.
    pub fn from_material(material: &Material) -> MaterialParams {
        MaterialParams {
            diffuse: material.diffuse,
            specular: material.specular,
            specularity: material.specularity,
            ambient: material.ambient,
            edge_color: material.edge_color,
            edge_size: material.edge_size,
            texture_mul: [1.0; 4],
            texture_add: [0.0; 4],
            sphere_mul: [1.0; 4],
            sphere_add: [0.0; 4],
            toon_mul: [1.0; 4],
            toon_add: [0.0; 4],
        }
    }
}

/// Number of scalar fields a material offset carries: diffuse 4, specular 3,
/// specularity 1, ambient 3, edge colour 4, edge size 1 (16 with a base), then
/// texture, sphere and toon tints 4 each.
const FIELDS: usize = 28;
const BASED: usize = 16;

fn flatten(o: &MaterialOffset) -> [f32; FIELDS] {
    let mut f = [0.0; FIELDS];
    f[0..4].copy_from_slice(&o.diffuse);
    f[4..7].copy_from_slice(&o.specular);
    f[7] = o.specularity;
    f[8..11].copy_from_slice(&o.ambient);
    f[11..15].copy_from_slice(&o.edge_color);
    f[15] = o.edge_size;
    f[16..20].copy_from_slice(&o.texture_tint);
    f[20..24].copy_from_slice(&o.sphere_tint);
    f[24..28].copy_from_slice(&o.toon_tint);
    f
}

fn base_fields(p: &MaterialParams) -> [f32; BASED] {
    let mut f = [0.0; BASED];
    f[0..4].copy_from_slice(&p.diffuse);
    f[4..7].copy_from_slice(&p.specular);
    f[7] = p.specularity;
    f[8..11].copy_from_slice(&p.ambient);
    f[11..15].copy_from_slice(&p.edge_color);
    f[15] = p.edge_size;
    f
}

fn arr4(f: &[f32]) -> [f32; 4] {
    [f[0], f[1], f[2], f[3]]
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    /// `None` = every material.
    material: Option<u32>,
    multiply: bool,
    values: [f32; FIELDS],
}

#[derive(Debug, Clone, Default)]
pub struct MaterialMorphs {
    starts: Vec<u32>,
    entries: Vec<Entry>,
}

/// Per-material accumulators, reused across poses.
#[derive(Debug, Clone, Default)]
pub struct MaterialScratch {
    mul: Vec<[f32; FIELDS]>,
    add: Vec<[f32; FIELDS]>,
}

impl MaterialMorphs {
    pub fn new(model: &Model) -> MaterialMorphs {
        let count = model.materials.len();
        let mut out = MaterialMorphs {
            starts: vec![0],
            ..Default::default()
        };
        for morph in &model.morphs {
            if let MorphOffsets::Material(items) = &morph.offsets {
                for item in items {
                    let material = match item.material {
                        -1 => None,
                        m if m >= 0 && (m as usize) < count => Some(m as u32),
                        _ => continue,
                    };
                    out.entries.push(Entry {
                        material,
                        multiply: item.op == MaterialOp::Multiply,
                        values: flatten(item),
                    });
                }
            }
            out.starts.push(out.entries.len() as u32);
        }
        out
    }

    pub fn has(&self, morph: usize) -> bool {
        self.starts.get(morph + 1) > self.starts.get(morph)
    }

    pub fn scratch(&self, material_count: usize) -> MaterialScratch {
        MaterialScratch {
            mul: vec![[1.0; FIELDS]; material_count],
            add: vec![[0.0; FIELDS]; material_count],
        }
    }

    /// Writes the parameters of every material into `out` for the active
    /// `(morph, weight)` pairs (non-material morphs are skipped).
    pub fn evaluate(
        &self,
        base: &[MaterialParams],
        active: &[(u32, f32)],
        scratch: &mut MaterialScratch,
        out: &mut [MaterialParams],
    ) {
        let any = active.iter().any(|&(m, _)| self.has(m as usize));
        if !any {
            out.copy_from_slice(base);
            return;
        }
        scratch.mul.fill([1.0; FIELDS]);
        scratch.add.fill([0.0; FIELDS]);
        for &(m, w) in active {
            let (Some(&s), Some(&e)) =
                (self.starts.get(m as usize), self.starts.get(m as usize + 1))
            else {
                continue;
            };
            for entry in &self.entries[s as usize..e as usize] {
                let targets = match entry.material {
                    Some(t) => t as usize..t as usize + 1,
                    None => 0..base.len(),
                };
                for t in targets {
                    if entry.multiply {
                        for (acc, &v) in scratch.mul[t].iter_mut().zip(&entry.values) {
                            *acc *= (1.0 - w) + v * w;
                        }
                    } else {
                        for (acc, &v) in scratch.add[t].iter_mut().zip(&entry.values) {
                            *acc += v * w;
                        }
                    }
                }
            }
        }
        for (i, (o, b)) in out.iter_mut().zip(base).enumerate() {
            let (mul, add) = (&scratch.mul[i], &scratch.add[i]);
            let mut f = base_fields(b);
            for k in 0..BASED {
                f[k] = f[k] * mul[k] + add[k];
            }
            *o = MaterialParams {
                diffuse: arr4(&f[0..4]),
                specular: [f[4], f[5], f[6]],
                specularity: f[7],
                ambient: [f[8], f[9], f[10]],
                edge_color: arr4(&f[11..15]),
                edge_size: f[15],
                texture_mul: arr4(&mul[16..20]),
                texture_add: arr4(&add[16..20]),
                sphere_mul: arr4(&mul[20..24]),
                sphere_add: arr4(&add[20..24]),
                toon_mul: arr4(&mul[24..28]),
                toon_add: arr4(&add[24..28]),
            };
        }
    }
}
