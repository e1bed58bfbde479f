//! PMD 1.0 (the MikuMikuDance 1.x–7.x model format) read into the same
//! [`Model`] as PMX, so morphs, the poser and the Python layer need not know
//! which format a model came from.
//!
//! Layout: header ("Pmd", f32 1.0, name char[20], comment char[256]),
//! vertices, face indices, materials, bones, IK list, skins (morphs), the
//! three display lists, and then optional extensions, each present only when
//! bytes remain: English names, the toon texture table (10 × char[100]),
//! rigid bodies, joints. A file that ends exactly after any section from the
//! display lists on is complete; one that ends inside a section is
//! [`ErrorKind::Truncated`]. Bytes after the joints are ignored.
//!
//! PMD has no PMX equivalent for several things; the choices made here follow
//! MMD's own behaviour and PMX Editor's PMD → PMX conversion:
//!
//! - **Vertices**: always [`Deform::Bdef2`] with `weight = w / 100` for the
//!   first bone, even when both bones are equal or the weight is 100: that is
//!   how MMD skins PMD vertices, and it keeps the file's values unchanged.
//!   A weight over 100 is `InvalidValue`. Edge flag 0 (edge on) gives
//!   `edge_scale` 1.0, anything else 0.0.
//! - **Materials** have no names in PMD; `name`/`name_en` stay empty.
//!   Flags: the PMD edge flag ("輪郭・影") sets `EDGE | GROUND_SHADOW`; every
//!   material casts and receives self shadow except those with alpha exactly
//!   0.98 (MMD's "no self shadow" convention); alpha < 1 is drawn double
//!   sided (MMD's rule for translucent PMD materials). Edge colour is opaque
//!   black, edge size 1. Each material's index count must be a multiple of 3
//!   and together they must cover exactly the face list (as in PMX).
//! - **Textures**: the 20-byte texture field is split at the first `*` into
//!   texture and sphere map (`tex.bmp*env.spa`); a lone name ending in `.sph`
//!   or `.spa` is a sphere map only. A sphere ending in `.spa` adds, any other
//!   multiplies. Paths are kept as stored and deduplicated by exact text in
//!   `model.textures`, in the order first used by materials; custom toon
//!   textures are appended after all material textures.
//! - **Toon**: toon byte `i` (0..=9) names slot `i` of the toon table, which
//!   defaults to `toon{i+1:02}.bmp` when the file has no table. A slot whose
//!   name is any of MMD's shared ramps `toon01.bmp`..`toon10.bmp` (ASCII case
//!   ignored) becomes [`Toon::Shared`] of that ramp; another name is added to
//!   the textures as [`Toon::Texture`]; an empty name or toon byte 0xFF gives
//!   `Toon::Texture(-1)`. Toon bytes 10..=254 are `InvalidValue`.
//! - **Bones**: every bone is `ROTATABLE | ENABLED`, and `VISIBLE` except for
//!   type 6 (IK target) and 7 (invisible), which MMD hides. Type 1 (rotate +
//!   move), type 2 (IK) and every bone that owns an IK entry are
//!   `TRANSLATABLE`. A tail index of 0 or 0xFFFF means no tail (zero
//!   offset); otherwise the tail is a bone (`TAIL_IS_BONE`). Type 5
//!   (回転影響下) appends the rotation of the bone named in the IK-parent
//!   field with ratio 1; type 9 (回転連動) appends the rotation of the IK-parent
//!   field's bone with ratio `tail / 100` (its tail field holds the ratio, so
//!   it has no tail bone). Type 8 (twist) gets `FIXED_AXIS` along the unit
//!   vector from the bone to its tail bone, when it has one of non-zero
//!   length. A bone that is its own parent or append source is
//!   `InvalidValue`. All bones are in layer 0, in file order.
//! - **IK**: the entry's IK bone gets `Ik { target: effector, loop_count:
//!   iterations, limit_angle: control_weight × 4, .. }` (PMD stores the
//!   per-iteration limit in units of 4 radians) and the `IK` flag. Chain links
//!   whose bone name contains "ひざ" (knee) get MMD's built-in limit: X in
//!   [-180°, -0.5°] (radians), Y and Z fixed at 0. A second IK entry for the
//!   same bone is ignored (a PMX bone holds one IK).
//! - **Morphs**: skin 0 is the base ("base"): its entries are absolute
//!   positions of the vertices that any morph moves, and it is not emitted.
//!   Every other skin becomes a [`MorphKind::Vertex`] morph with absolute
//!   vertex indices (`base[index]`) and its offsets unchanged; `panel` is the
//!   skin type as stored. Base entries must index the vertices and other
//!   skins' entries must index the base list.
//! - **Display frames**: "Root" (special, holding bone 0 when there are
//!   bones), then "表情" (special, the morph display list; PMD skin index `i`
//!   is morph `i - 1`, so 0, the base, is out of range), then one frame per
//!   bone frame name in file order with the bones listed for it (PMD frame
//!   numbers count from 1). Frame names lose the trailing line break MMD
//!   stores in them.
//! - **Rigid bodies**: PMD stores positions relative to the body's bone; they
//!   are made absolute like PMX by adding that bone's position (センター's, or
//!   else bone 0's, for a body with no bone, as MMD does). Bone 0xFFFF is -1.
//!   Shape and mode above 2 are `InvalidValue`.
//! - **Joints** are spring 6DOF (kind 0), with u32 rigid body indices.
//! - **Header**: format Pmd, version 1.0 (anything else is
//!   `UnsupportedVersion`), Shift-JIS, no additional UVs; index sizes are the
//!   narrowest of 2 or 4 bytes that fit each table, so the PMX writer can
//!   write the model out.

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    bone_flags, material_flags, AngleLimits, Append, Bone, BoneTail, Deform, DisplayFrame,
    DisplayItem, Encoding, Header, Ik, IkLink, IndexSizes, Joint, Material, Model, Morph,
    MorphKind, MorphOffsets, RigidBody, SourceFormat, SphereMode, Toon, VertexOffset, Vertices,
};
use crate::parse::reader::Reader;

