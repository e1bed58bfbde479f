//! PMX 2.0 / 2.1 writer.
//!
//! Writes exactly what the model holds, with the header's version, encoding,
//! additional UV count and index sizes, so `parse(write(m)) == m` and, for a
//! file without extra header globals or trailing bytes, `write(parse(f)) == f`.
//!
//! The model is checked while it is written and anything the reader would
//! reject (or read back differently) is an [`ErrorKind::Unwritable`] naming the
//! section and item instead of a corrupt file: mismatched vertex array
//! lengths, `Option` fields that disagree with their flags, indices outside
//! their tables (the same rules as the reader, see [`crate::parse::pmx`]),
//! index widths too small for their tables, material index counts that do not
//! cover the faces, and 2.1-only data in a 2.0 model.
//!
//! Two deliberate conversions: Shift-JIS text (from PMD) is written as UTF-16,
//! since PMX has no Shift-JIS; and a model read from PMD is written as PMX 2.0.

use std::path::Path;

use crate::error::{Error, ErrorKind, Result};
use crate::model::*;
use crate::parse::text;

/// Serialise a model as a PMX file.
pub fn write_pmx(model: &Model) -> Result<Vec<u8>> {
    let mut w = Writer::new(model)?;
    w.header(model)?;
    w.vertices(model)?;
    w.faces(model)?;
    w.textures(model)?;
    w.materials(model)?;
    w.bones(model)?;
    w.morphs(model)?;
    w.display_frames(model)?;
    w.rigid_bodies(model)?;
    w.joints(model)?;
    w.soft_bodies(model)?;
    Ok(w.buf)
}

/// Serialise a model and write it to `path`; I/O failures are [`ErrorKind::Io`].
pub fn write_pmx_file(model: &Model, path: &Path) -> Result<()> {
    let bytes = write_pmx(model)?;
    std::fs::write(path, bytes).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            "file",
            None,
            0,
            format!("cannot write {}: {e}", path.display()),
        )
    })
}

impl IndexSizes {
    /// The narrowest widths for this model's tables, leaving the top value of
    /// each width unused as common PMX tools do: signed indices take 1 byte up
    /// to 127 items and 2 bytes up to 32767; vertex indices (unsigned for 1
    /// and 2 bytes) take 1 byte up to 255 vertices and 2 bytes up to 65535.
    pub fn smallest_for(model: &Model) -> IndexSizes {
        let signed = |n: usize| match n {
            0..=127 => 1,
            128..=32767 => 2,
            _ => 4,
        };
        IndexSizes {
            vertex: match model.vertices.len() {
                0..=255 => 1,
                256..=65535 => 2,
                _ => 4,
            },
            texture: signed(model.textures.len()),
            material: signed(model.materials.len()),
            bone: signed(model.bones.len()),
            morph: signed(model.morphs.len()),
            rigid_body: signed(model.rigid_bodies.len()),
        }
    }
}

/// Most items a table may have for an index width: every index of it
/// (and -1 for signed ones) must be representable.
fn capacity(size: u8, unsigned: bool) -> usize {
    match (size, unsigned) {
        (1, false) => 1 << 7,
        (2, false) => 1 << 15,
        (1, true) => 1 << 8,
        (2, true) => 1 << 16,
        _ => i32::MAX as usize,
    }
}

fn unwritable(section: &'static str, item: Option<usize>, message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Unwritable, section, item, 0, message)
}

/// Table sizes the indices are checked against.
#[derive(Clone, Copy)]
struct Counts {
    vertices: usize,
    textures: usize,
    materials: usize,
    bones: usize,
    morphs: usize,
    rigid_bodies: usize,
}

struct Writer {
    buf: Vec<u8>,
    enc: Encoding,
    sizes: IndexSizes,
    v21: bool,
    counts: Counts,
    section: &'static str,
    item: Option<usize>,
}

