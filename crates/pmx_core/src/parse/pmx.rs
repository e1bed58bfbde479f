//! PMX 2.0 / 2.1 reader.
//!
//! The file is read front to back with the bounds-checked [`Reader`]; every
//! count is checked against the bytes left before anything is allocated for
//! it, and every index is checked against its table where it is read, so an
//! error names the section, the item and the exact byte offset of the bad
//! value. Two kinds of index point forward in the file and are checked as
//! soon as their table's count is read: vertex deform bones (checked when the
//! bone count is read) and impulse morph rigid bodies (checked when the rigid
//! body count is read).
//!
//! Index rules (the writer enforces the same ones):
//! - `-1` ("none") is allowed for deform bones, material textures/sphere/toon
//!   textures, bone parent/tail/append parent, material morph targets (= all
//!   materials), rigid body bones, joint rigid bodies and soft body materials;
//! - every other index must point inside its table;
//! - 2.1-only data (QDEF, flip/impulse morphs, joint kinds > 0, soft bodies)
//!   in a 2.0 file is an [`ErrorKind::InvalidValue`].
//!
//! Not kept: header globals beyond the eight the format defines (skipped),
//! and bytes after the last section (real files sometimes carry some; they
//! are tolerated and ignored).

use crate::error::{Error, ErrorKind, Result};
use crate::model::*;
use crate::parse::reader::Reader;

/// The two versions this reader accepts (compared exactly, as stored).
const VERSION_20: f32 = 2.0;
const VERSION_21: f32 = 2.1;

/// What every section needs from the header.
struct Ctx {
    enc: Encoding,
    sizes: IndexSizes,
    v21: bool,
    additional_uv_count: u8,
}

/// Parse a whole PMX 2.0 or 2.1 file.
pub fn parse_pmx(bytes: &[u8]) -> Result<Model> {
    let mut r = Reader::new(bytes);
    let header = read_header(&mut r)?;
    let ctx = Ctx {
        enc: header.encoding,
        sizes: header.index_sizes,
        v21: header.version == VERSION_21,
        additional_uv_count: header.additional_uv_count,
    };
    let mut model = Model {
        header,
        ..Model::default()
    };

    r.section("header");
    model.name = r.text(ctx.enc)?;
    model.name_en = r.text(ctx.enc)?;
    model.comment = r.text(ctx.enc)?;
    model.comment_en = r.text(ctx.enc)?;

    let deform_offsets = read_vertices(&mut r, &ctx, &mut model.vertices)?;
    model.faces = read_faces(&mut r, &ctx, model.vertices.len())?;
    model.textures = read_textures(&mut r, &ctx)?;
    model.materials = read_materials(&mut r, &ctx, model.textures.len(), model.faces.len())?;

    r.section("bones");
    let bone_count = r.count_i32(26 + 2 * ctx.sizes.bone as usize, "bone")?;
    check_deform_bones(
        &model.vertices.deforms,
        &deform_offsets,
        ctx.sizes.bone,
        bone_count,
    )?;
    model.bones = read_bones(&mut r, &ctx, bone_count)?;

    let (morphs, impulse_refs) = read_morphs(&mut r, &ctx, &model)?;
    model.morphs = morphs;
    model.display_frames =
        read_display_frames(&mut r, &ctx, model.bones.len(), model.morphs.len())?;

    r.section("rigid_bodies");
    let rigid_count = r.count_i32(69 + ctx.sizes.bone as usize, "rigid body")?;
    check_impulse_rigid_bodies(&impulse_refs, rigid_count)?;
    model.rigid_bodies = read_rigid_bodies(&mut r, &ctx, rigid_count, model.bones.len())?;
    model.joints = read_joints(&mut r, &ctx, model.rigid_bodies.len())?;
    if ctx.v21 {
        model.soft_bodies = read_soft_bodies(&mut r, &ctx, &model)?;
    }
    // Anything after the last section is ignored (see the module docs).
    Ok(model)
}