const MAGIC: &[u8] = b"Pmd";

const VERTEX_SIZE: usize = 38;
const MATERIAL_SIZE: usize = 70;
const BONE_SIZE: usize = 39;
const IK_MIN_SIZE: usize = 11;
const SKIN_MIN_SIZE: usize = 25;
const SKIN_ENTRY_SIZE: usize = 16;
const FRAME_NAME_SIZE: usize = 50;
const TOON_NAME_SIZE: usize = 100;
const RIGID_BODY_SIZE: usize = 83;
const JOINT_SIZE: usize = 124;

/// Offset of the two bone indices within a vertex record.
const VERTEX_BONES_AT: usize = 32;

const NO_BONE: u16 = 0xFFFF;
const NO_TOON: u8 = 0xFF;

const KNEE: &str = "ひざ";
const CENTER: &str = "センター";

/// A PMD bone's fields that only make sense once all bones are read.
struct RawBone {
    at: usize,
    parent: u16,
    tail: u16,
    kind: u8,
    ik_parent: u16,
}

/// Parse a whole PMD file.
pub fn parse_pmd(bytes: &[u8]) -> Result<Model> {
    if !bytes.starts_with(MAGIC) {
        return Err(Error::new(
            ErrorKind::BadMagic,
            "header",
            None,
            0,
            "not a PMD file (no \"Pmd\" signature)",
        ));
    }
    let mut r = Reader::new(bytes);
    let mut model = Model::default();

    // Header.
    r.section("header");
    r.take(MAGIC.len())?;
    let at = r.pos();
    let version = r.f32()?;
    if version != 1.0 {
        return Err(r.error_at(
            ErrorKind::UnsupportedVersion,
            at,
            format!("PMD version {version}, only 1.0 is read"),
        ));
    }
    model.header = Header {
        format: SourceFormat::Pmd,
        version,
        encoding: Encoding::ShiftJis,
        additional_uv_count: 0,
        index_sizes: IndexSizes::default(),
    };
    model.name = r.fixed_text(20)?;
    model.comment = r.fixed_text(256)?;

    let vertices_at = read_vertices(&mut r, &mut model)?;
    read_faces(&mut r, &mut model)?;
    let toon_bytes = read_materials(&mut r, &mut model)?;
    read_bones(&mut r, &mut model, vertices_at)?;
    read_ik(&mut r, &mut model)?;
    let skin_count = read_morphs(&mut r, &mut model)?;
    let frame_count = read_display_frames(&mut r, &mut model, skin_count)?;

    let mut toon_names: Vec<String> = (1..=10).map(|i| format!("toon{i:02}.bmp")).collect();
    if !r.is_at_end() {
        read_english(&mut r, &mut model, skin_count, frame_count)?;
    }
    if !r.is_at_end() {
        r.section("textures");
        r.check_count(10, TOON_NAME_SIZE, "toon texture name")?;
        for name in toon_names.iter_mut() {
            *name = r.fixed_text(TOON_NAME_SIZE)?;
        }
    }
    resolve_toons(&mut model, &toon_bytes, &toon_names);
    if !r.is_at_end() {
        read_rigid_bodies(&mut r, &mut model)?;
    }
    if !r.is_at_end() {
        read_joints(&mut r, &mut model)?;
    }

    model.header.index_sizes = IndexSizes {
        vertex: if model.vertices.len() <= 1 << 16 {
            2
        } else {
            4
        },
        texture: signed_width(model.textures.len()),
        material: signed_width(model.materials.len()),
        bone: signed_width(model.bones.len()),
        morph: signed_width(model.morphs.len()),
        rigid_body: signed_width(model.rigid_bodies.len()),
    };
    Ok(model)
}

