//! Morphs, precomputed from a [`Model`] into flat arrays.
//!
//! Evaluation happens in two steps, both driven by `poser.rs`:
//! 1. [`group::MorphGraph::resolve`] turns the user's weights into a flat list
//!    of `(leaf morph, effective weight)` pairs, expanding group and flip
//!    morphs (once per evaluate).
//! 2. Each leaf is applied by its kind: [`vertex`] positions, [`uv`]
//!    coordinates, [`bone`] inputs to the skeleton, [`material`] parameters.

pub mod bone;
pub mod group;
pub mod material;
pub mod uv;
pub mod vertex;

use crate::error::Result;
use crate::model::Model;

/// All morph data of a model in the form the poser applies it.
#[derive(Debug, Clone)]
pub struct Morphs {
    pub graph: group::MorphGraph,
    pub vertex: vertex::VertexMorphs,
    pub uv: uv::UvMorphs,
    pub bone: bone::BoneMorphs,
    pub material: material::MaterialMorphs,
}

impl Morphs {
    /// Fails with `MorphCycle` when a group/flip morph reaches itself.
    pub fn new(model: &Model) -> Result<Morphs> {
        Ok(Morphs {
            graph: group::MorphGraph::new(model)?,
            vertex: vertex::VertexMorphs::new(model),
            uv: uv::UvMorphs::new(model),
            bone: bone::BoneMorphs::new(model),
            material: material::MaterialMorphs::new(model),
        })
    }
}
