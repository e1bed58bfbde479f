//! `animeceleb._core.Model`: a parsed model, its arrays as numpy, its tables
//! as lists of read-only items. Arrays and lists are built on first access and
//! cached; the model itself is immutable and shared with posers.

use std::sync::{Arc, OnceLock};

use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyTypeError};
use pyo3::prelude::*;

use super::arrays::{matrix, read_only, vector};
use super::error::to_py;
use super::items;
use super::poser::PyPoser;
use crate::error::{Error, ErrorKind};
use crate::model::{Deform, Model, MorphOffsets, SourceFormat};
use crate::{parse, write};

type Cache = OnceLock<Py<PyAny>>;

#[pyclass(frozen, module = "animeceleb._core", name = "Model")]
pub struct PyModel {
    pub(crate) model: Arc<Model>,
    path: Option<String>,
    positions: Cache,
    normals: Cache,
    uvs: Cache,
    additional_uvs: Cache,
    faces: Cache,
    deform_kinds: Cache,
    deform_bones: Cache,
    deform_weights: Cache,
    edge_scales: Cache,
    materials: Cache,
    bones: Cache,
    morphs: Cache,
    rigid_bodies: Cache,
    joints: Cache,
    soft_bodies: Cache,
    display_frames: Cache,
}

impl PyModel {
    pub fn new(model: Model, path: Option<String>) -> Self {
        PyModel {
            model: Arc::new(model),
            path,
            positions: Cache::new(),
            normals: Cache::new(),
            uvs: Cache::new(),
            additional_uvs: Cache::new(),
            faces: Cache::new(),
            deform_kinds: Cache::new(),
            deform_bones: Cache::new(),
            deform_weights: Cache::new(),
            edge_scales: Cache::new(),
            materials: Cache::new(),
            bones: Cache::new(),
            morphs: Cache::new(),
            rigid_bodies: Cache::new(),
            joints: Cache::new(),
            soft_bodies: Cache::new(),
            display_frames: Cache::new(),
        }
    }

    /// Return the cached value, building it on first use.
    fn cached<'py>(
        py: Python<'py>,
        cell: &Cache,
        build: impl FnOnce() -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(v) = cell.get() {
            return Ok(v.bind(py).clone());
        }
        let v = build()?;
        // Another thread may have won the race; either value is equivalent.
        let _ = cell.set(v.clone().unbind());
        Ok(v)
    }

    /// Bones and weights of every vertex as (V,4) slots; unused slots are -1 / 0.
    fn deform_slots(&self) -> (Vec<[i32; 4]>, Vec<[f32; 4]>) {
        let d = &self.model.vertices.deforms;
        let mut bones = Vec::with_capacity(d.len());
        let mut weights = Vec::with_capacity(d.len());
        for deform in d {
            let (b, w) = match *deform {
                Deform::Bdef1 { bone } => ([bone, -1, -1, -1], [1.0, 0.0, 0.0, 0.0]),
                Deform::Bdef2 {
                    bones: [a, b],
                    weight,
                }
                | Deform::Sdef {
                    bones: [a, b],
                    weight,
                    ..
                } => ([a, b, -1, -1], [weight, 1.0 - weight, 0.0, 0.0]),
                Deform::Bdef4 { bones, weights } | Deform::Qdef { bones, weights } => {
                    (bones, weights)
                }
            };
            bones.push(b);
            weights.push(w);
        }
        (bones, weights)
    }

    pub fn resolve_morph(&self, key: &Bound<'_, PyAny>) -> PyResult<usize> {
        resolve(
            key,
            self.model.morphs.len(),
            |n| self.model.morph_index(n),
            "morph",
        )
    }

    pub fn resolve_bone(&self, key: &Bound<'_, PyAny>) -> PyResult<usize> {
        resolve(
            key,
            self.model.bones.len(),
            |n| self.model.bone_index(n),
            "bone",
        )
    }
}

/// A name or an index into a table of `len` entries.
pub fn resolve(
    key: &Bound<'_, PyAny>,
    len: usize,
    by_name: impl Fn(&str) -> Option<usize>,
    what: &str,
) -> PyResult<usize> {
    if let Ok(name) = key.extract::<String>() {
        return by_name(&name)
            .ok_or_else(|| PyKeyError::new_err(format!("no {what} named {name:?}")));
    }
    if let Ok(i) = key.extract::<i64>() {
        return usize::try_from(i).ok().filter(|&i| i < len).ok_or_else(|| {
            PyIndexError::new_err(format!("{what} index {i} out of range 0..{len}"))
        });
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a name (str) or an index (int)"
    )))
}

fn load(path: &str) -> Result<Model, Error> {
    parse::parse_file(std::path::Path::new(path))
}

/// Parse a .pmx or .pmd file. Raises PmxError on malformed input.
#[pyfunction]
pub fn load_model(py: Python<'_>, path: std::path::PathBuf) -> PyResult<PyModel> {
    let p = path.to_string_lossy().into_owned();
    let model = py.allow_threads(|| load(&p)).map_err(to_py)?;
    Ok(PyModel::new(model, Some(p)))
}