impl Writer {
    fn new(model: &Model) -> Result<Writer> {
        let h = &model.header;
        let v21 = match h.format {
            SourceFormat::Pmd => false,
            SourceFormat::Pmx if h.version == 2.0 => false,
            SourceFormat::Pmx if h.version == 2.1 => true,
            SourceFormat::Pmx => {
                return Err(unwritable(
                    "header",
                    None,
                    format!(
                        "PMX version {} (only 2.0 and 2.1 can be written)",
                        h.version
                    ),
                ))
            }
        };
        let enc = match h.encoding {
            Encoding::Utf8 => Encoding::Utf8,
            Encoding::Utf16 | Encoding::ShiftJis => Encoding::Utf16,
        };
        let counts = Counts {
            vertices: model.vertices.len(),
            textures: model.textures.len(),
            materials: model.materials.len(),
            bones: model.bones.len(),
            morphs: model.morphs.len(),
            rigid_bodies: model.rigid_bodies.len(),
        };
        let s = h.index_sizes;
        let tables = [
            ("vertex", s.vertex, counts.vertices, true),
            ("texture", s.texture, counts.textures, false),
            ("material", s.material, counts.materials, false),
            ("bone", s.bone, counts.bones, false),
            ("morph", s.morph, counts.morphs, false),
            ("rigid body", s.rigid_body, counts.rigid_bodies, false),
        ];
        for (name, size, count, unsigned) in tables {
            if !matches!(size, 1 | 2 | 4) {
                return Err(unwritable(
                    "header",
                    None,
                    format!("{name} index size {size} (must be 1, 2 or 4)"),
                ));
            }
            let cap = capacity(size, unsigned);
            if count > cap {
                return Err(unwritable(
                    "header",
                    None,
                    format!(
                        "{name} index size {size} holds at most {cap} items, the model has {count}"
                    ),
                ));
            }
        }
        if h.additional_uv_count > 4 {
            return Err(unwritable(
                "header",
                None,
                format!("{} additional UVs (at most 4)", h.additional_uv_count),
            ));
        }
        Ok(Writer {
            buf: Vec::new(),
            enc,
            sizes: s,
            v21,
            counts,
            section: "header",
            item: None,
        })
    }

    // ------------------------------------------------------------ primitives

    fn err(&self, message: impl Into<String>) -> Error {
        unwritable(self.section, self.item, message)
    }
    fn start(&mut self, section: &'static str) {
        self.section = section;
        self.item = None;
    }
    fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    fn floats(&mut self, v: &[f32]) {
        for &x in v {
            self.f32(x);
        }
    }
    fn count(&mut self, n: usize, what: &str) -> Result<()> {
        let n = i32::try_from(n)
            .map_err(|_| self.err(format!("{n} {what}s do not fit a PMX count")))?;
        self.i32(n);
        Ok(())
    }
    fn text(&mut self, s: &str) -> Result<()> {
        let bytes = text::encode(s, self.enc)
            .ok_or_else(|| self.err(format!("text {s:?} cannot be encoded")))?;
        self.count(bytes.len(), "text byte")?;
        self.buf.extend_from_slice(&bytes);
        Ok(())
    }
    /// A signed index into a table of `count`, -1 allowed when `none_ok`.
    /// The width was checked against the table in [`Writer::new`], so every
    /// accepted value fits.
    fn index(&mut self, v: i32, size: u8, count: usize, none_ok: bool, what: &str) -> Result<()> {
        let ok = (none_ok && v == -1) || usize::try_from(v).is_ok_and(|v| v < count);
        if !ok {
            let none = if none_ok { " or -1" } else { "" };
            return Err(self.err(format!(
                "{what} index {v} out of range (table has {count}; valid 0..{count}{none})"
            )));
        }
        match size {
            1 => self.u8(v as i8 as u8),
            2 => self.u16(v as i16 as u16),
            _ => self.i32(v),
        }
        Ok(())
    }
    fn vertex_index(&mut self, v: u32, what: &str) -> Result<()> {
        let count = self.counts.vertices;
        if usize::try_from(v).map_or(true, |v| v >= count) {
            return Err(self.err(format!(
                "{what} index {v} out of range (table has {count}; valid 0..{count})"
            )));
        }
        match self.sizes.vertex {
            1 => self.u8(v as u8),
            2 => self.u16(v as u16),
            _ => self.i32(v as i32),
        }
        Ok(())
    }
    fn bone(&mut self, v: i32, none_ok: bool, what: &str) -> Result<()> {
        self.index(v, self.sizes.bone, self.counts.bones, none_ok, what)
    }
    fn texture(&mut self, v: i32, what: &str) -> Result<()> {
        self.index(v, self.sizes.texture, self.counts.textures, true, what)
    }
    fn rigid(&mut self, v: i32, none_ok: bool, what: &str) -> Result<()> {
        self.index(
            v,
            self.sizes.rigid_body,
            self.counts.rigid_bodies,
            none_ok,
            what,
        )
    }
    fn byte_upto(&mut self, v: u8, max: u8, what: &str) -> Result<()> {
        if v > max {
            return Err(self.err(format!("{what} {v} (must be 0..={max})")));
        }
        self.u8(v);
        Ok(())
    }
    fn requires_21(&self, what: &str) -> Result<()> {
        if self.v21 {
            Ok(())
        } else {
            Err(self.err(format!("{what} needs PMX 2.1, the model is 2.0")))
        }
    }

