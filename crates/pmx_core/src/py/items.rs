//! Read-only Python views of the model's table entries (materials, bones,
//! morphs, ...). Plain values only; vectors are tuples.

use pyo3::prelude::*;

use crate::model::{
    Bone, BoneTail, DisplayFrame, DisplayItem, Joint, Material, Morph, RigidBody, SoftBody,
    SphereMode, Toon,
};

type V3 = (f32, f32, f32);
type V4 = (f32, f32, f32, f32);

fn v3(a: [f32; 3]) -> V3 {
    (a[0], a[1], a[2])
}
fn v4(a: [f32; 4]) -> V4 {
    (a[0], a[1], a[2], a[3])
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "Material")]
pub struct PyMaterial {
    name: String,
    name_en: String,
    diffuse: V4,
    specular: V3,
    specularity: f32,
    ambient: V3,
    /// Drawing flags: 0x01 double-sided, 0x02 ground shadow, 0x04 cast shadow,
    /// 0x08 receive shadow, 0x10 edge, 0x20 vertex colour, 0x40 points, 0x80 lines.
    flags: u8,
    double_sided: bool,
    draws_edge: bool,
    edge_color: V4,
    edge_size: f32,
    /// Texture index into `Model.textures`, -1 for none.
    texture: i32,
    sphere_texture: i32,
    /// "off", "multiply", "add" or "subtexture".
    sphere_mode: &'static str,
    /// Own toon texture index, -1 when none or when a shared toon is used.
    toon_texture: i32,
    /// Shared toon ramp 0..=9 (toon01.bmp..toon10.bmp), -1 when not shared.
    toon_shared: i32,
    memo: String,
    /// Face indices drawn with this material (3 per triangle).
    index_count: u32,
    /// Triangles drawn with this material.
    face_count: u32,
}

impl From<&Material> for PyMaterial {
    fn from(m: &Material) -> Self {
        use crate::model::material_flags as f;
        let (toon_texture, toon_shared) = match m.toon {
            Toon::Texture(i) => (i, -1),
            Toon::Shared(i) => (-1, i32::from(i)),
        };
        PyMaterial {
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            diffuse: v4(m.diffuse),
            specular: v3(m.specular),
            specularity: m.specularity,
            ambient: v3(m.ambient),
            flags: m.flags,
            double_sided: m.flags & f::DOUBLE_SIDED != 0,
            draws_edge: m.flags & f::EDGE != 0,
            edge_color: v4(m.edge_color),
            edge_size: m.edge_size,
            texture: m.texture,
            sphere_texture: m.sphere_texture,
            sphere_mode: match m.sphere_mode {
                SphereMode::Off => "off",
                SphereMode::Multiply => "multiply",
                SphereMode::Add => "add",
                SphereMode::SubTexture => "subtexture",
            },
            toon_texture,
            toon_shared,
            memo: m.memo.clone(),
            index_count: m.index_count,
            face_count: m.index_count / 3,
        }
    }
}

#[pymethods]
impl PyMaterial {
    fn __repr__(&self) -> String {
        format!("Material({:?}, faces={})", self.name, self.face_count)
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "IkLink")]
pub struct PyIkLink {
    bone: i32,
    /// ((min x, y, z), (max x, y, z)) in radians, or None.
    limits: Option<(V3, V3)>,
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "Bone")]
pub struct PyBone {
    index: usize,
    name: String,
    name_en: String,
    /// Bind-pose position in model space.
    position: V3,
    /// Parent bone index, -1 for none.
    parent: i32,
    layer: i32,
    flags: u16,
    /// Tail bone index, or -1 when the tail is an offset.
    tail_bone: i32,
    tail_offset: Option<V3>,
    append_parent: i32,
    append_ratio: f32,
    append_rotate: bool,
    append_translate: bool,
    append_local: bool,
    after_physics: bool,
    fixed_axis: Option<V3>,
    local_axes: Option<(V3, V3)>,
    external_parent: Option<i32>,
    is_ik: bool,
    ik_target: i32,
    ik_loop_count: i32,
    ik_limit_angle: f32,
    ik_links: Vec<Py<PyIkLink>>,
}