/// Parse a model from bytes already in memory.
#[pyfunction]
pub fn parse_bytes(py: Python<'_>, data: &[u8]) -> PyResult<PyModel> {
    let model = py.allow_threads(|| parse::parse(data)).map_err(to_py)?;
    Ok(PyModel::new(model, None))
}

fn from_json(text: &str) -> Result<Model, Error> {
    serde_json::from_str(text).map_err(|e| {
        Error::new(
            ErrorKind::InvalidValue,
            "json",
            None,
            e.column(),
            format!("model JSON: {e}"),
        )
    })
}

/// Build a model from its JSON description (the serde layout of the core's `Model`).
#[pyfunction]
pub fn model_from_json(text: &str) -> PyResult<PyModel> {
    Ok(PyModel::new(from_json(text).map_err(to_py)?, None))
}

/// Write a model given as JSON to a PMX file with the core's writer.
#[pyfunction]
pub fn write_model_json(py: Python<'_>, text: &str, path: std::path::PathBuf) -> PyResult<()> {
    py.allow_threads(|| write::write_pmx_file(&from_json(text)?, &path))
        .map_err(to_py)
}

#[pymethods]
impl PyModel {
    /// The file this model was read from, or None.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.clone()
    }
    /// "pmx" or "pmd".
    #[getter]
    fn format(&self) -> &'static str {
        match self.model.header.format {
            SourceFormat::Pmx => "pmx",
            SourceFormat::Pmd => "pmd",
        }
    }
    /// 2.0 / 2.1 for PMX, 1.0 for PMD (rounded to one decimal, as the format means it).
    #[getter]
    fn format_version(&self) -> f64 {
        (f64::from(self.model.header.version) * 10.0).round() / 10.0
    }
    #[getter]
    fn encoding(&self) -> &'static str {
        self.model.header.encoding.as_str()
    }
    #[getter]
    fn name(&self) -> &str {
        &self.model.name
    }
    #[getter]
    fn name_en(&self) -> &str {
        &self.model.name_en
    }
    #[getter]
    fn comment(&self) -> &str {
        &self.model.comment
    }
    #[getter]
    fn comment_en(&self) -> &str {
        &self.model.comment_en
    }
    #[getter]
    fn additional_uv_count(&self) -> u8 {
        self.model.header.additional_uv_count
    }
    #[getter]
    fn vertex_count(&self) -> usize {
        self.model.vertices.len()
    }
    #[getter]
    fn face_count(&self) -> usize {
        self.model.faces.len()
    }
    /// (V,3) float32 bind-pose positions, as stored.
    #[getter]
    fn positions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.positions, || {
            read_only(matrix(py, self.model.vertices.positions.clone())?)
        })
    }
    #[getter]
    fn normals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.normals, || {
            read_only(matrix(py, self.model.vertices.normals.clone())?)
        })
    }
    #[getter]
    fn uvs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.uvs, || {
            read_only(matrix(py, self.model.vertices.uvs.clone())?)
        })
    }
    /// (K,V,4) float32: the K additional UV channels.
    #[getter]
    fn additional_uvs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.additional_uvs, || {
            let v = &self.model.vertices;
            let k = v.additional_uvs.len();
            let flat: Vec<f32> = v
                .additional_uvs
                .iter()
                .flatten()
                .flatten()
                .copied()
                .collect();
            read_only(
                PyArray1::from_vec(py, flat)
                    .reshape([k, v.len(), 4])?
                    .into_any(),
            )
        })
    }
    /// (F,3) uint32 triangles, winding as stored.
    #[getter]
    fn faces<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.faces, || {
            read_only(matrix(py, self.model.faces.clone())?)
        })
    }
    /// (V,) uint8: 0 BDEF1, 1 BDEF2, 2 BDEF4, 3 SDEF, 4 QDEF.
    #[getter]
    fn deform_kinds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.deform_kinds, || {
            let kinds = self
                .model
                .vertices
                .deforms
                .iter()
                .map(Deform::kind)
                .collect();
            read_only(vector(py, kinds))
        })
    }
    /// (V,4) int32 bone of each weight slot; unused slots are -1.
    #[getter]
    fn deform_bones<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.deform_bones, || {
            read_only(matrix(py, self.deform_slots().0)?)
        })
    }
    /// (V,4) float32 weight of each slot (BDEF2/SDEF: w, 1-w).
    #[getter]
    fn deform_weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.deform_weights, || {
            read_only(matrix(py, self.deform_slots().1)?)
        })
    }
    /// (V,) float32 per-vertex edge (outline) scale.
    #[getter]
    fn edge_scales<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.edge_scales, || {
            read_only(vector(py, self.model.vertices.edge_scales.clone()))
        })
    }
    /// Texture paths exactly as stored in the file.
    #[getter]
    fn textures(&self) -> Vec<String> {
        self.model.textures.clone()
    }
    #[getter]
    fn materials<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.materials, || {
            Ok(items::materials(py, &self.model.materials)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn bones<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.bones, || {
            Ok(items::bones(py, &self.model.bones)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn morphs<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.morphs, || {
            Ok(items::morphs(py, &self.model.morphs)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn rigid_bodies<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.rigid_bodies, || {
            Ok(items::rigid_bodies(py, &self.model.rigid_bodies)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn joints<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.joints, || {
            Ok(items::joints(py, &self.model.joints)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn soft_bodies<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.soft_bodies, || {
            Ok(items::soft_bodies(py, &self.model.soft_bodies)?
                .into_pyobject(py)?
                .into_any())
        })
    }
    #[getter]
    fn display_frames<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::cached(py, &self.display_frames, || {
            Ok(items::display_frames(py, &self.model.display_frames)?
                .into_pyobject(py)?
                .into_any())
        })
    }

    /// Index of the bone with this exact name, or None.
    fn bone_index(&self, name: &str) -> Option<usize> {
        self.model.bone_index(name)
    }
    /// Index of the morph with this exact name, or None.
    fn morph_index(&self, name: &str) -> Option<usize> {
        self.model.morph_index(name)
    }

    /// A vertex morph's offsets: (vertex indices (K,) uint32, offsets (K,3) float32).
    fn vertex_morph<'py>(
        &self,
        py: Python<'py>,
        morph: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let m = &self.model.morphs[self.resolve_morph(morph)?];
        match &m.offsets {
            MorphOffsets::Vertex(items) => Ok((
                vector(py, items.iter().map(|o| o.vertex).collect()),
                matrix(py, items.iter().map(|o| o.offset).collect())?,
            )),
            _ => Err(PyTypeError::new_err(format!(
                "morph {:?} is a {} morph",
                m.name,
                m.kind.as_str()
            ))),
        }
    }

    /// A UV morph's offsets: (vertex indices (K,) uint32, offsets (K,4) float32).
    fn uv_morph<'py>(
        &self,
        py: Python<'py>,
        morph: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let m = &self.model.morphs[self.resolve_morph(morph)?];
        match &m.offsets {
            MorphOffsets::Uv(items) => Ok((
                vector(py, items.iter().map(|o| o.vertex).collect()),
                matrix(py, items.iter().map(|o| o.offset).collect())?,
            )),
            _ => Err(PyTypeError::new_err(format!(
                "morph {:?} is a {} morph",
                m.name,
                m.kind.as_str()
            ))),
        }
    }

    /// A group or flip morph's children: [(morph index, weight), ...].
    fn group_morph(&self, morph: &Bound<'_, PyAny>) -> PyResult<Vec<(i32, f32)>> {
        let m = &self.model.morphs[self.resolve_morph(morph)?];
        match &m.offsets {
            MorphOffsets::Group(items) | MorphOffsets::Flip(items) => {
                Ok(items.iter().map(|o| (o.morph, o.weight)).collect())
            }
            _ => Err(PyTypeError::new_err(format!(
                "morph {:?} is a {} morph",
                m.name,
                m.kind.as_str()
            ))),
        }
    }

    /// (V,) float32: each vertex's total skin weight on the given bones.
    fn bone_weights<'py>(
        &self,
        py: Python<'py>,
        bones: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut wanted = vec![false; self.model.bones.len()];
        for b in &bones {
            wanted[self.resolve_bone(b)?] = true;
        }
        let (slots, weights) = self.deform_slots();
        let total = slots
            .iter()
            .zip(&weights)
            .map(|(b, w)| {
                (0..4)
                    .filter(|&k| usize::try_from(b[k]).is_ok_and(|i| wanted.get(i) == Some(&true)))
                    .map(|k| w[k])
                    .sum::<f32>()
            })
            .collect();
        Ok(vector(py, total))
    }

    /// A new poser for this model (morph weights and bone rotations, then evaluate()).
    fn poser(slf: &Bound<'_, Self>) -> PyResult<PyPoser> {
        PyPoser::new(slf)
    }

    /// The model as JSON in the core's serde layout (see `model_from_json`).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&*self.model).map_err(|e| {
            to_py(Error::new(
                ErrorKind::Unwritable,
                "json",
                None,
                0,
                e.to_string(),
            ))
        })
    }

    /// Write the model as PMX with the core's writer.
    fn save(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<()> {
        let model = Arc::clone(&self.model);
        py.allow_threads(move || write::write_pmx_file(&model, &path))
            .map_err(to_py)
    }

    /// The PMX bytes the writer produces for this model.
    fn to_pmx_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        let model = Arc::clone(&self.model);
        let bytes = py
            .allow_threads(move || write::write_pmx(&model))
            .map_err(to_py)?;
        Ok(pyo3::types::PyBytes::new(py, &bytes))
    }

    fn __repr__(&self) -> String {
        format!(
            "Model({:?}, {} {:.1}, vertices={}, faces={}, bones={}, morphs={})",
            self.model.name,
            self.format(),
            self.format_version(),
            self.model.vertices.len(),
            self.model.faces.len(),
            self.model.bones.len(),
            self.model.morphs.len()
        )
    }
}