fn read_header(r: &mut Reader) -> Result<Header> {
    r.section("header");
    let magic = r.take(4)?;
    if magic != b"PMX " {
        return Err(r.error_at(
            ErrorKind::BadMagic,
            0,
            format!("magic \"{}\" is not \"PMX \"", magic.escape_ascii()),
        ));
    }
    let at = r.pos();
    let version = r.f32()?;
    if version != VERSION_20 && version != VERSION_21 {
        return Err(r.error_at(
            ErrorKind::UnsupportedVersion,
            at,
            format!("PMX version {version} (only 2.0 and 2.1 are read)"),
        ));
    }
    let at = r.pos();
    let globals = r.u8()?;
    if globals < 8 {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("header has {globals} globals, PMX needs at least 8"),
        ));
    }
    let at = r.pos();
    let encoding = match r.u8()? {
        0 => Encoding::Utf16,
        1 => Encoding::Utf8,
        b => {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                at,
                format!("text encoding byte {b} (0 UTF-16, 1 UTF-8)"),
            ))
        }
    };
    let at = r.pos();
    let additional_uv_count = r.u8()?;
    if additional_uv_count > 4 {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("{additional_uv_count} additional UVs (at most 4)"),
        ));
    }
    let mut sizes = [0u8; 6];
    let names = [
        "vertex",
        "texture",
        "material",
        "bone",
        "morph",
        "rigid body",
    ];
    for (size, name) in sizes.iter_mut().zip(names) {
        let at = r.pos();
        *size = r.u8()?;
        if !matches!(*size, 1 | 2 | 4) {
            return Err(r.error_at(
                ErrorKind::InvalidValue,
                at,
                format!("{name} index size {size} (must be 1, 2 or 4)"),
            ));
        }
    }
    // Globals beyond the eight defined ones are skipped.
    r.take(usize::from(globals - 8))?;
    let [vertex, texture, material, bone, morph, rigid_body] = sizes;
    Ok(Header {
        format: SourceFormat::Pmx,
        version,
        encoding,
        additional_uv_count,
        index_sizes: IndexSizes {
            vertex,
            texture,
            material,
            bone,
            morph,
            rigid_body,
        },
    })
}

// ---------------------------------------------------------------- helpers

/// Read a signed index of `size` bytes and check it against a table of
/// `count` items; `none_ok` also allows -1.
fn index(r: &mut Reader, size: u8, count: usize, none_ok: bool, what: &str) -> Result<i32> {
    let at = r.pos();
    let v = r.index(size)?;
    check_index(v, count, none_ok).then_some(v).ok_or_else(|| {
        r.error_at(
            ErrorKind::IndexOutOfRange,
            at,
            out_of_range(what, v, count, none_ok),
        )
    })
}

fn check_index(v: i32, count: usize, none_ok: bool) -> bool {
    (none_ok && v == -1) || usize::try_from(v).is_ok_and(|v| v < count)
}

fn out_of_range(what: &str, v: impl std::fmt::Display, count: usize, none_ok: bool) -> String {
    let none = if none_ok { " or -1" } else { "" };
    format!("{what} index {v} out of range (table has {count}; valid 0..{count}{none})")
}

/// Read a vertex index (unsigned for 1 and 2 bytes) and check it.
fn vertex_index(r: &mut Reader, size: u8, count: usize, what: &str) -> Result<u32> {
    let at = r.pos();
    let v = r.vertex_index(size)?;
    if usize::try_from(v).is_ok_and(|v| v < count) {
        Ok(v)
    } else {
        Err(r.error_at(
            ErrorKind::IndexOutOfRange,
            at,
            out_of_range(what, v, count, false),
        ))
    }
}

/// A byte that must be at most `max`.
fn byte_upto(r: &mut Reader, max: u8, what: &str) -> Result<u8> {
    let at = r.pos();
    let b = r.u8()?;
    if b > max {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("{what} {b} (must be 0..={max})"),
        ));
    }
    Ok(b)
}

