//! The poser: a model's pose (morph weights, bone rotations and
//! translations) in, posed vertices, normals, UVs, material parameters and
//! bone matrices out. The update order is written down once, in
//! [`evaluate_pose`].
//!
//! Physics is not simulated: bones that rigid bodies would drive follow FK,
//! and impulse morphs are ignored.

use std::num::NonZeroUsize;
use std::sync::Arc;

use glam::{Mat4, Quat, Vec3};

use crate::error::{Error, ErrorKind, Result};
use crate::model::Model;
use crate::morph::bone::unit_or_identity;
use crate::morph::material::{MaterialParams, MaterialScratch};
use crate::morph::vertex::Touched;
use crate::morph::Morphs;
use crate::skeleton::{fk, Skeleton, SkeletonState};
use crate::skin::{self, BoneInputs, Outputs, Skin};

/// A model's posed state, as the renderer consumes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Posed {
    pub positions: Vec<[f32; 3]>,
    pub normals: Vec<[f32; 3]>,
    pub uvs: Vec<[f32; 2]>,
    pub additional_uvs: Vec<Vec<[f32; 4]>>,
    /// After material morphs.
    pub materials: Vec<MaterialParams>,
    /// World (global) transform of each bone, column-major.
    pub bone_matrices: Vec<[f32; 16]>,
    /// World × inverse bind (what skinning uses), column-major.
    pub skin_matrices: Vec<[f32; 16]>,
}

/// Head pose as a rotation for 首: `R = Ry(yaw) · Rx(pitch) · Rz(roll)`,
/// degrees, in MMD's left-handed Y-up space where the character faces -Z.
///
/// Signs (DESIGN.md; tests hold them): yaw = +90 takes (0, 0, -1) to
/// (+1, 0, 0) (face turns to the character's left); pitch = +90 takes
/// (0, 0, -1) to (0, +1, 0) (chin up); roll = +90 takes (0, 1, 0) to
/// (+1, 0, 0) (head tilts to the character's left shoulder). In glam's
/// right-handed quaternion terms that is `Ry(-yaw) · Rx(pitch) · Rz(-roll)`.
pub fn head_rotation(yaw_deg: f32, pitch_deg: f32, roll_deg: f32) -> Quat {
    Quat::from_rotation_y(-yaw_deg.to_radians())
        * Quat::from_rotation_x(pitch_deg.to_radians())
        * Quat::from_rotation_z(-roll_deg.to_radians())
}

/// Everything derived once from the model.
#[derive(Debug)]
struct Rig {
    morphs: Morphs,
    skeleton: Skeleton,
    skin: Skin,
    /// Bind attributes with exactly one entry per vertex (missing ones zero).
    positions: Vec<[f32; 3]>,
    normals: Vec<[f32; 3]>,
    uvs: Vec<[f32; 2]>,
    additional_uvs: Vec<Vec<[f32; 4]>>,
    materials: Vec<MaterialParams>,
}

/// The user's pose.
#[derive(Debug, Clone)]
struct Input {
    weights: Vec<f32>,
    rotations: Vec<Quat>,
    translations: Vec<Vec3>,
}

/// Scratch state of one evaluation, reused across evaluations.
#[derive(Debug)]
struct Work {
    resolved: Vec<(u32, f32)>,
    stack: Vec<(u32, f32)>,
    /// Bind positions plus vertex-morph offsets.
    morphed: Vec<[f32; 3]>,
    touched: Touched,
    uv_touched: Vec<Touched>,
    material: MaterialScratch,
    skeleton: SkeletonState,
    rotation: Vec<Quat>,
    dual: Vec<Quat>,
}

/// What one evaluation writes: always positions and normals (flat x, y, z);
/// the rest only for a full [`Posed`].
struct Target<'a> {
    positions: &'a mut [f32],
    normals: &'a mut [f32],
    extras: Option<Extras<'a>>,
}