    // ------------------------------------------------------------ sections

    fn header(&mut self, m: &Model) -> Result<()> {
        self.start("header");
        self.buf.extend_from_slice(b"PMX ");
        self.f32(if self.v21 { 2.1 } else { 2.0 });
        self.u8(8);
        self.u8(match self.enc {
            Encoding::Utf8 => 1,
            _ => 0,
        });
        self.u8(m.header.additional_uv_count);
        let s = self.sizes;
        for size in [
            s.vertex,
            s.texture,
            s.material,
            s.bone,
            s.morph,
            s.rigid_body,
        ] {
            self.u8(size);
        }
        self.text(&m.name)?;
        self.text(&m.name_en)?;
        self.text(&m.comment)?;
        self.text(&m.comment_en)
    }

    fn vertices(&mut self, m: &Model) -> Result<()> {
        self.start("vertices");
        let v = &m.vertices;
        let n = v.len();
        let auv = usize::from(m.header.additional_uv_count);
        let lengths = [
            ("normals", v.normals.len()),
            ("uvs", v.uvs.len()),
            ("deforms", v.deforms.len()),
            ("edge_scales", v.edge_scales.len()),
        ];
        for (name, len) in lengths {
            if len != n {
                return Err(self.err(format!("{n} positions but {len} {name}")));
            }
        }
        if v.additional_uvs.len() != auv {
            return Err(self.err(format!(
                "header says {auv} additional UVs, vertices have {} channels",
                v.additional_uvs.len()
            )));
        }
        if let Some((k, c)) = v
            .additional_uvs
            .iter()
            .enumerate()
            .find(|(_, c)| c.len() != n)
        {
            return Err(self.err(format!(
                "{n} positions but {} values in additional UV {k}",
                c.len()
            )));
        }
        self.count(n, "vertex")?;
        for i in 0..n {
            self.item = Some(i);
            self.floats(&v.positions[i]);
            self.floats(&v.normals[i]);
            self.floats(&v.uvs[i]);
            for channel in &v.additional_uvs {
                self.floats(&channel[i]);
            }
            let d = &v.deforms[i];
            self.u8(d.kind());
            match d {
                Deform::Bdef1 { bone } => self.bone(*bone, true, "deform bone")?,
                Deform::Bdef2 { bones, weight } => {
                    for &b in bones {
                        self.bone(b, true, "deform bone")?;
                    }
                    self.f32(*weight);
                }
                Deform::Bdef4 { bones, weights } => {
                    for &b in bones {
                        self.bone(b, true, "deform bone")?;
                    }
                    self.floats(weights);
                }
                Deform::Sdef {
                    bones,
                    weight,
                    c,
                    r0,
                    r1,
                } => {
                    for &b in bones {
                        self.bone(b, true, "deform bone")?;
                    }
                    self.f32(*weight);
                    self.floats(c);
                    self.floats(r0);
                    self.floats(r1);
                }
                Deform::Qdef { bones, weights } => {
                    self.requires_21("QDEF deform")?;
                    for &b in bones {
                        self.bone(b, true, "deform bone")?;
                    }
                    self.floats(weights);
                }
            }
            self.f32(v.edge_scales[i]);
        }
        Ok(())
    }

