//! UV morphs: `uv += weight * offset` on the main UV (x, y of the offset) or
//! on one of the four additional vec4 UV channels. Channels the model does
//! not have, and vertices outside the model, are ignored.

use super::vertex::Touched;
use crate::model::{Model, MorphOffsets};

#[derive(Debug, Clone, Default)]
pub struct UvMorphs {
    /// Offsets of morph `i` are `[starts[i]..starts[i + 1]]`, all on `channel[i]`.
    starts: Vec<u32>,
    channel: Vec<u8>,
    vertex: Vec<u32>,
    offset: Vec<[f32; 4]>,
}

impl UvMorphs {
    pub fn new(model: &Model) -> UvMorphs {
        let vertex_count = model.vertices.len();
        let channels = model.vertices.additional_uvs.len();
        let mut out = UvMorphs {
            starts: vec![0],
            ..Default::default()
        };
        for morph in &model.morphs {
            let channel = morph.kind.uv_channel();
            let usable = match channel {
                Some(0) => true,
                Some(k) => {
                    k <= channels && model.vertices.additional_uvs[k - 1].len() == vertex_count
                }
                None => false,
            };
            if let (true, MorphOffsets::Uv(items)) = (usable, &morph.offsets) {
                for item in items {
                    if (item.vertex as usize) < vertex_count {
                        out.vertex.push(item.vertex);
                        out.offset.push(item.offset);
                    }
                }
            }
            out.channel.push(channel.unwrap_or(0) as u8);
            out.starts.push(out.vertex.len() as u32);
        }
        out
    }

    pub fn has(&self, morph: usize) -> bool {
        self.starts.get(morph + 1) > self.starts.get(morph)
    }

    /// Adds `weight` times morph `morph`'s offsets to the UV channels.
    /// `touched[0]` tracks `uvs`, `touched[k]` tracks `additional[k - 1]`.
    pub fn apply(
        &self,
        morph: usize,
        weight: f32,
        uvs: &mut [[f32; 2]],
        additional: &mut [Vec<[f32; 4]>],
        touched: &mut [Touched],
    ) {
        let (Some(&s), Some(&e)) = (self.starts.get(morph), self.starts.get(morph + 1)) else {
            return;
        };
        let range = s as usize..e as usize;
        let channel = self.channel[morph] as usize;
        let items = self.vertex[range.clone()].iter().zip(&self.offset[range]);
        if channel == 0 {
            for (&v, off) in items {
                touched[0].mark(v);
                let uv = &mut uvs[v as usize];
                uv[0] += weight * off[0];
                uv[1] += weight * off[1];
            }
        } else {
            let target = &mut additional[channel - 1];
            for (&v, off) in items {
                touched[channel].mark(v);
                let uv = &mut target[v as usize];
                for k in 0..4 {
                    uv[k] += weight * off[k];
                }
            }
        }
    }
}