/// Narrowest PMX index width, 2 or 4 bytes, for a signed index into `count` items.
fn signed_width(count: usize) -> u8 {
    if count <= i16::MAX as usize + 1 {
        2
    } else {
        4
    }
}

/// A table position as a PMX `i32` index (tables come from u32 counts that
/// were checked against the file size, so this does not saturate in practice).
fn index_i32(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// A u32 count read from the file, checked against the bytes left.
fn count_u32(r: &mut Reader<'_>, min_item_size: usize, what: &str) -> Result<usize> {
    let n = r.u32()?;
    let n = usize::try_from(n).unwrap_or(usize::MAX);
    r.check_count(n, min_item_size, what)?;
    Ok(n)
}

fn out_of_range(r: &Reader<'_>, at: usize, what: &str, index: usize, len: usize) -> Error {
    r.error_at(
        ErrorKind::IndexOutOfRange,
        at,
        format!("{what} {index} out of range (there are {len})"),
    )
}

/// Returns the offset of the first vertex record, for errors about bone
/// indices found once the bones are known.
fn read_vertices(r: &mut Reader<'_>, model: &mut Model) -> Result<usize> {
    r.section("vertices");
    let count = count_u32(r, VERTEX_SIZE, "vertex")?;
    let start = r.pos();
    let mut v = Vertices {
        positions: Vec::with_capacity(count),
        normals: Vec::with_capacity(count),
        uvs: Vec::with_capacity(count),
        additional_uvs: Vec::new(),
        deforms: Vec::with_capacity(count),
        edge_scales: Vec::with_capacity(count),
    };
    for i in 0..count {
        r.item(i);
        v.positions.push(r.vec3()?);
        v.normals.push(r.vec3()?);
        v.uvs.push(r.vec2()?);
        let b0 = r.u16()?;
        let b1 = r.u16()?;
        let at = r.pos();
        let weight = r.u8()?;
        if weight > 100 {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                at,
                format!("bone weight {weight} over 100"),
            ));
        }
        let edge_off = r.u8()?;
        v.deforms.push(Deform::Bdef2 {
            bones: [i32::from(b0), i32::from(b1)],
            weight: f32::from(weight) / 100.0,
        });
        v.edge_scales.push(if edge_off == 0 { 1.0 } else { 0.0 });
    }
    model.vertices = v;
    Ok(start)
}

fn read_faces(r: &mut Reader<'_>, model: &mut Model) -> Result<()> {
    r.section("faces");
    let at = r.pos();
    let count = count_u32(r, 2, "face index")?;
    if count % 3 != 0 {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("face index count {count} is not a multiple of 3"),
        ));
    }
    let vertex_count = model.vertices.len();
    let mut faces = Vec::with_capacity(count / 3);
    for t in 0..count / 3 {
        r.item(t);
        let mut face = [0u32; 3];
        for slot in face.iter_mut() {
            let at = r.pos();
            let v = usize::from(r.u16()?);
            if v >= vertex_count {
                return Err(out_of_range(r, at, "vertex index", v, vertex_count));
            }
            *slot = v as u32;
        }
        faces.push(face);
    }
    model.faces = faces;
    Ok(())
}