struct Extras<'a> {
    uvs: &'a mut [[f32; 2]],
    additional_uvs: &'a mut [Vec<[f32; 4]>],
    materials: &'a mut [MaterialParams],
    bone_matrices: &'a mut [[f32; 16]],
    skin_matrices: &'a mut [[f32; 16]],
}

pub struct Poser {
    model: Arc<Model>,
    rig: Rig,
    input: Input,
    work: Work,
    posed: Posed,
}

fn poser_error(kind: ErrorKind, item: Option<usize>, message: impl Into<String>) -> Error {
    Error::new(kind, "poser", item, 0, message)
}

fn fit<T: Copy>(values: &[T], len: usize, fill: T) -> Vec<T> {
    let mut v: Vec<T> = values.iter().copied().take(len).collect();
    v.resize(len, fill);
    v
}

impl Rig {
    fn new(model: &Model) -> Result<Rig> {
        let v = model.vertices.len();
        let mut skin = Skin::new(model);
        // Vertices past the deform list (hand-built models) are unbound.
        skin.unbound
            .extend(model.vertices.deforms.len() as u32..v as u32);
        Ok(Rig {
            morphs: Morphs::new(model)?,
            skeleton: Skeleton::new(model),
            skin,
            positions: model.vertices.positions.clone(),
            normals: fit(&model.vertices.normals, v, [0.0; 3]),
            uvs: fit(&model.vertices.uvs, v, [0.0; 2]),
            additional_uvs: model
                .vertices
                .additional_uvs
                .iter()
                .map(|c| fit(c, v, [0.0; 4]))
                .collect(),
            materials: model
                .materials
                .iter()
                .map(MaterialParams::from_material)
                .collect(),
        })
    }
}

impl Work {
    fn new(rig: &Rig) -> Work {
        let v = rig.positions.len();
        let b = rig.skeleton.len();
        let rotations = if rig.skin.needs_rotations() { b } else { 0 };
        let duals = if rig.skin.needs_duals() { b } else { 0 };
        Work {
            resolved: Vec::with_capacity(rig.morphs.graph.leaf_bound()),
            stack: Vec::with_capacity(rig.morphs.graph.leaf_bound()),
            morphed: rig.positions.clone(),
            touched: Touched::new(v),
            uv_touched: (0..=rig.additional_uvs.len())
                .map(|_| Touched::new(v))
                .collect(),
            material: rig.morphs.material.scratch(rig.materials.len()),
            skeleton: rig.skeleton.state(),
            rotation: vec![Quat::IDENTITY; rotations],
            dual: vec![Quat::IDENTITY; duals],
        }
    }
}

