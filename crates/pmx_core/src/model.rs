//! Plain data for a parsed model: what the file says, nothing derived.
//!
//! PMX and PMD files both parse into [`Model`]. Indices into other tables are
//! `i32` with `-1` meaning "none" (PMX's convention); vertex indices are `u32`.
//! Vertex attributes are stored as parallel arrays (struct of arrays) because
//! the poser and the Python layer consume them as whole arrays.
//!
//! Every type derives serde so a model can be described as JSON and written
//! by the PMX writer (the sample character is built that way).

use serde::{Deserialize, Serialize};

/// The file format a model was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    #[default]
    Pmx,
    Pmd,
}

/// Text encoding of names and comments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Encoding {
    #[default]
    #[serde(rename = "utf-16")]
    Utf16,
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "shift-jis")]
    ShiftJis,
}

impl Encoding {
    /// The name exposed to Python (`"utf-16"`, `"utf-8"`, `"shift-jis"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Utf16 => "utf-16",
            Encoding::Utf8 => "utf-8",
            Encoding::ShiftJis => "shift-jis",
        }
    }
}

/// Byte widths (1, 2 or 4) of each index kind, as stored in a PMX header.
/// The writer reuses them so parse → write → parse is byte-identical; it
/// rejects a width too small for the table it indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexSizes {
    pub vertex: u8,
    pub texture: u8,
    pub material: u8,
    pub bone: u8,
    pub morph: u8,
    pub rigid_body: u8,
}