    fn faces(&mut self, m: &Model) -> Result<()> {
        self.start("faces");
        let n = m
            .faces
            .len()
            .checked_mul(3)
            .ok_or_else(|| self.err("too many faces"))?;
        self.count(n, "face index")?;
        for (i, face) in m.faces.iter().enumerate() {
            self.item = Some(i);
            for &v in face {
                self.vertex_index(v, "face vertex")?;
            }
        }
        Ok(())
    }

    fn textures(&mut self, m: &Model) -> Result<()> {
        self.start("textures");
        self.count(m.textures.len(), "texture")?;
        for (i, t) in m.textures.iter().enumerate() {
            self.item = Some(i);
            self.text(t)?;
        }
        Ok(())
    }

    fn materials(&mut self, m: &Model) -> Result<()> {
        self.start("materials");
        self.count(m.materials.len(), "material")?;
        let total = m.faces.len() as u64 * 3;
        let mut used = 0u64;
        for (i, mat) in m.materials.iter().enumerate() {
            self.item = Some(i);
            self.text(&mat.name)?;
            self.text(&mat.name_en)?;
            self.floats(&mat.diffuse);
            self.floats(&mat.specular);
            self.f32(mat.specularity);
            self.floats(&mat.ambient);
            self.u8(mat.flags);
            self.floats(&mat.edge_color);
            self.f32(mat.edge_size);
            self.texture(mat.texture, "texture")?;
            self.texture(mat.sphere_texture, "sphere texture")?;
            self.u8(match mat.sphere_mode {
                SphereMode::Off => 0,
                SphereMode::Multiply => 1,
                SphereMode::Add => 2,
                SphereMode::SubTexture => 3,
            });
            match mat.toon {
                Toon::Texture(t) => {
                    self.u8(0);
                    self.texture(t, "toon texture")?;
                }
                Toon::Shared(k) => {
                    self.u8(1);
                    self.byte_upto(k, 9, "shared toon index")?;
                }
            }
            self.text(&mat.memo)?;
            let count = i32::try_from(mat.index_count)
                .ok()
                .filter(|c| c % 3 == 0)
                .ok_or_else(|| {
                    self.err(format!(
                        "face index count {} is not a multiple of 3 that fits i32",
                        mat.index_count
                    ))
                })?;
            used += u64::from(mat.index_count);
            self.i32(count);
        }
        if used != total {
            self.item = None;
            return Err(self.err(format!(
                "materials draw {used} face indices, the model has {total}"
            )));
        }
        Ok(())
    }

    fn bones(&mut self, m: &Model) -> Result<()> {
        use bone_flags::*;
        self.start("bones");
        self.count(m.bones.len(), "bone")?;
        for (i, b) in m.bones.iter().enumerate() {
            self.item = Some(i);
            let has = |f: u16| b.flags & f != 0;
            let consistent = [
                (
                    "tail",
                    has(TAIL_IS_BONE),
                    matches!(b.tail, BoneTail::Bone(_)),
                ),
                (
                    "append",
                    has(APPEND_ROTATE) || has(APPEND_TRANSLATE),
                    b.append.is_some(),
                ),
                ("fixed_axis", has(FIXED_AXIS), b.fixed_axis.is_some()),
                ("local_axes", has(LOCAL_AXES), b.local_axes.is_some()),
                (
                    "external_parent",
                    has(EXTERNAL_PARENT),
                    b.external_parent.is_some(),
                ),
                ("ik", has(IK), b.ik.is_some()),
            ];
            for (field, flag, present) in consistent {
                if flag != present {
                    return Err(self.err(format!(
                        "flags {:#06x} {} `{field}` but it is {}",
                        b.flags,
                        if flag { "call for" } else { "rule out" },
                        if present { "set" } else { "missing" },
                    )));
                }
            }
            self.text(&b.name)?;
            self.text(&b.name_en)?;
            self.floats(&b.position);
            self.bone(b.parent, true, "parent bone")?;
            self.i32(b.layer);
            self.u16(b.flags);
            match b.tail {
                BoneTail::Bone(t) => self.bone(t, true, "tail bone")?,
                BoneTail::Offset(o) => self.floats(&o),
            }
            if let Some(a) = b.append {
                self.bone(a.parent, true, "append parent bone")?;
                self.f32(a.ratio);
            }
            if let Some(axis) = b.fixed_axis {
                self.floats(&axis);
            }
            if let Some(axes) = b.local_axes {
                self.floats(&axes.x);
                self.floats(&axes.z);
            }
            if let Some(key) = b.external_parent {
                self.i32(key);
            }
            if let Some(ik) = &b.ik {
                self.bone(ik.target, false, "IK target bone")?;
                self.i32(ik.loop_count);
                self.f32(ik.limit_angle);
                self.count(ik.links.len(), "IK link")?;
                for link in &ik.links {
                    self.bone(link.bone, false, "IK link bone")?;
                    match link.limits {
                        Some(l) => {
                            self.u8(1);
                            self.floats(&l.min);
                            self.floats(&l.max);
                        }
                        None => self.u8(0),
                    }
                }
            }
        }
        Ok(())
    }