/// Position of `path` in the texture table, adding it if new. Empty → -1.
fn texture_index(textures: &mut Vec<String>, path: &str) -> i32 {
    if path.is_empty() {
        return -1;
    }
    if let Some(i) = textures.iter().position(|t| t == path) {
        return index_i32(i);
    }
    textures.push(path.to_owned());
    index_i32(textures.len() - 1)
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

fn is_sphere_name(s: &str) -> bool {
    ends_with_ignore_case(s, ".sph") || ends_with_ignore_case(s, ".spa")
}

/// Split a PMD texture field into (texture, sphere) names; either may be empty.
fn split_texture_field(field: &str) -> (&str, &str) {
    match field.split_once('*') {
        Some((texture, sphere)) => (texture, sphere),
        None if is_sphere_name(field) => ("", field),
        None => (field, ""),
    }
}

/// Reads the materials; returns each one's toon byte (resolved once the toon
/// table, which comes much later, is known).
fn read_materials(r: &mut Reader<'_>, model: &mut Model) -> Result<Vec<u8>> {
    r.section("materials");
    let count = count_u32(r, MATERIAL_SIZE, "material")?;
    let total_indices = model.faces.len() * 3;
    let mut covered: usize = 0;
    let mut materials = Vec::with_capacity(count);
    let mut toons = Vec::with_capacity(count);
    for i in 0..count {
        r.item(i);
        let diffuse = r.vec4()?;
        let specularity = r.f32()?;
        let specular = r.vec3()?;
        let ambient = r.vec3()?;
        let toon_at = r.pos();
        let toon = r.u8()?;
        if toon > 9 && toon != NO_TOON {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                toon_at,
                format!("toon index {toon} (0..=9, or 255 for none)"),
            ));
        }
        let edge = r.u8()?;
        let count_at = r.pos();
        let index_count = r.u32()?;
        let n = usize::try_from(index_count).unwrap_or(usize::MAX);
        if n % 3 != 0 {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                count_at,
                format!("material index count {n} is not a multiple of 3"),
            ));
        }
        covered = match covered.checked_add(n) {
            Some(c) if c <= total_indices => c,
            _ => {
                return Err(r.error_at(
                    ErrorKind::InvalidValue,
                    count_at,
                    format!(
                        "materials cover more face indices than the {total_indices} in the file"
                    ),
                ))
            }
        };
        let field = r.fixed_text(20)?;
        let (texture, sphere) = split_texture_field(&field);

        let mut flags = 0;
        if edge != 0 {
            flags |= material_flags::EDGE | material_flags::GROUND_SHADOW;
        }
        if diffuse[3] != 0.98 {
            flags |= material_flags::CAST_SHADOW | material_flags::RECEIVE_SHADOW;
        }
        if diffuse[3] < 1.0 {
            flags |= material_flags::DOUBLE_SIDED;
        }
        let sphere_mode = if sphere.is_empty() {
            SphereMode::Off
        } else if ends_with_ignore_case(sphere, ".spa") {
            SphereMode::Add
        } else {
            SphereMode::Multiply
        };
        materials.push(Material {
            name: String::new(),
            name_en: String::new(),
            diffuse,
            specular,
            specularity,
            ambient,
            flags,
            edge_color: [0.0, 0.0, 0.0, 1.0],
            edge_size: 1.0,
            texture: texture_index(&mut model.textures, texture),
            sphere_texture: texture_index(&mut model.textures, sphere),
            sphere_mode,
            toon: Toon::Texture(-1),
            memo: String::new(),
            index_count,
        });
        toons.push(toon);
    }
    // As in PMX: every face belongs to a material. A face no material draws
    // could not be written back (or rendered), so such a file is refused.
    if covered != total_indices {
        r.section("materials");
        return Err(r.error(
            ErrorKind::InvalidValue,
            format!("materials draw {covered} face indices, the model has {total_indices}"),
        ));
    }
    model.materials = materials;
    Ok(toons)
}

/// `toon01.bmp`..`toon10.bmp` (ASCII case ignored) → shared ramp 0..=9.
fn shared_toon(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    let digits = lower.strip_prefix("toon")?.strip_suffix(".bmp")?;
    if digits.len() != 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u8 = digits.parse().ok()?;
    (1..=10).contains(&n).then(|| n - 1)
}

fn resolve_toons(model: &mut Model, toon_bytes: &[u8], toon_names: &[String]) {
    for (material, &toon) in model.materials.iter_mut().zip(toon_bytes) {
        let name = toon_names
            .get(usize::from(toon))
            .map(String::as_str)
            .unwrap_or("");
        material.toon = match shared_toon(name) {
            Some(i) => Toon::Shared(i),
            None => Toon::Texture(texture_index(&mut model.textures, name)),
        };
    }
}