fn bool_byte(r: &mut Reader, what: &str) -> Result<bool> {
    Ok(byte_upto(r, 1, what)? == 1)
}

fn vec_of<'a, const N: usize, T: Copy + Default>(
    r: &mut Reader<'a>,
    read: fn(&mut Reader<'a>) -> Result<T>,
) -> Result<[T; N]> {
    let mut out = [T::default(); N];
    for v in &mut out {
        *v = read(r)?;
    }
    Ok(out)
}

fn requires_21(r: &Reader, at: usize, ctx: &Ctx, what: &str) -> Result<()> {
    if ctx.v21 {
        Ok(())
    } else {
        Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("{what} needs PMX 2.1, file is 2.0"),
        ))
    }
}

// ---------------------------------------------------------------- vertices

/// Reads the vertex section; returns, per vertex, the offset of its first
/// deform bone index (bone indices are contiguous), for checking once the
/// bone count is known.
fn read_vertices(r: &mut Reader, ctx: &Ctx, out: &mut Vertices) -> Result<Vec<usize>> {
    r.section("vertices");
    let auv = usize::from(ctx.additional_uv_count);
    let bs = ctx.sizes.bone;
    let min = 32 + 16 * auv + 1 + usize::from(bs) + 4;
    let n = r.count_i32(min, "vertex")?;
    out.positions = Vec::with_capacity(n);
    out.normals = Vec::with_capacity(n);
    out.uvs = Vec::with_capacity(n);
    out.additional_uvs = (0..auv).map(|_| Vec::with_capacity(n)).collect();
    out.deforms = Vec::with_capacity(n);
    out.edge_scales = Vec::with_capacity(n);
    let mut deform_offsets = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        out.positions.push(r.vec3()?);
        out.normals.push(r.vec3()?);
        out.uvs.push(r.vec2()?);
        for channel in &mut out.additional_uvs {
            channel.push(r.vec4()?);
        }
        let kind_at = r.pos();
        let kind = r.u8()?;
        deform_offsets.push(r.pos());
        let deform = match kind {
            0 => Deform::Bdef1 { bone: r.index(bs)? },
            1 => Deform::Bdef2 {
                bones: [r.index(bs)?, r.index(bs)?],
                weight: r.f32()?,
            },
            2 => Deform::Bdef4 {
                bones: [r.index(bs)?, r.index(bs)?, r.index(bs)?, r.index(bs)?],
                weights: r.vec4()?,
            },
            3 => Deform::Sdef {
                bones: [r.index(bs)?, r.index(bs)?],
                weight: r.f32()?,
                c: r.vec3()?,
                r0: r.vec3()?,
                r1: r.vec3()?,
            },
            4 => {
                requires_21(r, kind_at, ctx, "QDEF deform")?;
                Deform::Qdef {
                    bones: [r.index(bs)?, r.index(bs)?, r.index(bs)?, r.index(bs)?],
                    weights: r.vec4()?,
                }
            }
            k => {
                return Err(r.error_at(
                    ErrorKind::InvalidValue,
                    kind_at,
                    format!("deform type {k} (0 BDEF1, 1 BDEF2, 2 BDEF4, 3 SDEF, 4 QDEF)"),
                ))
            }
        };
        out.deforms.push(deform);
        out.edge_scales.push(r.f32()?);
    }
    Ok(deform_offsets)
}

/// The bone indices of a deform, in file order.
fn deform_bones(d: &Deform) -> &[i32] {
    match d {
        Deform::Bdef1 { bone } => std::slice::from_ref(bone),
        Deform::Bdef2 { bones, .. } | Deform::Sdef { bones, .. } => bones,
        Deform::Bdef4 { bones, .. } | Deform::Qdef { bones, .. } => bones,
    }
}