impl Default for IndexSizes {
    fn default() -> Self {
        IndexSizes {
            vertex: 4,
            texture: 4,
            material: 4,
            bone: 4,
            morph: 4,
            rigid_body: 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Header {
    pub format: SourceFormat,
    /// 2.0 or 2.1 for PMX, 1.0 for PMD.
    pub version: f32,
    pub encoding: Encoding,
    /// Additional vec4 UV channels per vertex, 0..=4.
    pub additional_uv_count: u8,
    pub index_sizes: IndexSizes,
}

impl Default for Header {
    fn default() -> Self {
        Header {
            format: SourceFormat::Pmx,
            version: 2.0,
            encoding: Encoding::Utf16,
            additional_uv_count: 0,
            index_sizes: IndexSizes::default(),
        }
    }
}

/// How a vertex is bound to bones. Weights are as stored (not renormalised).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Deform {
    Bdef1 {
        bone: i32,
    },
    /// `weight` belongs to `bones[0]`; `bones[1]` gets `1 - weight`.
    Bdef2 {
        bones: [i32; 2],
        weight: f32,
    },
    Bdef4 {
        bones: [i32; 4],
        weights: [f32; 4],
    },
    /// Spherical deform: `weight` for `bones[0]`, centre `c`, and the two
    /// reference points `r0`, `r1`.
    Sdef {
        bones: [i32; 2],
        weight: f32,
        c: [f32; 3],
        r0: [f32; 3],
        r1: [f32; 3],
    },
    /// Dual-quaternion deform (PMX 2.1).
    Qdef {
        bones: [i32; 4],
        weights: [f32; 4],
    },
}

impl Deform {
    /// 0 BDEF1, 1 BDEF2, 2 BDEF4, 3 SDEF, 4 QDEF: the PMX type byte.
    pub fn kind(&self) -> u8 {
        match self {
            Deform::Bdef1 { .. } => 0,
            Deform::Bdef2 { .. } => 1,
            Deform::Bdef4 { .. } => 2,
            Deform::Sdef { .. } => 3,
            Deform::Qdef { .. } => 4,
        }
    }
}

/// Vertex attributes as parallel arrays; all have the same length.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Vertices {
    pub positions: Vec<[f32; 3]>,
    pub normals: Vec<[f32; 3]>,
    pub uvs: Vec<[f32; 2]>,
    /// `additional_uvs[k][v]`: channel `k` (< header.additional_uv_count) of vertex `v`.
    pub additional_uvs: Vec<Vec<[f32; 4]>>,
    pub deforms: Vec<Deform>,
    pub edge_scales: Vec<f32>,
}

impl Vertices {
    pub fn len(&self) -> usize {
        self.positions.len()
    }
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

/// Material drawing flags (PMX byte; the 2.1 bits included).
pub mod material_flags {
    pub const DOUBLE_SIDED: u8 = 0x01;
    pub const GROUND_SHADOW: u8 = 0x02;
    pub const CAST_SHADOW: u8 = 0x04;
    pub const RECEIVE_SHADOW: u8 = 0x08;
    pub const EDGE: u8 = 0x10;
    pub const VERTEX_COLOR: u8 = 0x20;
    pub const POINT_DRAW: u8 = 0x40;
    pub const LINE_DRAW: u8 = 0x80;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum SphereMode {
    #[default]
    Off,
    Multiply,
    Add,
    /// Uses the first additional UV channel as a sub-texture.
    SubTexture,
}

/// A material's toon ramp: a texture of the model, or one of MMD's ten shared
/// ramps (`toon01.bmp`..`toon10.bmp`, index 0..=9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Toon {
    Texture(i32),
    Shared(u8),
}

impl Default for Toon {
    fn default() -> Self {
        Toon::Texture(-1)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Material {
    pub name: String,
    pub name_en: String,
    pub diffuse: [f32; 4],
    pub specular: [f32; 3],
    pub specularity: f32,
    pub ambient: [f32; 3],
    /// See [`material_flags`].
    pub flags: u8,
    pub edge_color: [f32; 4],
    pub edge_size: f32,
    pub texture: i32,
    pub sphere_texture: i32,
    pub sphere_mode: SphereMode,
    pub toon: Toon,
    pub memo: String,
    /// Number of face *indices* (3 per triangle) drawn with this material,
    /// taken in order from the face list.
    pub index_count: u32,
}

impl Default for Material {
    fn default() -> Self {
        Material {
            name: String::new(),
            name_en: String::new(),
            diffuse: [1.0, 1.0, 1.0, 1.0],
            specular: [0.0; 3],
            specularity: 5.0,
            ambient: [0.5; 3],
            flags: 0,
            edge_color: [0.0, 0.0, 0.0, 1.0],
            edge_size: 1.0,
            texture: -1,
            sphere_texture: -1,
            sphere_mode: SphereMode::Off,
            toon: Toon::Texture(-1),
            memo: String::new(),
            index_count: 0,
        }
    }
}

/// Bone flags (PMX u16).
pub mod bone_flags {
    /// Tail given as a bone index rather than an offset.
    pub const TAIL_IS_BONE: u16 = 0x0001;
    pub const ROTATABLE: u16 = 0x0002;
    pub const TRANSLATABLE: u16 = 0x0004;
    pub const VISIBLE: u16 = 0x0008;
    pub const ENABLED: u16 = 0x0010;
    pub const IK: u16 = 0x0020;
    /// Append (inherit) from the parent's local transform.
    pub const APPEND_LOCAL: u16 = 0x0080;
    pub const APPEND_ROTATE: u16 = 0x0100;
    pub const APPEND_TRANSLATE: u16 = 0x0200;
    pub const FIXED_AXIS: u16 = 0x0400;
    pub const LOCAL_AXES: u16 = 0x0800;
    pub const AFTER_PHYSICS: u16 = 0x1000;
    pub const EXTERNAL_PARENT: u16 = 0x2000;
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BoneTail {
    Bone(i32),
    Offset([f32; 3]),
}

impl Default for BoneTail {
    fn default() -> Self {
        BoneTail::Offset([0.0; 3])
    }
}

/// Append (inherit) transform: take `ratio` of `parent`'s rotation and/or
/// translation (which of the two is given by the bone's flags).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Append {
    pub parent: i32,
    pub ratio: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LocalAxes {
    pub x: [f32; 3],
    pub z: [f32; 3],
}

/// Per-axis Euler angle limits in radians, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AngleLimits {
    pub min: [f32; 3],
    pub max: [f32; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IkLink {
    pub bone: i32,
    pub limits: Option<AngleLimits>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ik {
    /// The effector bone that should reach this IK bone's position.
    pub target: i32,
    pub loop_count: i32,
    /// Maximum rotation per link per iteration, radians.
    pub limit_angle: f32,
    pub links: Vec<IkLink>,
}

/// A bone. The `Option` fields are present exactly when their flag is set
/// (`append` for APPEND_ROTATE or APPEND_TRANSLATE).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Bone {
    pub name: String,
    pub name_en: String,
    pub position: [f32; 3],
    pub parent: i32,
    /// Transform level ("deform layer"): lower levels are evaluated first.
    pub layer: i32,
    /// See [`bone_flags`].
    pub flags: u16,
    pub tail: BoneTail,
    pub append: Option<Append>,
    pub fixed_axis: Option<[f32; 3]>,
    pub local_axes: Option<LocalAxes>,
    pub external_parent: Option<i32>,
    pub ik: Option<Ik>,
}

impl Default for Bone {
    fn default() -> Self {
        Bone {
            name: String::new(),
            name_en: String::new(),
            position: [0.0; 3],
            parent: -1,
            layer: 0,
            flags: bone_flags::ROTATABLE | bone_flags::VISIBLE | bone_flags::ENABLED,
            tail: BoneTail::Offset([0.0; 3]),
            append: None,
            fixed_axis: None,
            local_axes: None,
            external_parent: None,
            ik: None,
        }
    }
}

impl Bone {
    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }
}

/// The PMX morph type byte, with the four additional-UV channels named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MorphKind {
    Group,
    Vertex,
    Bone,
    Uv,
    Uv1,
    Uv2,
    Uv3,
    Uv4,
    Material,
    Flip,
    Impulse,
}

impl MorphKind {
    pub fn from_byte(b: u8) -> Option<MorphKind> {
        Some(match b {
            0 => MorphKind::Group,
            1 => MorphKind::Vertex,
            2 => MorphKind::Bone,
            3 => MorphKind::Uv,
            4 => MorphKind::Uv1,
            5 => MorphKind::Uv2,
            6 => MorphKind::Uv3,
            7 => MorphKind::Uv4,
            8 => MorphKind::Material,
            9 => MorphKind::Flip,
            10 => MorphKind::Impulse,
            _ => return None,
        })
    }
    pub fn to_byte(self) -> u8 {
        match self {
            MorphKind::Group => 0,
            MorphKind::Vertex => 1,
            MorphKind::Bone => 2,
            MorphKind::Uv => 3,
            MorphKind::Uv1 => 4,
            MorphKind::Uv2 => 5,
            MorphKind::Uv3 => 6,
            MorphKind::Uv4 => 7,
            MorphKind::Material => 8,
            MorphKind::Flip => 9,
            MorphKind::Impulse => 10,
        }
    }
    /// The name exposed to Python: "group", "vertex", "bone", "uv", "uv1".."uv4",
    /// "material", "flip", "impulse".
    pub fn as_str(self) -> &'static str {
        match self {
            MorphKind::Group => "group",
            MorphKind::Vertex => "vertex",
            MorphKind::Bone => "bone",
            MorphKind::Uv => "uv",
            MorphKind::Uv1 => "uv1",
            MorphKind::Uv2 => "uv2",
            MorphKind::Uv3 => "uv3",
            MorphKind::Uv4 => "uv4",
            MorphKind::Material => "material",
            MorphKind::Flip => "flip",
            MorphKind::Impulse => "impulse",
        }
    }
    /// UV channel a UV morph acts on: 0 for the main UV, 1..=4 for additional.
    pub fn uv_channel(self) -> Option<usize> {
        match self {
            MorphKind::Uv => Some(0),
            MorphKind::Uv1 => Some(1),
            MorphKind::Uv2 => Some(2),
            MorphKind::Uv3 => Some(3),
            MorphKind::Uv4 => Some(4),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GroupOffset {
    pub morph: i32,
    pub weight: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VertexOffset {
    pub vertex: u32,
    pub offset: [f32; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoneOffset {
    pub bone: i32,
    pub translation: [f32; 3],
    /// Quaternion x, y, z, w.
    pub rotation: [f32; 4],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UvOffset {
    pub vertex: u32,
    pub offset: [f32; 4],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MaterialOp {
    Multiply,
    Add,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MaterialOffset {
    /// Target material, or -1 for every material.
    pub material: i32,
    pub op: MaterialOp,
    pub diffuse: [f32; 4],
    pub specular: [f32; 3],
    pub specularity: f32,
    pub ambient: [f32; 3],
    pub edge_color: [f32; 4],
    pub edge_size: f32,
    pub texture_tint: [f32; 4],
    pub sphere_tint: [f32; 4],
    pub toon_tint: [f32; 4],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ImpulseOffset {
    pub rigid_body: i32,
    pub local: bool,
    pub velocity: [f32; 3],
    pub torque: [f32; 3],
}

/// A morph's offsets; the variant matches [`Morph::kind`] (all UV kinds use `Uv`,
/// group and flip both use group-style offsets).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "items", rename_all = "lowercase")]
pub enum MorphOffsets {
    Group(Vec<GroupOffset>),
    Vertex(Vec<VertexOffset>),
    Bone(Vec<BoneOffset>),
    Uv(Vec<UvOffset>),
    Material(Vec<MaterialOffset>),
    Flip(Vec<GroupOffset>),
    Impulse(Vec<ImpulseOffset>),
}

impl MorphOffsets {
    pub fn len(&self) -> usize {
        match self {
            MorphOffsets::Group(v) | MorphOffsets::Flip(v) => v.len(),
            MorphOffsets::Vertex(v) => v.len(),
            MorphOffsets::Bone(v) => v.len(),
            MorphOffsets::Uv(v) => v.len(),
            MorphOffsets::Material(v) => v.len(),
            MorphOffsets::Impulse(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Morph {
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    /// Control panel as stored: 0 system, 1 eyebrow, 2 eye, 3 mouth, 4 other.
    #[serde(default)]
    pub panel: u8,
    pub kind: MorphKind,
    pub offsets: MorphOffsets,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DisplayItem {
    Bone(i32),
    Morph(i32),
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DisplayFrame {
    pub name: String,
    pub name_en: String,
    /// Special frames (Root, 表情) cannot be edited in PMXEditor.
    pub special: bool,
    pub items: Vec<DisplayItem>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RigidBody {
    pub name: String,
    pub name_en: String,
    pub bone: i32,
    pub group: u8,
    pub collision_mask: u16,
    /// 0 sphere, 1 box, 2 capsule.
    pub shape: u8,
    pub size: [f32; 3],
    pub position: [f32; 3],
    pub rotation: [f32; 3],
    pub mass: f32,
    pub linear_damping: f32,
    pub angular_damping: f32,
    pub restitution: f32,
    pub friction: f32,
    /// 0 follow bone, 1 physics, 2 physics + bone position.
    pub physics_mode: u8,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Joint {
    pub name: String,
    pub name_en: String,
    /// 0 spring 6DOF, 1 6DOF, 2 P2P, 3 cone twist, 4 slider, 5 hinge (2.1).
    pub kind: u8,
    pub rigid_a: i32,
    pub rigid_b: i32,
    pub position: [f32; 3],
    pub rotation: [f32; 3],
    pub position_min: [f32; 3],
    pub position_max: [f32; 3],
    pub rotation_min: [f32; 3],
    pub rotation_max: [f32; 3],
    pub spring_position: [f32; 3],
    pub spring_rotation: [f32; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct SoftBodyAnchor {
    pub rigid_body: i32,
    pub vertex: u32,
    pub near_mode: u8,
}

/// PMX 2.1 soft body, kept as stored (no physics is simulated here).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SoftBody {
    pub name: String,
    pub name_en: String,
    /// 0 tri-mesh, 1 rope.
    pub shape: u8,
    pub material: i32,
    pub group: u8,
    pub collision_mask: u16,
    pub flags: u8,
    pub b_link_distance: i32,
    pub cluster_count: i32,
    pub total_mass: f32,
    pub margin: f32,
    pub aero_model: i32,
    /// VCF, DP, DG, LF, PR, VC, DF, MT, CHR, KHR, SHR, AHR.
    pub config: [f32; 12],
    /// SRHR_CL, SKHR_CL, SSHR_CL, SR_SPLT_CL, SK_SPLT_CL, SS_SPLT_CL.
    pub cluster: [f32; 6],
    /// V_IT, P_IT, D_IT, C_IT.
    pub iteration: [i32; 4],
    /// LST, AST, VST.
    pub material_params: [f32; 3],
    pub anchors: Vec<SoftBodyAnchor>,
    pub pins: Vec<u32>,
}

/// A whole model, as read from a PMX or PMD file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Model {
    pub header: Header,
    pub name: String,
    pub name_en: String,
    pub comment: String,
    pub comment_en: String,
    pub vertices: Vertices,
    /// Triangles as vertex indices, in file order.
    pub faces: Vec<[u32; 3]>,
    /// Texture paths exactly as stored (backslashes and case kept).
    pub textures: Vec<String>,
    pub materials: Vec<Material>,
    pub bones: Vec<Bone>,
    pub morphs: Vec<Morph>,
    pub display_frames: Vec<DisplayFrame>,
    pub rigid_bodies: Vec<RigidBody>,
    pub joints: Vec<Joint>,
    pub soft_bodies: Vec<SoftBody>,
}

impl Model {
    pub fn bone_index(&self, name: &str) -> Option<usize> {
        self.bones.iter().position(|b| b.name == name)
    }
    pub fn morph_index(&self, name: &str) -> Option<usize> {
        self.morphs.iter().position(|m| m.name == name)
    }
}