fn read_bones(r: &mut Reader<'_>, model: &mut Model, vertices_at: usize) -> Result<()> {
    r.section("bones");
    let count = usize::from(r.u16()?);
    r.check_count(count, BONE_SIZE, "bone")?;
    let mut raw = Vec::with_capacity(count);
    let mut bones = Vec::with_capacity(count);
    for i in 0..count {
        r.item(i);
        let at = r.pos();
        let name = r.fixed_text(20)?;
        let parent = r.u16()?;
        let tail = r.u16()?;
        let kind = r.u8()?;
        let ik_parent = r.u16()?;
        let position = r.vec3()?;
        raw.push(RawBone {
            at,
            parent,
            tail,
            kind,
            ik_parent,
        });
        bones.push(Bone {
            name,
            position,
            ..Bone::default()
        });
    }

    // Vertices refer to bones: check them now that the bones are known.
    for (i, deform) in model.vertices.deforms.iter().enumerate() {
        if let Deform::Bdef2 { bones: pair, .. } = deform {
            for (k, &b) in pair.iter().enumerate() {
                if usize::try_from(b).map_or(true, |b| b >= count) {
                    return Err(Error::new(
                        ErrorKind::IndexOutOfRange,
                        "vertices",
                        Some(i),
                        vertices_at + i * VERTEX_SIZE + VERTEX_BONES_AT + 2 * k,
                        format!("bone index {b} out of range (there are {count})"),
                    ));
                }
            }
        }
    }

    let positions: Vec<[f32; 3]> = bones.iter().map(|b| b.position).collect();
    for (i, (bone, raw)) in bones.iter_mut().zip(&raw).enumerate() {
        r.item(i);
        convert_bone(r, bone, raw, i, &positions)?;
    }
    model.bones = bones;
    Ok(())
}

/// PMD bone type and index fields → PMX flags, tail, append and fixed axis.
fn convert_bone(
    r: &Reader<'_>,
    bone: &mut Bone,
    raw: &RawBone,
    i: usize,
    positions: &[[f32; 3]],
) -> Result<()> {
    let count = positions.len();
    let parent_at = raw.at + 20;
    let tail_at = raw.at + 22;
    let kind_at = raw.at + 24;
    let ik_parent_at = raw.at + 25;

    bone.parent = if raw.parent == NO_BONE {
        -1
    } else {
        let p = usize::from(raw.parent);
        if p >= count {
            return Err(out_of_range(r, parent_at, "parent bone", p, count));
        }
        if p == i {
            return Err(r.error_at(ErrorKind::InvalidValue, parent_at, "bone is its own parent"));
        }
        i32::from(raw.parent)
    };

    if raw.kind > 9 {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            kind_at,
            format!("bone type {} (0..=9)", raw.kind),
        ));
    }
    let mut flags = bone_flags::ROTATABLE | bone_flags::ENABLED;
    if raw.kind != 6 && raw.kind != 7 {
        flags |= bone_flags::VISIBLE;
    }
    if raw.kind == 1 || raw.kind == 2 {
        flags |= bone_flags::TRANSLATABLE;
    }

    // Type 9 keeps its follow ratio in the tail field.
    let tail_bone = if raw.kind == 9 || raw.tail == 0 || raw.tail == NO_BONE {
        None
    } else {
        let t = usize::from(raw.tail);
        if t >= count {
            return Err(out_of_range(r, tail_at, "tail bone", t, count));
        }
        Some(t)
    };
    bone.tail = match tail_bone {
        Some(t) => {
            flags |= bone_flags::TAIL_IS_BONE;
            BoneTail::Bone(index_i32(t))
        }
        None => BoneTail::Offset([0.0; 3]),
    };

    if raw.kind == 5 || raw.kind == 9 {
        let source = usize::from(raw.ik_parent);
        if source >= count {
            return Err(out_of_range(r, ik_parent_at, "append bone", source, count));
        }
        if source == i {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                ik_parent_at,
                "bone follows its own rotation",
            ));
        }
        let ratio = if raw.kind == 5 {
            1.0
        } else {
            f32::from(raw.tail) / 100.0
        };
        flags |= bone_flags::APPEND_ROTATE;
        bone.append = Some(Append {
            parent: i32::from(raw.ik_parent),
            ratio,
        });
    }

    if raw.kind == 8 {
        if let Some(axis) = tail_bone
            .and_then(|t| positions.get(t))
            .and_then(|tail| unit_axis(bone.position, *tail))
        {
            flags |= bone_flags::FIXED_AXIS;
            bone.fixed_axis = Some(axis);
        }
    }

    bone.flags = flags;
    Ok(())
}