fn check_deform_bones(
    deforms: &[Deform],
    offsets: &[usize],
    bone_size: u8,
    bone_count: usize,
) -> Result<()> {
    for (v, (d, &base)) in deforms.iter().zip(offsets).enumerate() {
        for (j, &b) in deform_bones(d).iter().enumerate() {
            if !check_index(b, bone_count, true) {
                return Err(Error::new(
                    ErrorKind::IndexOutOfRange,
                    "vertices",
                    Some(v),
                    base + j * usize::from(bone_size),
                    out_of_range("deform bone", b, bone_count, true),
                ));
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- faces, textures, materials

fn read_faces(r: &mut Reader, ctx: &Ctx, vertex_count: usize) -> Result<Vec<[u32; 3]>> {
    r.section("faces");
    let at = r.pos();
    let vs = ctx.sizes.vertex;
    let n = r.count_i32(usize::from(vs), "face index")?;
    if n % 3 != 0 {
        return Err(r.error_at(
            ErrorKind::InvalidValue,
            at,
            format!("face index count {n} is not a multiple of 3"),
        ));
    }
    let mut faces = Vec::with_capacity(n / 3);
    for i in 0..n / 3 {
        r.item(i);
        faces.push([
            vertex_index(r, vs, vertex_count, "face vertex")?,
            vertex_index(r, vs, vertex_count, "face vertex")?,
            vertex_index(r, vs, vertex_count, "face vertex")?,
        ]);
    }
    Ok(faces)
}

fn read_textures(r: &mut Reader, ctx: &Ctx) -> Result<Vec<String>> {
    r.section("textures");
    let n = r.count_i32(4, "texture")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        out.push(r.text(ctx.enc)?);
    }
    Ok(out)
}

fn read_materials(
    r: &mut Reader,
    ctx: &Ctx,
    texture_count: usize,
    face_count: usize,
) -> Result<Vec<Material>> {
    r.section("materials");
    let ts = ctx.sizes.texture;
    let n = r.count_i32(84 + 2 * usize::from(ts), "material")?;
    let total = face_count * 3;
    let mut used = 0usize;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let diffuse = r.vec4()?;
        let specular = r.vec3()?;
        let specularity = r.f32()?;
        let ambient = r.vec3()?;
        let flags = r.u8()?;
        let edge_color = r.vec4()?;
        let edge_size = r.f32()?;
        let texture = index(r, ts, texture_count, true, "texture")?;
        let sphere_texture = index(r, ts, texture_count, true, "sphere texture")?;
        let sphere_mode = match byte_upto(r, 3, "sphere mode")? {
            0 => SphereMode::Off,
            1 => SphereMode::Multiply,
            2 => SphereMode::Add,
            _ => SphereMode::SubTexture,
        };
        let toon = if bool_byte(r, "shared toon flag")? {
            Toon::Shared(byte_upto(r, 9, "shared toon index")?)
        } else {
            Toon::Texture(index(r, ts, texture_count, true, "toon texture")?)
        };
        let memo = r.text(ctx.enc)?;
        let at = r.pos();
        let count = r.i32()?;
        let index_count = u32::try_from(count)
            .ok()
            .filter(|c| c % 3 == 0)
            .ok_or_else(|| {
                r.error_at(
                    ErrorKind::InvalidValue,
                    at,
                    format!(
                        "material face index count {count} is not a non-negative multiple of 3"
                    ),
                )
            })?;
        used = used
            .checked_add(index_count as usize)
            .filter(|&u| u <= total)
            .ok_or_else(|| {
                r.error_at(
                    ErrorKind::IndexOutOfRange,
                    at,
                    format!(
                        "materials draw more face indices than the {total} the model has ({index_count} more after {used})"
                    ),
                )
            })?;
        out.push(Material {
            name,
            name_en,
            diffuse,
            specular,
            specularity,
            ambient,
            flags,
            edge_color,
            edge_size,
            texture,
            sphere_texture,
            sphere_mode,
            toon,
            memo,
            index_count,
        });
    }
    if used != total {
        r.section("materials");
        return Err(r.error(
            ErrorKind::InvalidValue,
            format!("materials draw {used} face indices, the model has {total}"),
        ));
    }
    Ok(out)
}

// ---------------------------------------------------------------- bones

fn read_bones(r: &mut Reader, ctx: &Ctx, n: usize) -> Result<Vec<Bone>> {
    use bone_flags::*;
    let bs = ctx.sizes.bone;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let position = r.vec3()?;
        let parent = index(r, bs, n, true, "parent bone")?;
        let layer = r.i32()?;
        let flags = r.u16()?;
        let has = |f: u16| flags & f != 0;
        let tail = if has(TAIL_IS_BONE) {
            BoneTail::Bone(index(r, bs, n, true, "tail bone")?)
        } else {
            BoneTail::Offset(r.vec3()?)
        };
        let append = if has(APPEND_ROTATE) || has(APPEND_TRANSLATE) {
            Some(Append {
                parent: index(r, bs, n, true, "append parent bone")?,
                ratio: r.f32()?,
            })
        } else {
            None
        };
        let fixed_axis = if has(FIXED_AXIS) {
            Some(r.vec3()?)
        } else {
            None
        };
        let local_axes = if has(LOCAL_AXES) {
            Some(LocalAxes {
                x: r.vec3()?,
                z: r.vec3()?,
            })
        } else {
            None
        };
        let external_parent = if has(EXTERNAL_PARENT) {
            Some(r.i32()?)
        } else {
            None
        };
        let ik = if has(IK) {
            let target = index(r, bs, n, false, "IK target bone")?;
            let loop_count = r.i32()?;
            let limit_angle = r.f32()?;
            let link_count = r.count_i32(usize::from(bs) + 1, "IK link")?;
            let mut links = Vec::with_capacity(link_count);
            for _ in 0..link_count {
                let bone = index(r, bs, n, false, "IK link bone")?;
                let limits = if bool_byte(r, "IK link limit flag")? {
                    Some(AngleLimits {
                        min: r.vec3()?,
                        max: r.vec3()?,
                    })
                } else {
                    None
                };
                links.push(IkLink { bone, limits });
            }
            Some(Ik {
                target,
                loop_count,
                limit_angle,
                links,
            })
        } else {
            None
        };
        out.push(Bone {
            name,
            name_en,
            position,
            parent,
            layer,
            flags,
            tail,
            append,
            fixed_axis,
            local_axes,
            external_parent,
            ik,
        });
    }
    Ok(out)
}

// ---------------------------------------------------------------- morphs

/// (morph, item, offset, rigid index) of each impulse offset, checked once
/// the rigid body count is known.
type ImpulseRefs = Vec<(usize, usize, i32)>;

fn read_morphs(r: &mut Reader, ctx: &Ctx, model: &Model) -> Result<(Vec<Morph>, ImpulseRefs)> {
    r.section("morphs");
    let s = ctx.sizes;
    let vc = model.vertices.len();
    let bc = model.bones.len();
    let mc = model.materials.len();
    let n = r.count_i32(14, "morph")?;
    let mut impulses = ImpulseRefs::new();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let panel = r.u8()?;
        let kind_at = r.pos();
        let kind_byte = r.u8()?;
        let kind = MorphKind::from_byte(kind_byte).ok_or_else(|| {
            r.error_at(
                ErrorKind::InvalidValue,
                kind_at,
                format!("morph type {kind_byte} (must be 0..=10)"),
            )
        })?;
        if matches!(kind, MorphKind::Flip | MorphKind::Impulse) {
            requires_21(r, kind_at, ctx, &format!("{} morph", kind.as_str()))?;
        }
        let vs = usize::from(s.vertex);
        let offsets = match kind {
            MorphKind::Group | MorphKind::Flip => {
                let c = r.count_i32(usize::from(s.morph) + 4, "group morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    v.push(GroupOffset {
                        morph: index(r, s.morph, n, false, "morph")?,
                        weight: r.f32()?,
                    });
                }
                if kind == MorphKind::Group {
                    MorphOffsets::Group(v)
                } else {
                    MorphOffsets::Flip(v)
                }
            }
            MorphKind::Vertex => {
                let c = r.count_i32(vs + 12, "vertex morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    v.push(VertexOffset {
                        vertex: vertex_index(r, s.vertex, vc, "vertex")?,
                        offset: r.vec3()?,
                    });
                }
                MorphOffsets::Vertex(v)
            }
            MorphKind::Bone => {
                let c = r.count_i32(usize::from(s.bone) + 28, "bone morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    v.push(BoneOffset {
                        bone: index(r, s.bone, bc, false, "bone")?,
                        translation: r.vec3()?,
                        rotation: r.vec4()?,
                    });
                }
                MorphOffsets::Bone(v)
            }
            MorphKind::Uv | MorphKind::Uv1 | MorphKind::Uv2 | MorphKind::Uv3 | MorphKind::Uv4 => {
                let c = r.count_i32(vs + 16, "UV morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    v.push(UvOffset {
                        vertex: vertex_index(r, s.vertex, vc, "vertex")?,
                        offset: r.vec4()?,
                    });
                }
                MorphOffsets::Uv(v)
            }
            MorphKind::Material => {
                let c = r.count_i32(usize::from(s.material) + 113, "material morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    v.push(MaterialOffset {
                        material: index(r, s.material, mc, true, "material")?,
                        op: if bool_byte(r, "material morph operation")? {
                            MaterialOp::Add
                        } else {
                            MaterialOp::Multiply
                        },
                        diffuse: r.vec4()?,
                        specular: r.vec3()?,
                        specularity: r.f32()?,
                        ambient: r.vec3()?,
                        edge_color: r.vec4()?,
                        edge_size: r.f32()?,
                        texture_tint: r.vec4()?,
                        sphere_tint: r.vec4()?,
                        toon_tint: r.vec4()?,
                    });
                }
                MorphOffsets::Material(v)
            }
            MorphKind::Impulse => {
                let c = r.count_i32(usize::from(s.rigid_body) + 25, "impulse morph offset")?;
                let mut v = Vec::with_capacity(c);
                for _ in 0..c {
                    let at = r.pos();
                    let rigid_body = r.index(s.rigid_body)?;
                    impulses.push((i, at, rigid_body));
                    v.push(ImpulseOffset {
                        rigid_body,
                        local: bool_byte(r, "impulse local flag")?,
                        velocity: r.vec3()?,
                        torque: r.vec3()?,
                    });
                }
                MorphOffsets::Impulse(v)
            }
        };
        out.push(Morph {
            name,
            name_en,
            panel,
            kind,
            offsets,
        });
    }
    Ok((out, impulses))
}