impl PyBone {
    fn new(py: Python<'_>, index: usize, b: &Bone) -> PyResult<Self> {
        use crate::model::bone_flags as f;
        let (tail_bone, tail_offset) = match b.tail {
            BoneTail::Bone(i) => (i, None),
            BoneTail::Offset(o) => (-1, Some(v3(o))),
        };
        let ik_links = match &b.ik {
            Some(ik) => ik
                .links
                .iter()
                .map(|l| {
                    Py::new(
                        py,
                        PyIkLink {
                            bone: l.bone,
                            limits: l.limits.map(|a| (v3(a.min), v3(a.max))),
                        },
                    )
                })
                .collect::<PyResult<Vec<_>>>()?,
            None => Vec::new(),
        };
        Ok(PyBone {
            index,
            name: b.name.clone(),
            name_en: b.name_en.clone(),
            position: v3(b.position),
            parent: b.parent,
            layer: b.layer,
            flags: b.flags,
            tail_bone,
            tail_offset,
            append_parent: b.append.map_or(-1, |a| a.parent),
            append_ratio: b.append.map_or(0.0, |a| a.ratio),
            append_rotate: b.has(f::APPEND_ROTATE),
            append_translate: b.has(f::APPEND_TRANSLATE),
            append_local: b.has(f::APPEND_LOCAL),
            after_physics: b.has(f::AFTER_PHYSICS),
            fixed_axis: b.fixed_axis.map(v3),
            local_axes: b.local_axes.map(|a| (v3(a.x), v3(a.z))),
            external_parent: b.external_parent,
            is_ik: b.ik.is_some(),
            ik_target: b.ik.as_ref().map_or(-1, |ik| ik.target),
            ik_loop_count: b.ik.as_ref().map_or(0, |ik| ik.loop_count),
            ik_limit_angle: b.ik.as_ref().map_or(0.0, |ik| ik.limit_angle),
            ik_links,
        })
    }
}

#[pymethods]
impl PyBone {
    fn __repr__(&self) -> String {
        format!(
            "Bone({}, {:?}, parent={})",
            self.index, self.name, self.parent
        )
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "Morph")]
pub struct PyMorph {
    index: usize,
    name: String,
    name_en: String,
    /// Control panel as stored: 0 system, 1 eyebrow, 2 eye, 3 mouth, 4 other.
    panel: u8,
    /// "group" "vertex" "bone" "uv" "uv1".."uv4" "material" "flip" "impulse".
    kind: &'static str,
    offset_count: usize,
}

impl PyMorph {
    fn new(index: usize, m: &Morph) -> Self {
        PyMorph {
            index,
            name: m.name.clone(),
            name_en: m.name_en.clone(),
            panel: m.panel,
            kind: m.kind.as_str(),
            offset_count: m.offsets.len(),
        }
    }
}

#[pymethods]
impl PyMorph {
    fn __repr__(&self) -> String {
        format!("Morph({}, {:?}, {})", self.index, self.name, self.kind)
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "RigidBody")]
pub struct PyRigidBody {
    name: String,
    name_en: String,
    bone: i32,
    group: u8,
    collision_mask: u16,
    shape: u8,
    size: V3,
    position: V3,
    rotation: V3,
    mass: f32,
    linear_damping: f32,
    angular_damping: f32,
    restitution: f32,
    friction: f32,
    physics_mode: u8,
}

impl From<&RigidBody> for PyRigidBody {
    fn from(r: &RigidBody) -> Self {
        PyRigidBody {
            name: r.name.clone(),
            name_en: r.name_en.clone(),
            bone: r.bone,
            group: r.group,
            collision_mask: r.collision_mask,
            shape: r.shape,
            size: v3(r.size),
            position: v3(r.position),
            rotation: v3(r.rotation),
            mass: r.mass,
            linear_damping: r.linear_damping,
            angular_damping: r.angular_damping,
            restitution: r.restitution,
            friction: r.friction,
            physics_mode: r.physics_mode,
        }
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "Joint")]
pub struct PyJoint {
    name: String,
    name_en: String,
    kind: u8,
    rigid_a: i32,
    rigid_b: i32,
    position: V3,
    rotation: V3,
    position_min: V3,
    position_max: V3,
    rotation_min: V3,
    rotation_max: V3,
    spring_position: V3,
    spring_rotation: V3,
}

