//! `animeceleb._core.Poser`: morph weights and bone rotations in, posed
//! vertices out. Evaluation runs without the GIL so other Python threads
//! (the renderer's readback, a server's I/O) keep going.

use std::sync::Arc;

use glam::{Quat, Vec3};
use numpy::{
    AllowTypeChange, PyArray1, PyArrayLike2, PyArrayLike3, PyArrayMethods, PyUntypedArrayMethods,
};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::arrays::matrix;
use super::error::to_py;
use super::model::PyModel;
use crate::poser::{head_rotation as head_quat, Posed, Poser};
use crate::MaterialParams;

/// Columns of `Posed.materials`, in order.
pub const MATERIAL_COLUMNS: usize = 40;

#[pyclass(module = "animeceleb._core", name = "Poser")]
pub struct PyPoser {
    model: Py<PyModel>,
    poser: Poser,
}

impl PyPoser {
    pub fn new(model: &Bound<'_, PyModel>) -> PyResult<PyPoser> {
        let poser = Poser::new(Arc::clone(&model.get().model)).map_err(to_py)?;
        Ok(PyPoser {
            model: model.clone().unbind(),
            poser,
        })
    }
}

fn material_row(m: &MaterialParams) -> [f32; MATERIAL_COLUMNS] {
    let mut row = [0.0f32; MATERIAL_COLUMNS];
    let parts: [&[f32]; 12] = [
        &m.diffuse,
        &m.specular,
        std::slice::from_ref(&m.specularity),
        &m.ambient,
        &m.edge_color,
        std::slice::from_ref(&m.edge_size),
        &m.texture_mul,
        &m.texture_add,
        &m.sphere_mul,
        &m.sphere_add,
        &m.toon_mul,
        &m.toon_add,
    ];
    let mut at = 0;
    for p in parts {
        row[at..at + p.len()].copy_from_slice(p);
        at += p.len();
    }
    row
}

/// Column-major 4x4 → row-major, so `m @ [x, y, z, 1]` works in numpy.
fn row_major(c: &[f32; 16]) -> [f32; 16] {
    std::array::from_fn(|k| c[(k % 4) * 4 + k / 4])
}

#[pymethods]
impl PyPoser {
    #[getter]
    fn model(&self, py: Python<'_>) -> Py<PyModel> {
        self.model.clone_ref(py)
    }

    /// Set a morph's weight by name or index. Weights are not clamped.
    fn set_morph(&mut self, py: Python<'_>, morph: &Bound<'_, PyAny>, weight: f32) -> PyResult<()> {
        let i = self.model.bind(py).get().resolve_morph(morph)?;
        self.poser.set_morph(i, weight).map_err(to_py)
    }

    /// Rotate a bone in its local frame by yaw, pitch, roll in degrees:
    /// R = Ry(yaw)·Rx(pitch)·Rz(roll); +yaw turns the face to the character's
    /// left, +pitch lifts the chin, +roll tilts toward the left shoulder.
    fn set_bone_rotation(
        &mut self,
        py: Python<'_>,
        bone: &Bound<'_, PyAny>,
        yaw: f32,
        pitch: f32,
        roll: f32,
    ) -> PyResult<()> {
        let i = self.model.bind(py).get().resolve_bone(bone)?;
        self.poser
            .set_bone_rotation(i, head_quat(yaw, pitch, roll))
            .map_err(to_py)
    }

    /// Rotate a bone by a quaternion (x, y, z, w) in its local frame.
    fn set_bone_quaternion(
        &mut self,
        py: Python<'_>,
        bone: &Bound<'_, PyAny>,
        quaternion: [f32; 4],
    ) -> PyResult<()> {
        let i = self.model.bind(py).get().resolve_bone(bone)?;
        let q = Quat::from_array(quaternion);
        if !q.is_finite() || q.length_squared() == 0.0 {
            return Err(PyValueError::new_err(
                "quaternion must be finite and non-zero",
            ));
        }
        self.poser
            .set_bone_rotation(i, q.normalize())
            .map_err(to_py)
    }

    /// Move a bone by a translation in model units.
    fn set_bone_translation(
        &mut self,
        py: Python<'_>,
        bone: &Bound<'_, PyAny>,
        translation: [f32; 3],
    ) -> PyResult<()> {
        let i = self.model.bind(py).get().resolve_bone(bone)?;
        self.poser
            .set_bone_translation(i, Vec3::from_array(translation))
            .map_err(to_py)
    }

    /// Back to the bind pose: every morph 0, every bone unrotated.
    fn reset(&mut self) {
        self.poser.reset();
    }

    /// Pose and skin the model with the current settings.
    fn evaluate(&mut self, py: Python<'_>) -> PyResult<PyPosed> {
        let poser = &mut self.poser;
        let posed = py.allow_threads(move || poser.evaluate().clone());
        PyPosed::from_posed(py, posed)
    }