/// One pose, in MMD's update order:
///
/// 1. **Morphs.** Group and flip morphs resolve to a flat list of leaf morphs
///    with effective weights; vertex morphs move the bind positions, UV morphs
///    the UVs, material morphs the material parameters, and bone morphs
///    become inputs to the skeleton.
/// 2. **Bones**, level by level in (transform level, index) order, skipping
///    after-physics bones: for each level, append transforms and FK for its
///    bones in order, then the IK solvers whose IK bone is in that level.
/// 3. **Physics**: not simulated (rigid-body bones follow FK).
/// 4. **After-physics bones**, level by level as in 2.
/// 5. **Skinning** with the skin matrices of 2–4.
fn evaluate_pose(rig: &Rig, input: &Input, work: &mut Work, target: Target) {
    let Target {
        positions,
        normals,
        mut extras,
    } = target;
    let morphs = &rig.morphs;
    let skel = &rig.skeleton;
    let st = &mut work.skeleton;

    // 1. Morphs.
    morphs
        .graph
        .resolve(&input.weights, &mut work.resolved, &mut work.stack);
    work.touched.restore(&mut work.morphed, &rig.positions);
    st.morph_rotation.fill(Quat::IDENTITY);
    st.morph_translation.fill(Vec3::ZERO);
    if let Some(x) = extras.as_mut() {
        work.uv_touched[0].restore(x.uvs, &rig.uvs);
        for (k, channel) in x.additional_uvs.iter_mut().enumerate() {
            work.uv_touched[k + 1].restore(channel, &rig.additional_uvs[k]);
        }
    }
    for &(m, w) in &work.resolved {
        let m = m as usize;
        if morphs.vertex.has(m) {
            morphs
                .vertex
                .apply(m, w, &mut work.morphed, &mut work.touched);
        } else if morphs.bone.has(m) {
            morphs
                .bone
                .apply(m, w, &mut st.morph_translation, &mut st.morph_rotation);
        } else if morphs.uv.has(m) {
            if let Some(x) = extras.as_mut() {
                morphs
                    .uv
                    .apply(m, w, x.uvs, x.additional_uvs, &mut work.uv_touched);
            }
        }
    }
    if let Some(x) = extras.as_mut() {
        morphs.material.evaluate(
            &rig.materials,
            &work.resolved,
            &mut work.material,
            x.materials,
        );
    }

    // 2. Bones before physics: FK + append per level, then that level's IK.
    fk::begin(skel, &input.rotations, &input.translations, st);
    for level in skel.levels.iter().filter(|l| !l.after_physics) {
        fk::update_level(skel, level, st);
        for ik in &skel.ik_solvers[level.iks.clone()] {
            ik.solve(skel, st);
        }
    }

    // 3. Physics: not simulated.

    // 4. After-physics bones, the same way.
    for level in skel.levels.iter().filter(|l| l.after_physics) {
        fk::update_level(skel, level, st);
        for ik in &skel.ik_solvers[level.iks.clone()] {
            ik.solve(skel, st);
        }
    }
    fk::finish(skel, st);

    // 5. Skinning.
    if rig.skin.needs_rotations() {
        let dual = rig.skin.needs_duals().then_some(&mut work.dual[..]);
        skin::rotations_and_duals(&st.skin, &st.at_rest, &mut work.rotation, dual);
    }
    let bones = BoneInputs {
        skin: &st.skin,
        at_rest: &st.at_rest,
        rotation: &work.rotation,
        dual: &work.dual,
    };
    let mut out = Outputs { positions, normals };
    rig.skin
        .apply(&bones, &work.morphed, &rig.normals, &mut out);

    if let Some(x) = extras {
        for (o, w) in x.bone_matrices.iter_mut().zip(&st.world) {
            *o = Mat4::from(*w).to_cols_array();
        }
        for (o, s) in x.skin_matrices.iter_mut().zip(&st.skin) {
            *o = Mat4::from(*s).to_cols_array();
        }
    }
}