/// Unit vector from `from` to `to`, if it has a usable length.
fn unit_axis(from: [f32; 3], to: [f32; 3]) -> Option<[f32; 3]> {
    let d = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
    let len = (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
    (len.is_finite() && len > 1e-6).then(|| [d[0] / len, d[1] / len, d[2] / len])
}

fn knee_limits() -> AngleLimits {
    AngleLimits {
        min: [-std::f32::consts::PI, 0.0, 0.0],
        max: [(-0.5f32).to_radians(), 0.0, 0.0],
    }
}

fn read_ik(r: &mut Reader<'_>, model: &mut Model) -> Result<()> {
    r.section("ik");
    let count = usize::from(r.u16()?);
    r.check_count(count, IK_MIN_SIZE, "IK")?;
    let bone_count = model.bones.len();
    for k in 0..count {
        r.item(k);
        let at = r.pos();
        let ik_bone = usize::from(r.u16()?);
        if ik_bone >= bone_count {
            return Err(out_of_range(r, at, "IK bone", ik_bone, bone_count));
        }
        let effector_at = r.pos();
        let effector = usize::from(r.u16()?);
        if effector >= bone_count {
            return Err(out_of_range(
                r,
                effector_at,
                "IK effector bone",
                effector,
                bone_count,
            ));
        }
        let chain_length = usize::from(r.u8()?);
        let iterations = r.u16()?;
        let control_weight = r.f32()?;
        r.check_count(chain_length, 2, "IK link")?;
        let mut links = Vec::with_capacity(chain_length);
        for _ in 0..chain_length {
            let at = r.pos();
            let b = usize::from(r.u16()?);
            let Some(link_bone) = model.bones.get(b) else {
                return Err(out_of_range(r, at, "IK link bone", b, bone_count));
            };
            links.push(IkLink {
                bone: index_i32(b),
                limits: link_bone.name.contains(KNEE).then(knee_limits),
            });
        }
        let Some(bone) = model.bones.get_mut(ik_bone) else {
            return Err(out_of_range(r, at, "IK bone", ik_bone, bone_count));
        };
        if bone.ik.is_some() {
            continue;
        }
        bone.flags |= bone_flags::IK | bone_flags::TRANSLATABLE;
        bone.ik = Some(Ik {
            target: index_i32(effector),
            loop_count: i32::from(iterations),
            limit_angle: control_weight * 4.0,
            links,
        });
    }
    Ok(())
}

/// Returns the number of PMD skins, base included.
fn read_morphs(r: &mut Reader<'_>, model: &mut Model) -> Result<usize> {
    r.section("morphs");
    let count = usize::from(r.u16()?);
    r.check_count(count, SKIN_MIN_SIZE, "morph")?;
    let vertex_count = model.vertices.len();
    let mut base: Vec<u32> = Vec::new();
    let mut morphs = Vec::with_capacity(count.saturating_sub(1));
    for s in 0..count {
        r.item(s);
        let name = r.fixed_text(20)?;
        let n = usize::try_from(r.u32()?).unwrap_or(usize::MAX);
        let panel = r.u8()?;
        r.check_count(n, SKIN_ENTRY_SIZE, "morph vertex")?;
        if s == 0 {
            base.reserve_exact(n);
            for _ in 0..n {
                let at = r.pos();
                let v = r.u32()?;
                if usize::try_from(v).map_or(true, |v| v >= vertex_count) {
                    return Err(r.error_at(
                        ErrorKind::IndexOutOfRange,
                        at,
                        format!("base morph vertex {v} out of range (there are {vertex_count})"),
                    ));
                }
                r.vec3()?;
                base.push(v);
            }
            continue;
        }
        let mut offsets = Vec::with_capacity(n);
        for _ in 0..n {
            let at = r.pos();
            let k = r.u32()?;
            let vertex = usize::try_from(k).ok().and_then(|k| base.get(k).copied());
            let Some(vertex) = vertex else {
                return Err(r.error_at(
                    ErrorKind::IndexOutOfRange,
                    at,
                    format!(
                        "base morph entry {k} out of range (the base has {})",
                        base.len()
                    ),
                ));
            };
            offsets.push(VertexOffset {
                vertex,
                offset: r.vec3()?,
            });
        }
        morphs.push(Morph {
            name,
            name_en: String::new(),
            panel,
            kind: MorphKind::Vertex,
            offsets: MorphOffsets::Vertex(offsets),
        });
    }
    model.morphs = morphs;
    Ok(count)
}

/// Bone frame names carry a trailing line break in MMD's files.
fn frame_name(r: &mut Reader<'_>) -> Result<String> {
    let name = r.fixed_text(FRAME_NAME_SIZE)?;
    Ok(name.trim_end_matches(['\r', '\n']).to_owned())
}

/// Returns the number of named bone frames.
fn read_display_frames(r: &mut Reader<'_>, model: &mut Model, skin_count: usize) -> Result<usize> {
    r.section("display_frames");
    let morph_count = usize::from(r.u8()?);
    r.check_count(morph_count, 2, "morph display")?;
    let mut expressions = DisplayFrame {
        name: "表情".to_owned(),
        name_en: "Exp".to_owned(),
        special: true,
        items: Vec::with_capacity(morph_count),
    };
    for _ in 0..morph_count {
        let at = r.pos();
        let s = usize::from(r.u16()?);
        if s == 0 || s >= skin_count {
            return Err(r.error_at(
                ErrorKind::IndexOutOfRange,
                at,
                format!("displayed morph {s} out of range (skins 1..{skin_count}; 0 is the base)"),
            ));
        }
        expressions.items.push(DisplayItem::Morph(index_i32(s - 1)));
    }

    let frame_count = usize::from(r.u8()?);
    r.check_count(frame_count, FRAME_NAME_SIZE, "bone frame name")?;
    let mut frames = Vec::with_capacity(frame_count);
    for f in 0..frame_count {
        r.item(f);
        frames.push(DisplayFrame {
            name: frame_name(r)?,
            ..DisplayFrame::default()
        });
    }

    r.section("display_frames");
    let count = count_u32(r, 3, "bone display")?;
    let bone_count = model.bones.len();
    for i in 0..count {
        r.item(i);
        let at = r.pos();
        let bone = usize::from(r.u16()?);
        if bone >= bone_count {
            return Err(out_of_range(r, at, "displayed bone", bone, bone_count));
        }
        let frame_at = r.pos();
        let f = usize::from(r.u8()?);
        let Some(frame) = f.checked_sub(1).and_then(|f| frames.get_mut(f)) else {
            return Err(r.error_at(
                ErrorKind::IndexOutOfRange,
                frame_at,
                format!("bone frame {f} out of range (frames 1..={frame_count})"),
            ));
        };
        frame.items.push(DisplayItem::Bone(index_i32(bone)));
    }

    let root = DisplayFrame {
        name: "Root".to_owned(),
        name_en: "Root".to_owned(),
        special: true,
        items: if bone_count > 0 {
            vec![DisplayItem::Bone(0)]
        } else {
            Vec::new()
        },
    };
    model.display_frames = Vec::with_capacity(frame_count + 2);
    model.display_frames.push(root);
    model.display_frames.push(expressions);
    model.display_frames.extend(frames);
    Ok(frame_count)
}

fn read_english(
    r: &mut Reader<'_>,
    model: &mut Model,
    skin_count: usize,
    frame_count: usize,
) -> Result<()> {
    r.section("english_names");
    let at = r.pos();
    match r.u8()? {
        0 => return Ok(()),
        1 => {}
        flag => {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                at,
                format!("English names flag {flag} (0 or 1)"),
            ))
        }
    }
    model.name_en = r.fixed_text(20)?;
    model.comment_en = r.fixed_text(256)?;
    for (i, bone) in model.bones.iter_mut().enumerate() {
        r.item(i);
        bone.name_en = r.fixed_text(20)?;
    }
    // One name per skin except the base, i.e. per emitted morph.
    let morph_names = skin_count.saturating_sub(1);
    for i in 0..morph_names {
        r.item(i);
        let name = r.fixed_text(20)?;
        if let Some(m) = model.morphs.get_mut(i) {
            m.name_en = name;
        }
    }
    for f in 0..frame_count {
        r.item(f);
        let name = frame_name(r)?;
        if let Some(frame) = model.display_frames.get_mut(f + 2) {
            frame.name_en = name;
        }
    }
    Ok(())
}