    fn morphs(&mut self, m: &Model) -> Result<()> {
        self.start("morphs");
        self.count(m.morphs.len(), "morph")?;
        let s = self.sizes;
        let c = self.counts;
        for (i, morph) in m.morphs.iter().enumerate() {
            self.item = Some(i);
            let matches = matches!(
                (morph.kind, &morph.offsets),
                (MorphKind::Group, MorphOffsets::Group(_))
                    | (MorphKind::Flip, MorphOffsets::Flip(_))
                    | (MorphKind::Vertex, MorphOffsets::Vertex(_))
                    | (MorphKind::Bone, MorphOffsets::Bone(_))
                    | (
                        MorphKind::Uv
                            | MorphKind::Uv1
                            | MorphKind::Uv2
                            | MorphKind::Uv3
                            | MorphKind::Uv4,
                        MorphOffsets::Uv(_)
                    )
                    | (MorphKind::Material, MorphOffsets::Material(_))
                    | (MorphKind::Impulse, MorphOffsets::Impulse(_))
            );
            if !matches {
                return Err(self.err(format!(
                    "{} morph holds offsets of another kind",
                    morph.kind.as_str()
                )));
            }
            if matches!(morph.kind, MorphKind::Flip | MorphKind::Impulse) {
                self.requires_21(&format!("{} morph", morph.kind.as_str()))?;
            }
            self.text(&morph.name)?;
            self.text(&morph.name_en)?;
            self.u8(morph.panel);
            self.u8(morph.kind.to_byte());
            self.count(morph.offsets.len(), "morph offset")?;
            match &morph.offsets {
                MorphOffsets::Group(v) | MorphOffsets::Flip(v) => {
                    for o in v {
                        self.index(o.morph, s.morph, c.morphs, false, "morph")?;
                        self.f32(o.weight);
                    }
                }
                MorphOffsets::Vertex(v) => {
                    for o in v {
                        self.vertex_index(o.vertex, "vertex")?;
                        self.floats(&o.offset);
                    }
                }
                MorphOffsets::Bone(v) => {
                    for o in v {
                        self.bone(o.bone, false, "bone")?;
                        self.floats(&o.translation);
                        self.floats(&o.rotation);
                    }
                }
                MorphOffsets::Uv(v) => {
                    for o in v {
                        self.vertex_index(o.vertex, "vertex")?;
                        self.floats(&o.offset);
                    }
                }
                MorphOffsets::Material(v) => {
                    for o in v {
                        self.index(o.material, s.material, c.materials, true, "material")?;
                        self.u8(match o.op {
                            MaterialOp::Multiply => 0,
                            MaterialOp::Add => 1,
                        });
                        self.floats(&o.diffuse);
                        self.floats(&o.specular);
                        self.f32(o.specularity);
                        self.floats(&o.ambient);
                        self.floats(&o.edge_color);
                        self.f32(o.edge_size);
                        self.floats(&o.texture_tint);
                        self.floats(&o.sphere_tint);
                        self.floats(&o.toon_tint);
                    }
                }
                MorphOffsets::Impulse(v) => {
                    for o in v {
                        self.rigid(o.rigid_body, false, "impulse rigid body")?;
                        self.u8(u8::from(o.local));
                        self.floats(&o.velocity);
                        self.floats(&o.torque);
                    }
                }
            }
        }
        Ok(())
    }