impl Poser {
    /// Fails with `MorphCycle` when a group/flip morph reaches itself.
    pub fn new(model: Arc<Model>) -> Result<Poser> {
        let rig = Rig::new(&model)?;
        let bones = model.bones.len();
        let input = Input {
            weights: vec![0.0; model.morphs.len()],
            rotations: vec![Quat::IDENTITY; bones],
            translations: vec![Vec3::ZERO; bones],
        };
        let work = Work::new(&rig);
        let identity = Mat4::IDENTITY.to_cols_array();
        let posed = Posed {
            positions: rig.positions.clone(),
            normals: rig.normals.clone(),
            uvs: rig.uvs.clone(),
            additional_uvs: rig.additional_uvs.clone(),
            materials: rig.materials.clone(),
            bone_matrices: vec![identity; bones],
            skin_matrices: vec![identity; bones],
        };
        Ok(Poser {
            model,
            rig,
            input,
            work,
            posed,
        })
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Sets morph `index`'s weight (any finite value; not clamped).
    pub fn set_morph(&mut self, index: usize, weight: f32) -> Result<()> {
        let count = self.input.weights.len();
        let slot = self.input.weights.get_mut(index).ok_or_else(|| {
            poser_error(
                ErrorKind::IndexOutOfRange,
                Some(index),
                format!("morph index {index} out of range (model has {count} morphs)"),
            )
        })?;
        if !weight.is_finite() {
            return Err(poser_error(
                ErrorKind::InvalidValue,
                Some(index),
                format!("morph weight {weight} is not finite"),
            ));
        }
        *slot = weight;
        Ok(())
    }

    pub fn set_morph_by_name(&mut self, name: &str, weight: f32) -> Result<()> {
        let index = self.model.morph_index(name).ok_or_else(|| {
            poser_error(
                ErrorKind::UnknownName,
                None,
                format!("no morph named '{name}'"),
            )
        })?;
        self.set_morph(index, weight)
    }

    fn check_bone(&self, bone: usize) -> Result<()> {
        let count = self.input.rotations.len();
        if bone < count {
            Ok(())
        } else {
            Err(poser_error(
                ErrorKind::IndexOutOfRange,
                Some(bone),
                format!("bone index {bone} out of range (model has {count} bones)"),
            ))
        }
    }

    /// Sets bone `bone`'s rotation in its local frame (MMD's bone frame, as
    /// VMD stores it). Normalised; a zero quaternion means no rotation.
    pub fn set_bone_rotation(&mut self, bone: usize, rotation: Quat) -> Result<()> {
        self.check_bone(bone)?;
        if !rotation.is_finite() {
            return Err(poser_error(
                ErrorKind::InvalidValue,
                Some(bone),
                "bone rotation is not finite",
            ));
        }
        self.input.rotations[bone] = unit_or_identity(rotation);
        Ok(())
    }

    /// Sets bone `bone`'s translation from its rest position (parent frame).
    pub fn set_bone_translation(&mut self, bone: usize, translation: Vec3) -> Result<()> {
        self.check_bone(bone)?;
        if !translation.is_finite() {
            return Err(poser_error(
                ErrorKind::InvalidValue,
                Some(bone),
                "bone translation is not finite",
            ));
        }
        self.input.translations[bone] = translation;
        Ok(())
    }

    /// Back to the zero pose: no morph, no bone rotation or translation.
    pub fn reset(&mut self) {
        self.input.weights.fill(0.0);
        self.input.rotations.fill(Quat::IDENTITY);
        self.input.translations.fill(Vec3::ZERO);
    }

    /// Poses the model in MMD's update order (morphs → bones level by level,
    /// FK + append then IK → after-physics bones → skinning; see
    /// `evaluate_pose`, where the order is written out). Allocates nothing
    /// after construction; the zero pose reproduces the bind pose bit for bit.
    pub fn evaluate(&mut self) -> &Posed {
        let p = &mut self.posed;
        let target = Target {
            positions: p.positions.as_flattened_mut(),
            normals: p.normals.as_flattened_mut(),
            extras: Some(Extras {
                uvs: &mut p.uvs,
                additional_uvs: &mut p.additional_uvs,
                materials: &mut p.materials,
                bone_matrices: &mut p.bone_matrices,
                skin_matrices: &mut p.skin_matrices,
            }),
        };
        evaluate_pose(&self.rig, &self.input, &mut self.work, target);
        &self.posed
    }

    /// Many poses of one model in one call. `morph_weights` is N×M dense (M
    /// = morph count), `bone_rotations` N×K quaternions (x, y, z, w) for the
    /// K bones listed in `bones`; N×V×3 positions and normals are written to
    /// the flat output slices. Pose `i` is this poser's current pose with all
    /// morph weights replaced by row `i` and the listed bones' rotations by
    /// row `i` (normalised as by `set_bone_rotation`), so it equals setting
    /// those and calling [`Poser::evaluate`]. The poser itself is unchanged.
    ///
    /// Poses are spread over all available cores (`std::thread::scope`, each
    /// thread with its own scratch state) when there are at least 16 per
    /// thread; see [`Poser::evaluate_batch_on`] to choose the thread count.
    pub fn evaluate_batch(
        &self,
        morph_weights: &[f32],
        bones: &[usize],
        bone_rotations: &[[f32; 4]],
        positions_out: &mut [f32],
        normals_out: &mut [f32],
    ) -> Result<()> {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        self.evaluate_batch_on(
            cores,
            morph_weights,
            bones,
            bone_rotations,
            positions_out,
            normals_out,
        )
    }

    /// [`Poser::evaluate_batch`] on at most `threads` threads (0 or 1: on
    /// the calling thread only). A process that already runs one worker per
    /// core (the render service) wants 1; the results are identical either way.
    pub fn evaluate_batch_on(
        &self,
        threads: usize,
        morph_weights: &[f32],
        bones: &[usize],
        bone_rotations: &[[f32; 4]],
        positions_out: &mut [f32],
        normals_out: &mut [f32],
    ) -> Result<()> {
        let m = self.input.weights.len();
        let k = bones.len();
        let stride = self.rig.positions.len() * 3;
        let n = morph_weights
            .len()
            .checked_div(m)
            .or_else(|| bone_rotations.len().checked_div(k))
            .or_else(|| positions_out.len().checked_div(stride))
            .unwrap_or(0);
        let check_len = |what: &str, got: usize, want: usize| {
            if got == want {
                Ok(())
            } else {
                Err(poser_error(
                    ErrorKind::InvalidValue,
                    None,
                    format!("{what} has {got} values, expected {want} for {n} poses"),
                ))
            }
        };
        check_len("morph_weights", morph_weights.len(), n * m)?;
        check_len("bone_rotations", bone_rotations.len(), n * k)?;
        check_len("positions_out", positions_out.len(), n * stride)?;
        check_len("normals_out", normals_out.len(), n * stride)?;
        for &b in bones {
            self.check_bone(b)?;
        }
        if let Some(i) = morph_weights.iter().position(|w| !w.is_finite()) {
            return Err(poser_error(
                ErrorKind::InvalidValue,
                Some(i % m.max(1)),
                format!(
                    "morph weight {} of pose {} is not finite",
                    i % m.max(1),
                    i / m.max(1)
                ),
            ));
        }
        if let Some(i) = bone_rotations
            .iter()
            .position(|q| !q.iter().all(|x| x.is_finite()))
        {
            return Err(poser_error(
                ErrorKind::InvalidValue,
                Some(bones[i % k]),
                format!(
                    "rotation of bone {} in pose {} is not finite",
                    bones[i % k],
                    i / k
                ),
            ));
        }
        if n == 0 {
            return Ok(());
        }

        let run = |first: usize, positions: &mut [f32], normals: &mut [f32]| {
            let mut work = Work::new(&self.rig);
            let mut input = self.input.clone();
            let poses = positions.len() / stride.max(1);
            let poses = if stride == 0 { n - first } else { poses };
            for j in 0..poses {
                let i = first + j;
                input
                    .weights
                    .copy_from_slice(&morph_weights[i * m..(i + 1) * m]);
                for (&b, q) in bones.iter().zip(&bone_rotations[i * k..(i + 1) * k]) {
                    input.rotations[b] = unit_or_identity(Quat::from_array(*q));
                }
                let range = j * stride..(j + 1) * stride;
                let target = Target {
                    positions: &mut positions[range.clone()],
                    normals: &mut normals[range],
                    extras: None,
                };
                evaluate_pose(&self.rig, &input, &mut work, target);
            }
        };

        let threads = threads.min(n / MIN_POSES_PER_THREAD).max(1);
        if threads == 1 || stride == 0 {
            run(0, positions_out, normals_out);
            return Ok(());
        }
        let per = n.div_ceil(threads);
        std::thread::scope(|scope| {
            let chunks = positions_out
                .chunks_mut(per * stride)
                .zip(normals_out.chunks_mut(per * stride))
                .enumerate();
            for (t, (positions, normals)) in chunks {
                let run = &run;
                scope.spawn(move || run(t * per, positions, normals));
            }
        });
        Ok(())
    }
}

/// Below this many poses per thread, spawning costs more than it saves.
const MIN_POSES_PER_THREAD: usize = 16;