fn read_rigid_bodies(r: &mut Reader<'_>, model: &mut Model) -> Result<()> {
    r.section("rigid_bodies");
    let count = count_u32(r, RIGID_BODY_SIZE, "rigid body")?;
    let bone_count = model.bones.len();
    // A body without a bone is placed relative to センター (else bone 0).
    let fallback = model
        .bone_index(CENTER)
        .or(if bone_count > 0 { Some(0) } else { None });
    let mut bodies = Vec::with_capacity(count);
    for i in 0..count {
        r.item(i);
        let name = r.fixed_text(20)?;
        let bone_at = r.pos();
        let bone = r.u16()?;
        let reference = if bone == NO_BONE {
            fallback
        } else if usize::from(bone) < bone_count {
            Some(usize::from(bone))
        } else {
            return Err(out_of_range(
                r,
                bone_at,
                "rigid body bone",
                usize::from(bone),
                bone_count,
            ));
        };
        let group = r.u8()?;
        let collision_mask = r.u16()?;
        let shape_at = r.pos();
        let shape = r.u8()?;
        if shape > 2 {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                shape_at,
                format!("rigid body shape {shape} (0..=2)"),
            ));
        }
        let size = r.vec3()?;
        let relative = r.vec3()?;
        let rotation = r.vec3()?;
        let mass = r.f32()?;
        let linear_damping = r.f32()?;
        let angular_damping = r.f32()?;
        let restitution = r.f32()?;
        let friction = r.f32()?;
        let mode_at = r.pos();
        let physics_mode = r.u8()?;
        if physics_mode > 2 {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                mode_at,
                format!("rigid body mode {physics_mode} (0..=2)"),
            ));
        }
        let origin = reference
            .and_then(|b| model.bones.get(b))
            .map_or([0.0; 3], |b| b.position);
        bodies.push(RigidBody {
            name,
            name_en: String::new(),
            bone: if bone == NO_BONE { -1 } else { i32::from(bone) },
            group,
            collision_mask,
            shape,
            size,
            position: [
                relative[0] + origin[0],
                relative[1] + origin[1],
                relative[2] + origin[2],
            ],
            rotation,
            mass,
            linear_damping,
            angular_damping,
            restitution,
            friction,
            physics_mode,
        });
    }
    model.rigid_bodies = bodies;
    Ok(())
}