    /// Evaluate N poses at once. `morph_weights` is (N, M) float32 over all M
    /// morphs; `rotations` is (N, K, 3) yaw/pitch/roll degrees for the K
    /// `bones`. Returns (positions, normals), each (N, V, 3) float32.
    #[pyo3(signature = (morph_weights, bones=Vec::new(), rotations=None))]
    fn evaluate_batch<'py>(
        &self,
        py: Python<'py>,
        // Any real array-like (float64, lists) is converted to float32 once here.
        morph_weights: PyArrayLike2<'py, f32, AllowTypeChange>,
        bones: Vec<Bound<'py, PyAny>>,
        rotations: Option<PyArrayLike3<'py, f32, AllowTypeChange>>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let model = self.model.bind(py).get();
        let (n, m) = (morph_weights.shape()[0], morph_weights.shape()[1]);
        if m != model.model.morphs.len() {
            return Err(PyValueError::new_err(format!(
                "morph_weights has {m} columns, the model has {} morphs",
                model.model.morphs.len()
            )));
        }
        let bone_ids = bones
            .iter()
            .map(|b| model.resolve_bone(b))
            .collect::<PyResult<Vec<_>>>()?;
        let mut quats: Vec<[f32; 4]> = Vec::with_capacity(n * bone_ids.len());
        match &rotations {
            Some(r) => {
                let s = r.shape();
                if s != [n, bone_ids.len(), 3] {
                    return Err(PyValueError::new_err(format!(
                        "rotations must be ({n}, {}, 3), got {s:?}",
                        bone_ids.len()
                    )));
                }
                let r = r.as_array();
                for p in 0..n {
                    for k in 0..bone_ids.len() {
                        quats.push(head_quat(r[[p, k, 0]], r[[p, k, 1]], r[[p, k, 2]]).to_array());
                    }
                }
            }
            None if bone_ids.is_empty() => {}
            None => return Err(PyValueError::new_err("bones given without rotations")),
        }
        let weights: Vec<f32> = morph_weights.as_array().iter().copied().collect();
        let v = model.model.vertices.len();
        let len = n
            .checked_mul(v)
            .and_then(|x| x.checked_mul(3))
            .ok_or_else(|| PyValueError::new_err("batch too large"))?;
        let mut positions = vec![0.0f32; len];
        let mut normals = vec![0.0f32; len];
        let poser = &self.poser;
        py.allow_threads(|| {
            poser.evaluate_batch(&weights, &bone_ids, &quats, &mut positions, &mut normals)
        })
        .map_err(to_py)?;
        Ok((
            PyArray1::from_vec(py, positions)
                .reshape([n, v, 3])?
                .into_any(),
            PyArray1::from_vec(py, normals)
                .reshape([n, v, 3])?
                .into_any(),
        ))
    }
}

/// One evaluated pose. Arrays are fresh per evaluation and owned by numpy.
#[pyclass(frozen, get_all, module = "animeceleb._core", name = "Posed")]
pub struct PyPosed {
    /// (V,3) float32 posed positions.
    positions: Py<PyAny>,
    /// (V,3) float32 posed unit normals.
    normals: Py<PyAny>,
    /// (V,2) float32 UVs after UV morphs.
    uvs: Py<PyAny>,
    /// (K,V,4) float32 additional UVs after their morphs.
    additional_uvs: Py<PyAny>,
    /// (M,40) float32 per material after material morphs: diffuse 4, specular 3,
    /// specularity 1, ambient 3, edge colour 4, edge size 1, texture mul 4,
    /// texture add 4, sphere mul 4, sphere add 4, toon mul 4, toon add 4.
    materials: Py<PyAny>,
    /// (B,4,4) float32 world transform of each bone (row-major, column vectors).
    bone_matrices: Py<PyAny>,
    /// (B,4,4) float32 world × inverse bind: what skinning applies.
    skin_matrices: Py<PyAny>,
}

impl PyPosed {
    fn from_posed(py: Python<'_>, p: Posed) -> PyResult<PyPosed> {
        let k = p.additional_uvs.len();
        let v = p.positions.len();
        let add: Vec<f32> = p.additional_uvs.into_iter().flatten().flatten().collect();
        let b = p.bone_matrices.len();
        let bone: Vec<f32> = p.bone_matrices.iter().flat_map(row_major).collect();
        let skin: Vec<f32> = p.skin_matrices.iter().flat_map(row_major).collect();
        Ok(PyPosed {
            positions: matrix(py, p.positions)?.unbind(),
            normals: matrix(py, p.normals)?.unbind(),
            uvs: matrix(py, p.uvs)?.unbind(),
            additional_uvs: PyArray1::from_vec(py, add)
                .reshape([k, v, 4])?
                .into_any()
                .unbind(),
            materials: matrix(py, p.materials.iter().map(material_row).collect())?.unbind(),
            bone_matrices: PyArray1::from_vec(py, bone)
                .reshape([b, 4, 4])?
                .into_any()
                .unbind(),
            skin_matrices: PyArray1::from_vec(py, skin)
                .reshape([b, 4, 4])?
                .into_any()
                .unbind(),
        })
    }
}

/// The head-pose quaternion (x, y, z, w) for yaw, pitch, roll in degrees.
#[pyfunction]
pub fn head_rotation(yaw: f32, pitch: f32, roll: f32) -> [f32; 4] {
    head_quat(yaw, pitch, roll).to_array()
}