fn check_impulse_rigid_bodies(refs: &ImpulseRefs, rigid_count: usize) -> Result<()> {
    for &(morph, at, v) in refs {
        if !check_index(v, rigid_count, false) {
            return Err(Error::new(
                ErrorKind::IndexOutOfRange,
                "morphs",
                Some(morph),
                at,
                out_of_range("impulse rigid body", v, rigid_count, false),
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- display frames, physics

fn read_display_frames(
    r: &mut Reader,
    ctx: &Ctx,
    bone_count: usize,
    morph_count: usize,
) -> Result<Vec<DisplayFrame>> {
    r.section("display_frames");
    let s = ctx.sizes;
    let n = r.count_i32(13, "display frame")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let special = bool_byte(r, "special frame flag")?;
        let c = r.count_i32(1 + usize::from(s.bone.min(s.morph)), "display item")?;
        let mut items = Vec::with_capacity(c);
        for _ in 0..c {
            items.push(if bool_byte(r, "display item type")? {
                DisplayItem::Morph(index(r, s.morph, morph_count, false, "morph")?)
            } else {
                DisplayItem::Bone(index(r, s.bone, bone_count, false, "bone")?)
            });
        }
        out.push(DisplayFrame {
            name,
            name_en,
            special,
            items,
        });
    }
    Ok(out)
}

fn read_rigid_bodies(
    r: &mut Reader,
    ctx: &Ctx,
    n: usize,
    bone_count: usize,
) -> Result<Vec<RigidBody>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        out.push(RigidBody {
            name: r.text(ctx.enc)?,
            name_en: r.text(ctx.enc)?,
            bone: index(r, ctx.sizes.bone, bone_count, true, "bone")?,
            group: r.u8()?,
            collision_mask: r.u16()?,
            shape: byte_upto(r, 2, "rigid body shape")?,
            size: r.vec3()?,
            position: r.vec3()?,
            rotation: r.vec3()?,
            mass: r.f32()?,
            linear_damping: r.f32()?,
            angular_damping: r.f32()?,
            restitution: r.f32()?,
            friction: r.f32()?,
            physics_mode: byte_upto(r, 2, "rigid body physics mode")?,
        });
    }
    Ok(out)
}

fn read_joints(r: &mut Reader, ctx: &Ctx, rigid_count: usize) -> Result<Vec<Joint>> {
    r.section("joints");
    let rs = ctx.sizes.rigid_body;
    let n = r.count_i32(105 + 2 * usize::from(rs), "joint")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let kind_at = r.pos();
        let kind = byte_upto(r, 5, "joint type")?;
        if kind > 0 {
            requires_21(r, kind_at, ctx, &format!("joint type {kind}"))?;
        }
        out.push(Joint {
            name,
            name_en,
            kind,
            rigid_a: index(r, rs, rigid_count, true, "rigid body A")?,
            rigid_b: index(r, rs, rigid_count, true, "rigid body B")?,
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
    Ok(out)
}

fn read_soft_bodies(r: &mut Reader, ctx: &Ctx, model: &Model) -> Result<Vec<SoftBody>> {
    r.section("soft_bodies");
    let s = ctx.sizes;
    let vc = model.vertices.len();
    let rc = model.rigid_bodies.len();
    let n = r.count_i32(141 + usize::from(s.material), "soft body")?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        r.item(i);
        let name = r.text(ctx.enc)?;
        let name_en = r.text(ctx.enc)?;
        let shape = byte_upto(r, 1, "soft body shape")?;
        let material = index(r, s.material, model.materials.len(), true, "material")?;
        let group = r.u8()?;
        let collision_mask = r.u16()?;
        let flags = r.u8()?;
        let b_link_distance = r.i32()?;
        let cluster_count = r.i32()?;
        let total_mass = r.f32()?;
        let margin = r.f32()?;
        let aero_model = r.i32()?;
        let config = vec_of::<12, f32>(r, Reader::f32)?;
        let cluster = vec_of::<6, f32>(r, Reader::f32)?;
        let iteration = vec_of::<4, i32>(r, Reader::i32)?;
        let material_params = vec_of::<3, f32>(r, Reader::f32)?;
        let c = r.count_i32(
            usize::from(s.rigid_body) + usize::from(s.vertex) + 1,
            "soft body anchor",
        )?;
        let mut anchors = Vec::with_capacity(c);
        for _ in 0..c {
            anchors.push(SoftBodyAnchor {
                rigid_body: index(r, s.rigid_body, rc, false, "anchor rigid body")?,
                vertex: vertex_index(r, s.vertex, vc, "anchor vertex")?,
                near_mode: r.u8()?,
            });
        }
        let c = r.count_i32(usize::from(s.vertex), "soft body pin")?;
        let mut pins = Vec::with_capacity(c);
        for _ in 0..c {
            pins.push(vertex_index(r, s.vertex, vc, "pin vertex")?);
        }
        out.push(SoftBody {
            name,
            name_en,
            shape,
            material,
            group,
            collision_mask,
            flags,
            b_link_distance,
            cluster_count,
            total_mass,
            margin,
            aero_model,
            config,
            cluster,
            iteration,
            material_params,
            anchors,
            pins,
        });
    }
    Ok(out)
}