fn read_joints(r: &mut Reader<'_>, model: &mut Model) -> Result<()> {
    r.section("joints");
    let count = count_u32(r, JOINT_SIZE, "joint")?;
    let body_count = model.rigid_bodies.len();
    let mut joints = Vec::with_capacity(count);
    for i in 0..count {
        r.item(i);
        let name = r.fixed_text(20)?;
        let mut bodies = [0i32; 2];
        for body in bodies.iter_mut() {
            let at = r.pos();
            let b = r.u32()?;
            match usize::try_from(b) {
                Ok(b) if b < body_count => *body = index_i32(b),
                _ => {
                    return Err(r.error_at(
                        ErrorKind::IndexOutOfRange,
                        at,
                        format!("rigid body {b} out of range (there are {body_count})"),
                    ))
                }
            }
        }
        joints.push(Joint {
            name,
            name_en: String::new(),
            kind: 0,
            rigid_a: bodies[0],
            rigid_b: bodies[1],
            position: r.vec3()?,
            rotation: r.vec3()?,
            position_min: r.vec3()?,
            position_max: r.vec3()?,
            rotation_min: r.vec3()?,
            rotation_max: r.vec3()?,
            spring_position: r.vec3()?,
            spring_rotation: r.vec3()?,
        });
    }
    model.joints = joints;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texture_field_split() {
        assert_eq!(split_texture_field("a.bmp*b.spa"), ("a.bmp", "b.spa"));
        assert_eq!(split_texture_field("env.SPH"), ("", "env.SPH"));
        assert_eq!(split_texture_field("face.png"), ("face.png", ""));
        assert_eq!(split_texture_field(""), ("", ""));
        assert_eq!(split_texture_field("*x.sph"), ("", "x.sph"));
    }

    #[test]
    fn shared_toon_names() {
        assert_eq!(shared_toon("toon01.bmp"), Some(0));
        assert_eq!(shared_toon("Toon10.BMP"), Some(9));
        assert_eq!(shared_toon("toon00.bmp"), None);
        assert_eq!(shared_toon("toon11.bmp"), None);
        assert_eq!(shared_toon("mytoon.bmp"), None);
        assert_eq!(shared_toon("toon1.bmp"), None);
        assert_eq!(shared_toon(""), None);
    }

    #[test]
    fn index_widths() {
        assert_eq!(signed_width(0), 2);
        assert_eq!(signed_width(32768), 2);
        assert_eq!(signed_width(32769), 4);
    }

    #[test]
    fn twist_axis_needs_length() {
        assert_eq!(unit_axis([0.0; 3], [0.0; 3]), None);
        assert_eq!(
            unit_axis([1.0, 0.0, 0.0], [1.0, 2.0, 0.0]),
            Some([0.0, 1.0, 0.0])
        );
    }
}
