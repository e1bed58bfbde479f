//! Group and flip morphs: resolving the user's weights to a flat list of
//! (leaf morph, effective weight) pairs.
//!
//! - A **group** morph at weight `w` applies each child `c` (stored weight
//!   `cw`) at `w * cw`. Groups nest, so weights multiply along the path
//!   (a 0.5 group inside a 0.5 group gives its children 0.25).
//! - A **flip** morph (PMX 2.1) applies exactly one child, chosen by its own
//!   weight: with `n` children, the weight clamped to `[0, 1]` is split into
//!   `n + 1` equal bins; bin 0 applies nothing and bin `k` applies child
//!   `k - 1` at that child's *stored* weight (not scaled by the flip's
//!   weight); a weight of exactly 1 picks the last child. This is the rule of
//!   libvpvl2/MMDAgent (`index = floor((n + 1) * w) - 1`).
//! - An **impulse** morph acts on rigid bodies; physics is not simulated, so
//!   it is accepted and ignored.
//!
//! Weights are never clamped (negative and >1 pass through groups); only the
//! flip's child selection clamps its weight. Children with an index outside
//! the morph table are ignored. A group/flip that reaches itself again is a
//! [`ErrorKind::MorphCycle`], reported by [`MorphGraph::new`], so resolution
//! itself can never loop.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{Model, MorphKind, MorphOffsets};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Node {
    /// Vertex, bone, UV or material morph: applied directly.
    Leaf,
    /// Applies all children, weights multiplied.
    Group,
    /// Applies one child chosen by the weight.
    Flip,
    /// Impulse morph: nothing to do without physics.
    Ignored,
}

/// The group/flip structure of a model's morphs, checked for cycles.
#[derive(Debug, Clone)]
pub struct MorphGraph {
    nodes: Vec<Node>,
    /// Children of morph `i` are `children[starts[i]..starts[i + 1]]`.
    starts: Vec<u32>,
    children: Vec<(u32, f32)>,
    /// Upper bound of leaves one resolve can produce (capped), used to size
    /// the scratch list once.
    leaf_bound: usize,
}

const LEAF_BOUND_CAP: usize = 1 << 16;

impl MorphGraph {
    pub fn new(model: &Model) -> Result<MorphGraph> {
        let count = model.morphs.len();
        let mut nodes = Vec::with_capacity(count);
        let mut starts = Vec::with_capacity(count + 1);
        let mut children = Vec::new();
        starts.push(0u32);
        for morph in &model.morphs {
            let (node, items) = match (&morph.kind, &morph.offsets) {
                (MorphKind::Group, MorphOffsets::Group(items)) => (Node::Group, Some(items)),
                (MorphKind::Flip, MorphOffsets::Flip(items))
                | (MorphKind::Flip, MorphOffsets::Group(items)) => (Node::Flip, Some(items)),
                (MorphKind::Group, MorphOffsets::Flip(items)) => (Node::Group, Some(items)),
                (MorphKind::Impulse, _) => (Node::Ignored, None),
                _ => (Node::Leaf, None),
            };
            if let Some(items) = items {
                for item in items {
                    if item.morph >= 0 && (item.morph as usize) < count {
                        children.push((item.morph as u32, item.weight));
                    }
                }
            }
            nodes.push(node);
            starts.push(children.len() as u32);
        }
        let mut graph = MorphGraph {
            nodes,
            starts,
            children,
            leaf_bound: 0,
        };
        graph.leaf_bound = graph.check_cycles(model)?;
        Ok(graph)
    }

    fn children_of(&self, morph: usize) -> &[(u32, f32)] {
        &self.children[self.starts[morph] as usize..self.starts[morph + 1] as usize]
    }

    /// Depth-first search over group/flip edges (iterative, so deep nesting
    /// cannot overflow the stack). Returns the bound on resolved leaves.
    fn check_cycles(&self, model: &Model) -> Result<usize> {
        const WHITE: u8 = 0;
        const GREY: u8 = 1;
        const BLACK: u8 = 2;
        let count = self.nodes.len();
        let mut colour = vec![WHITE; count];
        // Leaves reachable from each morph (a flip counts its largest child).
        let mut leaves = vec![0usize; count];
        let mut stack: Vec<(usize, usize)> = Vec::new();
        for root in 0..count {
            if colour[root] != WHITE {
                continue;
            }
            colour[root] = GREY;
            stack.push((root, 0));
            while let Some(&mut (morph, ref mut next)) = stack.last_mut() {
                let kids = self.children_of(morph);
                if *next < kids.len() {
                    let child = kids[*next].0 as usize;
                    *next += 1;
                    match colour[child] {
                        WHITE => {
                            colour[child] = GREY;
                            stack.push((child, 0));
                        }
                        GREY => {
                            let name = &model.morphs[child].name;
                            return Err(Error::new(
                                ErrorKind::MorphCycle,
                                "poser",
                                Some(child),
                                0,
                                format!(
                                    "morph {child} '{name}' reaches itself through group/flip morphs"
                                ),
                            ));
                        }
                        _ => {}
                    }
                } else {
                    colour[morph] = BLACK;
                    leaves[morph] = match self.nodes[morph] {
                        Node::Leaf => 1,
                        Node::Ignored => 0,
                        Node::Group => kids
                            .iter()
                            .fold(0usize, |a, &(c, _)| a.saturating_add(leaves[c as usize])),
                        Node::Flip => kids
                            .iter()
                            .map(|&(c, _)| leaves[c as usize])
                            .max()
                            .unwrap_or(0),
                    };
                    stack.pop();
                }
            }
        }
        Ok(leaves
            .iter()
            .fold(0usize, |a, &n| a.saturating_add(n))
            .min(LEAF_BOUND_CAP))
    }

    /// Capacity to reserve for [`MorphGraph::resolve`]'s output.
    pub fn leaf_bound(&self) -> usize {
        self.leaf_bound
    }

    /// Expands `weights` (one per morph; zero means inactive) into leaf
    /// morphs with their effective weights, in morph order (children in
    /// stored order). `out` is cleared first; `stack` is scratch.
    pub fn resolve(&self, weights: &[f32], out: &mut Vec<(u32, f32)>, stack: &mut Vec<(u32, f32)>) {
        out.clear();
        for (morph, &weight) in weights.iter().enumerate().take(self.nodes.len()) {
            if weight == 0.0 {
                continue;
            }
            stack.clear();
            stack.push((morph as u32, weight));
            while let Some((m, w)) = stack.pop() {
                let m = m as usize;
                match self.nodes[m] {
                    Node::Leaf => out.push((m as u32, w)),
                    Node::Ignored => {}
                    Node::Group => {
                        for &(child, cw) in self.children_of(m).iter().rev() {
                            let cw = w * cw;
                            if cw != 0.0 {
                                stack.push((child, cw));
                            }
                        }
                    }
                    Node::Flip => {
                        if let Some((child, cw)) = flip_child(self.children_of(m), w) {
                            if cw != 0.0 {
                                stack.push((child, cw));
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The child a flip morph applies at `weight`, with the weight it applies it
/// at (its stored weight), or `None` in the first bin.
pub fn flip_child(children: &[(u32, f32)], weight: f32) -> Option<(u32, f32)> {
    let n = children.len();
    if n == 0 || weight.is_nan() {
        return None;
    }
    let w = weight.clamp(0.0, 1.0);
    let bin = ((n + 1) as f32 * w).floor() as usize;
    if bin == 0 {
        return None;
    }
    Some(children[(bin - 1).min(n - 1)])
}
