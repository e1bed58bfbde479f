//! Vertex morphs: `position += weight * offset`, applied sparsely.
//!
//! Offsets are flattened into one arena at construction (entries naming a
//! vertex outside the model are dropped). The morphed positions live in a
//! scratch copy of the bind positions; the vertices a pose touched are
//! recorded and restored from the bind pose before the next pose, so the cost
//! follows the number of offsets applied, not the vertex count.

use crate::model::{Model, MorphOffsets};

#[derive(Debug, Clone, Default)]
pub struct VertexMorphs {
    /// Offsets of morph `i` are `[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    vertex: Vec<u32>,
    offset: Vec<[f32; 3]>,
}

impl VertexMorphs {
    pub fn new(model: &Model) -> VertexMorphs {
        let vertex_count = model.vertices.len();
        let mut out = VertexMorphs {
            starts: Vec::with_capacity(model.morphs.len() + 1),
            ..Default::default()
        };
        out.starts.push(0);
        for morph in &model.morphs {
            if let MorphOffsets::Vertex(items) = &morph.offsets {
                for item in items {
                    if (item.vertex as usize) < vertex_count {
                        out.vertex.push(item.vertex);
                        out.offset.push(item.offset);
                    }
                }
            }
            out.starts.push(out.vertex.len() as u32);
        }
        out
    }

    /// Whether morph `morph` is a vertex morph with at least one offset.
    pub fn has(&self, morph: usize) -> bool {
        self.starts.get(morph + 1) > self.starts.get(morph)
    }

    /// Adds `weight` times morph `morph`'s offsets to `positions`.
    pub fn apply(
        &self,
        morph: usize,
        weight: f32,
        positions: &mut [[f32; 3]],
        touched: &mut Touched,
    ) {
        let (Some(&s), Some(&e)) = (self.starts.get(morph), self.starts.get(morph + 1)) else {
            return;
        };
        let range = s as usize..e as usize;
        for (&v, off) in self.vertex[range.clone()].iter().zip(&self.offset[range]) {
            touched.mark(v);
            let p = &mut positions[v as usize];
            p[0] += weight * off[0];
            p[1] += weight * off[1];
            p[2] += weight * off[2];
        }
    }
}

/// The set of vertices a pose changed, so they can be restored cheaply.
#[derive(Debug, Clone, Default)]
pub struct Touched {
    list: Vec<u32>,
    flag: Vec<bool>,
}

impl Touched {
    pub fn new(count: usize) -> Touched {
        Touched {
            list: Vec::with_capacity(count),
            flag: vec![false; count],
        }
    }

    #[inline]
    pub fn mark(&mut self, index: u32) {
        let f = &mut self.flag[index as usize];
        if !*f {
            *f = true;
            self.list.push(index);
        }
    }

    /// Copies `bind[i]` back into `values[i]` for every marked `i` and clears the set.
    pub fn restore<T: Copy>(&mut self, values: &mut [T], bind: &[T]) {
        for &i in &self.list {
            values[i as usize] = bind[i as usize];
            self.flag[i as usize] = false;
        }
        self.list.clear();
    }
}