    fn display_frames(&mut self, m: &Model) -> Result<()> {
        self.start("display_frames");
        self.count(m.display_frames.len(), "display frame")?;
        let (s, c) = (self.sizes, self.counts);
        for (i, f) in m.display_frames.iter().enumerate() {
            self.item = Some(i);
            self.text(&f.name)?;
            self.text(&f.name_en)?;
            self.u8(u8::from(f.special));
            self.count(f.items.len(), "display item")?;
            for item in &f.items {
                match *item {
                    DisplayItem::Bone(b) => {
                        self.u8(0);
                        self.index(b, s.bone, c.bones, false, "bone")?;
                    }
                    DisplayItem::Morph(k) => {
                        self.u8(1);
                        self.index(k, s.morph, c.morphs, false, "morph")?;
                    }
                }
            }
        }
        Ok(())
    }

    fn rigid_bodies(&mut self, m: &Model) -> Result<()> {
        self.start("rigid_bodies");
        self.count(m.rigid_bodies.len(), "rigid body")?;
        for (i, b) in m.rigid_bodies.iter().enumerate() {
            self.item = Some(i);
            self.text(&b.name)?;
            self.text(&b.name_en)?;
            self.bone(b.bone, true, "bone")?;
            self.u8(b.group);
            self.u16(b.collision_mask);
            self.byte_upto(b.shape, 2, "rigid body shape")?;
            self.floats(&b.size);
            self.floats(&b.position);
            self.floats(&b.rotation);
            self.floats(&[
                b.mass,
                b.linear_damping,
                b.angular_damping,
                b.restitution,
                b.friction,
            ]);
            self.byte_upto(b.physics_mode, 2, "rigid body physics mode")?;
        }
        Ok(())
    }

    fn joints(&mut self, m: &Model) -> Result<()> {
        self.start("joints");
        self.count(m.joints.len(), "joint")?;
        for (i, j) in m.joints.iter().enumerate() {
            self.item = Some(i);
            self.text(&j.name)?;
            self.text(&j.name_en)?;
            self.byte_upto(j.kind, 5, "joint type")?;
            if j.kind > 0 {
                self.requires_21(&format!("joint type {}", j.kind))?;
            }
            self.rigid(j.rigid_a, true, "rigid body A")?;
            self.rigid(j.rigid_b, true, "rigid body B")?;
            for v in [
                &j.position,
                &j.rotation,
                &j.position_min,
                &j.position_max,
                &j.rotation_min,
                &j.rotation_max,
                &j.spring_position,
                &j.spring_rotation,
            ] {
                self.floats(v);
            }
        }
        Ok(())
    }

    fn soft_bodies(&mut self, m: &Model) -> Result<()> {
        self.start("soft_bodies");
        if !self.v21 {
            if m.soft_bodies.is_empty() {
                return Ok(());
            }
            return self.requires_21("soft bodies");
        }
        self.count(m.soft_bodies.len(), "soft body")?;
        let (s, c) = (self.sizes, self.counts);
        for (i, b) in m.soft_bodies.iter().enumerate() {
            self.item = Some(i);
            self.text(&b.name)?;
            self.text(&b.name_en)?;
            self.byte_upto(b.shape, 1, "soft body shape")?;
            self.index(b.material, s.material, c.materials, true, "material")?;
            self.u8(b.group);
            self.u16(b.collision_mask);
            self.u8(b.flags);
            self.i32(b.b_link_distance);
            self.i32(b.cluster_count);
            self.f32(b.total_mass);
            self.f32(b.margin);
            self.i32(b.aero_model);
            self.floats(&b.config);
            self.floats(&b.cluster);
            for &it in &b.iteration {
                self.i32(it);
            }
            self.floats(&b.material_params);
            self.count(b.anchors.len(), "soft body anchor")?;
            for a in &b.anchors {
                self.rigid(a.rigid_body, false, "anchor rigid body")?;
                self.vertex_index(a.vertex, "anchor vertex")?;
                self.u8(a.near_mode);
            }
            self.count(b.pins.len(), "soft body pin")?;
            for &p in &b.pins {
                self.vertex_index(p, "pin vertex")?;
            }
        }
        Ok(())
    }
}