impl From<&Joint> for PyJoint {
    fn from(j: &Joint) -> Self {
        PyJoint {
            name: j.name.clone(),
            name_en: j.name_en.clone(),
            kind: j.kind,
            rigid_a: j.rigid_a,
            rigid_b: j.rigid_b,
            position: v3(j.position),
            rotation: v3(j.rotation),
            position_min: v3(j.position_min),
            position_max: v3(j.position_max),
            rotation_min: v3(j.rotation_min),
            rotation_max: v3(j.rotation_max),
            spring_position: v3(j.spring_position),
            spring_rotation: v3(j.spring_rotation),
        }
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "SoftBody")]
pub struct PySoftBody {
    name: String,
    name_en: String,
    shape: u8,
    material: i32,
    group: u8,
    collision_mask: u16,
    flags: u8,
    total_mass: f32,
    anchor_count: usize,
    pin_count: usize,
}

impl From<&SoftBody> for PySoftBody {
    fn from(s: &SoftBody) -> Self {
        PySoftBody {
            name: s.name.clone(),
            name_en: s.name_en.clone(),
            shape: s.shape,
            material: s.material,
            group: s.group,
            collision_mask: s.collision_mask,
            flags: s.flags,
            total_mass: s.total_mass,
            anchor_count: s.anchors.len(),
            pin_count: s.pins.len(),
        }
    }
}

#[pyclass(frozen, get_all, module = "animeceleb._core", name = "DisplayFrame")]
pub struct PyDisplayFrame {
    name: String,
    name_en: String,
    special: bool,
    /// ("bone" | "morph", index) pairs.
    items: Vec<(&'static str, i32)>,
}

impl From<&DisplayFrame> for PyDisplayFrame {
    fn from(d: &DisplayFrame) -> Self {
        PyDisplayFrame {
            name: d.name.clone(),
            name_en: d.name_en.clone(),
            special: d.special,
            items: d
                .items
                .iter()
                .map(|i| match *i {
                    DisplayItem::Bone(b) => ("bone", b),
                    DisplayItem::Morph(m) => ("morph", m),
                })
                .collect(),
        }
    }
}

pub fn materials(py: Python<'_>, v: &[Material]) -> PyResult<Vec<Py<PyMaterial>>> {
    v.iter().map(|m| Py::new(py, PyMaterial::from(m))).collect()
}
pub fn bones(py: Python<'_>, v: &[Bone]) -> PyResult<Vec<Py<PyBone>>> {
    v.iter()
        .enumerate()
        .map(|(i, b)| Py::new(py, PyBone::new(py, i, b)?))
        .collect()
}
pub fn morphs(py: Python<'_>, v: &[Morph]) -> PyResult<Vec<Py<PyMorph>>> {
    v.iter()
        .enumerate()
        .map(|(i, m)| Py::new(py, PyMorph::new(i, m)))
        .collect()
}
pub fn rigid_bodies(py: Python<'_>, v: &[RigidBody]) -> PyResult<Vec<Py<PyRigidBody>>> {
    v.iter()
        .map(|r| Py::new(py, PyRigidBody::from(r)))
        .collect()
}
pub fn joints(py: Python<'_>, v: &[Joint]) -> PyResult<Vec<Py<PyJoint>>> {
    v.iter().map(|j| Py::new(py, PyJoint::from(j))).collect()
}
pub fn soft_bodies(py: Python<'_>, v: &[SoftBody]) -> PyResult<Vec<Py<PySoftBody>>> {
    v.iter().map(|s| Py::new(py, PySoftBody::from(s))).collect()
}
pub fn display_frames(py: Python<'_>, v: &[DisplayFrame]) -> PyResult<Vec<Py<PyDisplayFrame>>> {
    v.iter()
        .map(|d| Py::new(py, PyDisplayFrame::from(d)))
        .collect()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyMaterial>()?;
    m.add_class::<PyBone>()?;
    m.add_class::<PyIkLink>()?;
    m.add_class::<PyMorph>()?;
    m.add_class::<PyRigidBody>()?;
    m.add_class::<PyJoint>()?;
    m.add_class::<PySoftBody>()?;
    m.add_class::<PyDisplayFrame>()?;
    Ok(())
}
